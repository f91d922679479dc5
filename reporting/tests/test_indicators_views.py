"""The indicators page, its exports, manual values and snapshots: who may open them, what they show,
and a query count independent of the number of applications."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import CohortFactory, ProgrammeFactory, ProgrammeMembershipFactory
from reporting.models import IndicatorValue
from reporting.tests.factories import IndicatorFactory, IndicatorTargetFactory, ResultObjectiveFactory
from reporting.tests.factories_indicators import CalculatedIndicatorFactory, applicant, traveller

pytestmark = pytest.mark.django_db

PAGE = reverse("reporting:indicators")
EXPORT = reverse("reporting:indicators_export")


@pytest.fixture
def cohort():
    cohort = CohortFactory(programme=ProgrammeFactory(code="vues", name="Programme des vues"))
    objective = ResultObjectiveFactory(programme=cohort.programme, code="OS1", title="Performance des entreprises")
    indicator = CalculatedIndicatorFactory(programme=cohort.programme, objective=objective, code="I1", name="Candidatures reçues")
    IndicatorTargetFactory(indicator=indicator, value=Decimal("300"))
    IndicatorFactory(programme=cohort.programme, objective=objective, code="I9", name="Emplois créés (enquête)")
    applicant(cohort, gender="woman")
    applicant(cohort, gender="man", status=ApplicationStatus.INELIGIBLE)
    traveller(cohort, gender="woman")
    return cohort


@pytest.fixture
def staff():
    return UserFactory(roles=["staff"])


def member(programme, role: str):
    user = UserFactory(roles=[role])
    ProgrammeMembershipFactory(programme=programme, user=user, role=role)
    return user


@pytest.mark.parametrize("role", ["committee", "evaluator"])
def test_committee_members_and_evaluators_see_their_programme(client, cohort, role):
    client.force_login(member(cohort.programme, role))

    response = client.get(PAGE)  # their only programme, by default

    assert response.status_code == 200
    html = response.content.decode()
    assert "Programme des vues" in html
    assert "Candidatures reçues" in html and "Emplois créés (enquête)" in html
    assert "<svg" in html and "Entonnoir" in html
    assert "Figer l'instantané" not in html  # staff only


def test_a_committee_member_of_another_programme_gets_a_404(client, cohort):
    client.force_login(member(ProgrammeFactory(), "committee"))

    assert client.get(PAGE, {"programme": cohort.programme.pk}).status_code == 404
    assert client.get(EXPORT, {"programme": cohort.programme.pk}).status_code == 404


def test_a_cohort_of_another_programme_or_a_tampered_id_is_a_404(client, cohort, staff):
    client.force_login(staff)
    other = CohortFactory()

    assert client.get(PAGE, {"programme": cohort.programme.pk, "cohort": other.pk}).status_code == 404
    assert client.get(PAGE, {"programme": "1 OR 1=1"}).status_code == 404
    assert client.get(PAGE, {"programme": cohort.programme.pk, "cohort": "x"}).status_code == 404


def test_the_page_shows_the_framework_with_target_actual_and_trend(client, cohort, staff):
    manual = cohort.programme.indicators.get(code="I9")
    IndicatorValue.objects.create(indicator=manual, period_end=datetime.date(2023, 12, 31), value=4, evidence="Enquête")
    IndicatorValue.objects.create(indicator=manual, period_end=datetime.date(2024, 6, 30), value=7, evidence="Enquête")
    client.force_login(staff)

    response = client.get(PAGE, {"programme": cohort.programme.pk})

    framework = response.context["framework"]
    items = {item.indicator.code: item for block in framework for item in block.indicators}
    assert (items["I1"].actual, items["I1"].actual_source) == (3, "computed")  # three applications
    assert items["I1"].progress == 1  # 3 / 300
    assert (items["I9"].actual, items["I9"].actual_source) == (7, "manual")  # the latest period
    assert [value for _period, value, _snapshot in items["I9"].trend] == [4, 7]
    assert "Figer l'instantané" in response.content.decode()


def test_the_query_count_does_not_grow_with_the_applications(client, cohort, staff):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    params = {"programme": cohort.programme.pk}
    client.get(PAGE, params)  # the first visit remembers the programme chosen in the session (one write)
    # Both visits compute the indicators (an empty cache, as after any write; the cached visit is counted in
    # test_indicators_cache.py).
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(PAGE, params).status_code == 200
    for index in range(27):
        (traveller if index % 3 == 0 else applicant)(cohort, gender="man" if index % 2 else "woman")
    cache.clear()
    with CaptureQueriesContext(connection) as larger:
        assert client.get(PAGE, params).status_code == 200

    assert len(larger.captured_queries) == len(small.captured_queries)


def test_a_table_exports_as_csv_and_xlsx(client, cohort, staff):
    client.force_login(staff)
    params = {"programme": cohort.programme.pk, "cohort": cohort.pk, "table": "funnel"}

    response = client.get(EXPORT, {**params, "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "indicateurs-vues-c" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Ventilation", "Groupe", "Candidatures soumises", "Éligibles"]
    assert rows[1][:4] == ["Ensemble", "Ensemble", "3", "1"]  # the traveller is the only eligible one
    assert ["Genre", "Femme", "2"] == rows[rows.index(next(r for r in rows if r[1] == "Femme"))][:3]

    response = client.get(EXPORT, {**params, "format": "xlsx", "table": "framework"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][1] == "Code"
    assert [row[1] for row in values[1:]] == ["I1", "I9"]


@pytest.mark.parametrize("params", [{"format": "pdf"}, {"table": "nope"}])
def test_an_unknown_format_or_table_goes_back_to_the_page_with_a_message(client, cohort, staff, params):
    client.force_login(staff)

    response = client.get(EXPORT, {"programme": cohort.programme.pk, **params}, follow=True)

    assert response.redirect_chain[0][1] == 302
    assert any("inconnu" in str(message) for message in response.context["messages"])


def test_staff_freeze_a_snapshot_and_committee_members_cannot(client, cohort, staff):
    url = reverse("reporting:indicators_freeze", args=[cohort.programme.pk])
    client.force_login(member(cohort.programme, "committee"))
    assert client.post(url, {"period_end": "2024-06-30"}).status_code == 404
    assert not IndicatorValue.objects.exists()

    client.force_login(staff)
    response = client.post(url, {"period_end": "2024-06-30", "cohort": cohort.pk})
    again = client.post(url, {"period_end": "2024-06-30", "cohort": cohort.pk})

    assert response.status_code == again.status_code == 302
    # I1 (3 applications) and its gender disaggregation (2 women, 1 man), written once despite two posts.
    assert IndicatorValue.objects.filter(is_snapshot=True, cohort=cohort).count() == 3
    assert client.post(url, {"period_end": "2024-06-30", "cohort": CohortFactory().pk}).status_code == 404
    assert client.post(url, {"period_end": "demain"}).status_code == 200  # the form again, with its error


def test_staff_enter_a_manual_value_with_evidence(client, cohort, staff):
    url = reverse("reporting:indicator_value_add", args=[cohort.programme.pk])
    manual = cohort.programme.indicators.get(code="I9")
    computed = cohort.programme.indicators.get(code="I1")
    client.force_login(staff)

    missing = client.post(url, {"indicator": manual.pk, "period_end": "2024-06-30", "value": "5", "evidence": ""})
    tampered = client.post(url, {"indicator": computed.pk, "period_end": "2024-06-30", "value": "5", "evidence": "x"})
    response = client.post(
        url, {"indicator": manual.pk, "period_end": "2024-06-30", "value": "5,5", "evidence": "Enquête de suivi"}
    )

    assert missing.status_code == tampered.status_code == 200
    assert missing.context["form"].errors["evidence"]
    assert tampered.context["form"].errors["indicator"]
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.indicator, value.value, value.is_snapshot, value.recorded_by) == (manual, Decimal("5.5"), False, staff)


def test_an_indicator_named_only_in_french_is_exported_to_an_english_reader_marked_as_french(client, cohort, staff):
    client.force_login(staff)
    client.cookies["django_language"] = "en"

    response = client.get(EXPORT, {"programme": cohort.programme.pk, "format": "xlsx", "table": "framework"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[2].value for row in sheet.iter_rows(min_row=2)]
    assert "Candidatures reçues [in French]" in names
