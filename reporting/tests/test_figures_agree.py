"""One figure per fact ([5] item 4): on the demo, the dashboard, the home pages (staff and committee), the
indicators page, the CSV and XLSX exports and the PDF's HTML show the same applications submitted,
selected, mobilities made, partnerships alive at +6 months and cost per mobility, written the same way.

Before: 319 applications on the dashboard but 317 (166 + 151) on the home pages, and the cost per
mobility written "39 657 €", "39657,49" and "39 657,4 EUR"."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core import figures
from reporting.indicators import compute_indicators
from reporting.models import ReportJob, ReportKind
from reporting.rendering import report_html

pytestmark = pytest.mark.django_db

STAFF, COMMITTEE = "equipe@demo.pem.example", "comite@demo.pem.example"


@pytest.fixture
def expected(demo, db):
    """The five figures as the indicators compute them (the one definition)."""
    indicators = compute_indicators(programme=demo)
    return {
        "applications": indicators.stage("applications").total,
        "selected": indicators.stage("selected").total,
        "travelled": indicators.stage("travelled").total,
        "live_6m": indicators.partnerships.live_6m,
        "cost_per_mobility": indicators.efficiency.cost_per_mobility,
        "indicators": indicators,
    }


def spaced(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def login(client, email: str, language: str = "fr"):
    client.force_login(User.objects.get(email=email))
    client.cookies["django_language"] = language
    return client


def test_the_demo_figures_are_the_ones_the_issue_measured(expected):
    """So that the rest of this module checks the figures people saw."""
    assert expected["applications"] == 319
    assert expected["travelled"] == expected["indicators"].mobility.travelled
    assert expected["cost_per_mobility"] is not None and expected["cost_per_mobility"] > 0


@pytest.mark.parametrize(("email", "key"), [(STAFF, "staff_programmes"), (COMMITTEE, "followed_programmes")])
def test_the_home_pages_add_up_to_the_indicators(client, demo, expected, email, key):
    response = login(client, email).get("/")

    programme = next(p for p in response.context[key] if p.pk == demo.pk)
    cohorts = list(programme.cohorts.all())
    assert sum(c.submitted_count for c in cohorts) == expected["applications"]  # before: 317
    assert sum(c.selected_count for c in cohorts) == expected["selected"]
    assert sum(c.travelled_count for c in cohorts) == expected["travelled"]
    by_cohort = expected["indicators"].stage("applications").by["cohort"]
    assert {c.pk: c.submitted_count for c in cohorts} == {int(k): v for k, v in by_cohort.items()}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_dashboard_shows_the_same_figures_written_the_one_way(client, demo, expected, language):
    response = login(client, COMMITTEE, language).get(reverse("reporting:dashboard"), {"programme": demo.pk})
    html = spaced(response.content.decode())

    with translation.override(language):
        cost = spaced(figures.money(expected["cost_per_mobility"]))
    assert cost == ("39 657 €" if language == "fr" else "€39,657")
    for name, value in (
        ("applications", expected["applications"]),
        ("selected", expected["selected"]),
        ("travelled", expected["travelled"]),
        ("live_6m", expected["live_6m"]),
    ):
        assert f'data-figure="{name}">{value}<' in html, name
    assert f'data-figure="cost_per_mobility">{cost}<' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_indicators_page_shows_the_same_figures(client, demo, expected, language):
    response = login(client, COMMITTEE, language).get(reverse("reporting:indicators"), {"programme": demo.pk})
    html = spaced(response.content.decode())

    actual = {
        item.indicator.calculator: item.actual
        for block in response.context["framework"]
        for item in block.indicators
        if item.indicator.calculator
    }
    assert actual["funnel.applications"] == expected["applications"]
    assert actual["funnel.selected"] == expected["selected"]
    assert actual["funnel.travelled"] == expected["travelled"]
    assert actual["partnerships.active_6m"] == expected["live_6m"]
    assert actual["efficiency.cost_per_mobility"] == expected["cost_per_mobility"]
    with translation.override(language):
        cost = spaced(figures.money(expected["cost_per_mobility"]))
    assert f"<strong>{cost}</strong>" in html
    assert "39657,49" not in html and "39657.49" not in html


def export(client, demo, table: str, file_format: str, language: str = "fr"):
    response = login(client, STAFF, language).get(
        reverse("reporting:indicators_export"), {"programme": demo.pk, "table": table, "format": file_format}
    )
    assert response.status_code == 200
    if file_format == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


def test_the_csv_exports_hold_the_same_figures_as_plain_numbers(client, demo, expected):
    funnel = export(client, demo, "funnel", "csv")
    headers, overall = funnel[0], funnel[1]
    column = {header: index for index, header in enumerate(headers)}
    assert int(overall[column["Candidatures soumises"]]) == expected["applications"]
    assert int(overall[column["Sélectionnées"]]) == expected["selected"]
    assert int(overall[column["Mobilité effectuée"]]) == expected["travelled"]

    persistence = dict(export(client, demo, "persistence", "csv")[1:])
    assert int(persistence["Partenariats vivants à +6 mois"]) == expected["live_6m"]
    efficiency = dict(export(client, demo, "efficiency", "csv")[1:])
    assert efficiency["Coût par mobilité (EUR)"] == str(expected["cost_per_mobility"].quantize(Decimal("1")))  # "39657"


@pytest.mark.parametrize(("language", "money_format"), [("fr", '#,##0 "€"'), ("en", '"€"#,##0')])
def test_the_xlsx_exports_keep_numeric_cells_with_a_number_format(client, demo, expected, language, money_format):
    rows, _sheet = export(client, demo, "funnel", "xlsx", language)
    assert expected["applications"] in rows[1] and expected["selected"] in rows[1] and expected["travelled"] in rows[1]

    rows, sheet = export(client, demo, "efficiency", "xlsx", language)
    cost_row = next(index for index, row in enumerate(rows, start=1) if row[1] == int(expected["cost_per_mobility"].quantize(1)))
    cell = sheet.cell(row=cost_row, column=2)
    assert isinstance(cell.value, int | float) and cell.number_format == money_format


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pdf_report_shows_the_same_figures(demo, expected, language):
    job = ReportJob.objects.create(programme=demo, kind=ReportKind.COMMITTEE_BRIEF, language=language)

    html = spaced(report_html(job=job))

    with translation.override(language):
        written = {key: spaced(figures.count(expected[key])) for key in ("applications", "selected", "travelled", "live_6m")}
        cost = spaced(figures.money(expected["cost_per_mobility"]))
    for key, text in written.items():
        assert f">{text}<" in html, key
    assert cost in html
    assert "39 657,4 EUR" not in html and "39657" not in html
