"""What people read instead of internal codes ([5] item 5): a cohort by its programme's name, a stored
profile and partnership types in words, spreadsheets with labels and country names."""

import pytest
from django.contrib.admin.sites import AdminSite
from django.utils import translation

from cohorts.admin import ApplicationAdmin, ApplicationAdminForm
from cohorts.eligibility import profile_rows
from cohorts.models import Application
from cohorts.tests.factories import ApplicationFactory, CohortFactory
from partners.admin import CompanyResource
from partners.models import Company
from partners.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_a_cohort_is_named_by_its_programme_not_its_code():
    cohort = CohortFactory(programme__code="pem-sine-saloum", programme__name="PEM Sine-Saloum", name_fr="Cohorte 1")

    assert str(cohort) == "PEM Sine-Saloum – Cohorte 1"
    assert "pem-sine-saloum" not in str(cohort)


def test_a_cohort_label_for_an_e_mail_is_in_the_readers_language_or_marked():
    cohort = CohortFactory(programme__name="PEM N'Zassa", name_fr="Cohorte 1", name_en="")

    assert cohort.label("fr") == "PEM N'Zassa – Cohorte 1"
    assert cohort.label("en") == "PEM N'Zassa – Cohorte 1 [in French]"


def test_a_stored_profile_reads_in_words():
    profile = {"sector": "agrifood", "gender": "woman", "is_formal": True, "region": "dakar", "employees": 1200}

    with translation.override("en"):
        rows = dict(profile_rows(profile, country="SN"))

    assert rows["Sector"] == "Agri-food"
    assert rows["Gender"] == "Woman"
    assert rows["Formal company"] == "yes"
    assert rows["Region"] == "Dakar"
    assert rows["Number of employees"] == "1,200"


def test_the_admin_shows_the_profile_and_partnership_types_in_words(rf):
    application = ApplicationFactory(
        partnership_types=["export", "investment"],
        profile_snapshot={"legal_form": "gie", "has_export_experience": False},
        failed_criteria=[{"id": 0, "field": "legal_form", "label": "Forme juridique admise"}],
    )
    admin = ApplicationAdmin(Application, AdminSite())

    with translation.override("fr"):
        table = admin.profile_table(application)
        failed = admin.failed_criteria_list(application)
        form = ApplicationAdminForm(instance=application)
    assert "GIE" in table and "non" in table and "{" not in table
    assert failed == "<ul><li>Forme juridique admise</li></ul>"
    assert form["partnership_types"].value() == ["export", "investment"]
    assert "Investissement" in str(form["partnership_types"])


def test_the_company_spreadsheet_names_columns_choices_and_countries_in_words():
    CompanyFactory(legal_form="sarl", sector="agrifood", turnover_band="10-50m", is_formal=True)

    with translation.override("en"):
        dataset = CompanyResource().export(Company.objects.all())

    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["sector"] == "Agri-food"
    assert row["country of the head office"] == "Senegal"
    assert row["formal company"] == "yes"
    assert row["region"] == "Dakar"
    assert "sarl" not in dataset[0] and "SN" not in dataset[0]


def test_a_rescreening_in_the_admin_gives_its_counts_in_a_sentence(admin_client):
    from cohorts.models import ScreeningJob

    job = ScreeningJob.objects.create(
        cohort=CohortFactory(), status="done", result={"checked": 12, "changed": 2, "eligible": 7, "ineligible": 5}
    )

    html = admin_client.get(f"/admin/cohorts/screeningjob/{job.pk}/change/").content.decode()

    assert "12 candidature(s) examinée(s), 2 changement(s) de statut (éligibles : 7, non éligibles : 5)." in html
    assert "&quot;checked&quot;" not in html and '"checked"' not in html


def test_the_sent_e_mails_filter_names_languages_and_kinds(admin_client):
    from accounts.models import OutgoingEmail

    OutgoingEmail.objects.create(to="a@example.org", kind="selection_selected", language="en", subject="s", body="b")

    html = admin_client.get("/admin/accounts/outgoingemail/").content.decode()

    assert "Anglais" in html and "Décision : candidature retenue" in html
    assert ">en<" not in html and "selection_selected<" not in html
