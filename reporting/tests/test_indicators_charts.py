"""The SVG charts: well-formed, self-contained, accessible, with their values written out."""

import xml.etree.ElementTree as ET

import pytest

from cohorts.models import ApplicationStatus
from cohorts.tests.factories import CohortFactory, ProgrammeFactory
from reporting import charts
from reporting.indicators import compute_indicators
from reporting.tests.factories_indicators import applicant, traveller

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def indicators():
    cohort = CohortFactory(programme=ProgrammeFactory(code="charts", name="Programme <script>alert(1)</script>"))
    applicant(cohort, gender="man")
    applicant(cohort, gender="woman", status=ApplicationStatus.INELIGIBLE)
    traveller(cohort, gender="woman")
    return compute_indicators(programme=cohort.programme)


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_each_chart_is_a_self_contained_accessible_svg(indicators, name):
    svg = charts.CHARTS[name](indicators)

    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc") is not None
    assert "<script" not in svg and "href" not in svg and "url(" not in svg
    assert "&lt;script&gt;" in svg  # the programme's name is escaped


def test_the_funnel_writes_each_stage_and_its_share(indicators):
    svg = charts.funnel_svg(indicators)

    assert "Candidatures soumises" in svg
    assert ">3<" in svg  # three applications
    assert ">1 (33\u00a0%)<" in svg  # one selected of three


def test_the_share_of_women_is_written_per_stage(indicators):
    svg = charts.women_by_stage_svg(indicators)

    assert "66,7\u00a0% (2/3)" in svg  # two of the three applications
    assert "100,0\u00a0% (1/1)" in svg  # the only traveller


def test_charts_without_data_say_so():
    empty = compute_indicators(programme=ProgrammeFactory())

    for chart in (charts.visa_outcomes_svg, charts.partnerships_by_stage_svg, charts.budget_vs_spending_svg):
        assert "Aucune donnée" in chart(empty)
