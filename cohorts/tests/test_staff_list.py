"""The staff application list: filters, a constant number of queries, and the filtered exports."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import CohortFactory
from cohorts.tests.factories_staff import staff_application
from partners.tests.factories import region

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=["staff"]))
    return client


def _names(response) -> set[str]:
    return {application.company.name for application, _failed in response.context["rows"]}


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_takes_the_same_number_of_queries_at_3_and_30_rows(staff_client, rows, django_assert_num_queries):
    cohort = CohortFactory()
    failed = [{"id": 1, "field": "company_age", "label": "Au moins 2 ans"}]
    for number in range(rows):
        staff_application(cohort=cohort, status=ApplicationStatus.INELIGIBLE, failed=failed, name=f"Entreprise {number}")
    # 1 session, 2 user, 3 SAVEPOINT (ATOMIC_REQUESTS), 4 the user's groups (role check), 5 count for
    # the paginator, 6 the page of applications joined with entrepreneur, company, cohort and programme,
    # 7 the programmes, 8 the cohorts (with programme) and 9 the regions of the filter form, 10 the labels of the
    # failed criteria (in the reader's language), 11 RELEASE SAVEPOINT.
    # (5, 7, 8 and 9 are read once per data version: test_staff_list_cached.py.)
    with django_assert_num_queries(11):
        response = staff_client.get(reverse("cohorts:application_list"))
    assert len(response.context["rows"]) == rows
    assert "Au moins 2 ans" in response.content.decode()


def test_the_filters_narrow_the_list(staff_client):
    cohort, other = CohortFactory(), CohortFactory()
    staff_application(cohort=cohort, name="Awa Textile", gender="woman", region="kolda", sector="textile")
    staff_application(cohort=cohort, name="Moussa Digital", gender="man", region="dakar", sector="digital", diaspora=True)
    staff_application(cohort=other, name="Fatou Agro", status=ApplicationStatus.INELIGIBLE,
                      failed=[{"id": 1, "label": "x"}])  # fmt: skip
    staff_application(cohort=other, name="Ibou Santé", status=ApplicationStatus.ELIGIBLE, gender="man", sector="health")
    url = reverse("cohorts:application_list")

    assert _names(staff_client.get(url)) == {"Awa Textile", "Moussa Digital", "Fatou Agro", "Ibou Santé"}
    assert _names(staff_client.get(url, {"cohort": cohort.pk})) == {"Awa Textile", "Moussa Digital"}
    assert _names(staff_client.get(url, {"programme": other.programme.pk})) == {"Fatou Agro", "Ibou Santé"}
    assert _names(staff_client.get(url, {"gender": "man"})) == {"Moussa Digital", "Ibou Santé"}
    assert _names(staff_client.get(url, {"region": region("kolda").pk})) == {"Awa Textile"}
    assert _names(staff_client.get(url, {"diaspora": "yes"})) == {"Moussa Digital"}
    assert _names(staff_client.get(url, {"sector": "health"})) == {"Ibou Santé"}
    assert _names(staff_client.get(url, {"status": "ineligible"})) == {"Fatou Agro"}
    assert _names(staff_client.get(url, {"eligible": "no"})) == {"Fatou Agro"}
    assert _names(staff_client.get(url, {"eligible": "yes"})) == {"Ibou Santé"}
    assert _names(staff_client.get(url, {"eligible": "unknown"})) == {"Awa Textile", "Moussa Digital"}
    assert _names(staff_client.get(url, {"q": "textile"})) == {"Awa Textile"}
    assert _names(staff_client.get(url, {"gender": "man", "cohort": other.pk})) == {"Ibou Santé"}


def test_a_tampered_filter_value_shows_an_empty_filtered_form_not_an_error(staff_client):
    staff_application(cohort=CohortFactory(), name="Awa Textile")

    response = staff_client.get(reverse("cohorts:application_list"), {"cohort": "999999", "status": "nope"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_the_list_links_each_application_to_its_staff_page_not_to_the_admin(staff_client):
    application = staff_application(cohort=CohortFactory())

    html = staff_client.get(reverse("cohorts:application_list")).content.decode()

    assert reverse("cohorts:application_staff_detail", args=[application.pk]) in html
    assert reverse("admin:cohorts_application_change", args=[application.pk]) not in html


def test_the_csv_export_holds_the_filtered_rows(staff_client, django_assert_max_num_queries):
    cohort = CohortFactory()
    for number in range(4):
        staff_application(cohort=cohort, name=f"Femme {number}", gender="woman")
    staff_application(cohort=cohort, name="Homme", gender="man")

    # session, user, savepoint, groups, the criteria's labels, the joined applications, release: no query per row.
    with django_assert_max_num_queries(7):
        response = staff_client.get(reverse("cohorts:application_export"), {"format": "csv", "gender": "woman"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["id", "programme", "cohorte", "prénom", "nom", "e-mail"]
    assert len(rows) == 1 + 4
    assert {row[rows[0].index("genre")] for row in rows[1:]} == {"Femme"}


def test_the_xlsx_export_opens_in_a_spreadsheet(staff_client):
    cohort = CohortFactory()
    staff_application(cohort=cohort, name="Awa Textile", status=ApplicationStatus.INELIGIBLE,
                      failed=[{"id": 1, "label": "Au moins 2 ans"}])  # fmt: skip
    staff_application(cohort=cohort, name="Ibou Santé")

    response = staff_client.get(reverse("cohorts:application_export"), {"format": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "id"
    assert len(values) == 3
    assert "Au moins 2 ans" in [cell for row in values for cell in row]


def test_the_export_in_english_has_english_labels(staff_client):
    staff_application(cohort=CohortFactory(), gender="woman")
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = staff_client.get(reverse("cohorts:application_export"), {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][6] == "Woman"  # the gender column, in the user's language


@pytest.mark.parametrize("name", ["cohorts:application_list", "cohorts:application_export", "cohorts:application_import"])
@pytest.mark.parametrize("role", ["reviewer", "coach", "entrepreneur", "committee", "evaluator"])
def test_other_roles_get_a_404(client, name, role):
    client.force_login(UserFactory(roles=[role]))

    assert client.get(reverse(name)).status_code == 404


def test_the_latest_submitted_come_first_and_drafts_last_on_every_database(staff_client):
    """PostgreSQL puts rows without a date first in a descending order unless told; SQLite puts them last.
    Drafts (never submitted) are listed after every submitted application on both (CI runs PostgreSQL)."""
    cohort = CohortFactory()
    staff_application(cohort=cohort, name="Entreprise soumise")
    staff_application(cohort=cohort, status=ApplicationStatus.DRAFT, name="Entreprise brouillon")  # created last

    rows = [
        application.company.name for application, _failed in staff_client.get(reverse("cohorts:application_list")).context["rows"]
    ]

    assert rows == ["Entreprise soumise", "Entreprise brouillon"]
