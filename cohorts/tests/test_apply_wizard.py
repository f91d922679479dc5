"""The application wizard: starting once per cohort, each step saved in the database (so another device
resumes it), back/next navigation, the public call page."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import Application, ApplicationStatus
from cohorts.territory import is_diaspora
from cohorts.tests.factories import ApplicationFactory, CohortFactory, EligibilityCriterionFactory
from partners.models import Company, Entrepreneur
from partners.tests.factories import CompanyFactory, EntrepreneurFactory, region

pytestmark = pytest.mark.django_db


def step_url(application, step):
    return reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": step})


FOUNDER = {
    "gender": "woman",
    "age_band": "25-34",
    "education": "bachelor",
    "country_of_residence": "BE",
    "phone": "+32 470 00 00 00",
}
COMPANY = {
    "name": "Bissap Diaspora SUARL",
    "legal_form": "sarl",
    "ninea": "008765432",
    "rccm": "SN-DKR-2021-B-1234",
    "is_formal": "on",
    "sector": "agrifood",
    "country": "SN",
    "region": "kaolack",  # a code, replaced by the seeded region's id before each test
    "city": "Kaolack",
    "year_founded": "2021",
    "turnover_band": "10-50m",
    "employees": "4",
    "description": "Jus et sirops de bissap",
}


@pytest.fixture(autouse=True)
def _company_region(monkeypatch):
    monkeypatch.setitem(COMPANY, "region", region("kaolack").pk)


@pytest.fixture
def applicant():
    """A freshly verified account: entrepreneur role, no Entrepreneur row yet."""
    return UserFactory(roles=[Role.ENTREPRENEUR], first_name="Awa", last_name="Ndiaye", email="awa@example.sn")


def start(client, cohort) -> Application:
    response = client.post(reverse("cohorts:application_start", kwargs={"cohort_pk": cohort.pk}))
    application = Application.objects.get(cohort=cohort)
    assert response["Location"] == step_url(application, 1)
    return application


def test_starting_twice_resumes_the_same_application(client, applicant):
    cohort = CohortFactory()
    client.force_login(applicant)

    first = start(client, cohort)
    response = client.post(reverse("cohorts:application_start", kwargs={"cohort_pk": cohort.pk}))

    assert Application.objects.count() == 1
    assert response.status_code == 302
    assert first.status == ApplicationStatus.DRAFT
    entrepreneur = Entrepreneur.objects.get(user=applicant)
    assert (entrepreneur.first_name, entrepreneur.email) == ("Awa", "awa@example.sn")


def test_an_offline_collected_profile_with_the_same_email_is_linked(client, applicant):
    offline = EntrepreneurFactory(user=None, email="awa@example.sn", first_name="Awa", last_name="Ndiaye")
    client.force_login(applicant)
    application = start(client, CohortFactory())
    assert application.entrepreneur == offline
    offline.refresh_from_db()
    assert offline.user == applicant


def test_a_closed_call_cannot_be_started(client, applicant):
    now = timezone.now()
    cohort = CohortFactory(call_opens_at=now - datetime.timedelta(days=30), call_closes_at=now - datetime.timedelta(days=1))
    client.force_login(applicant)
    assert client.post(reverse("cohorts:application_start", kwargs={"cohort_pk": cohort.pk})).status_code == 404
    assert not Application.objects.exists()


def test_each_step_saves_the_draft_and_another_device_resumes_it(client, applicant):
    cohort = CohortFactory()
    client.force_login(applicant)
    application = start(client, cohort)

    response = client.post(step_url(application, 1), {**FOUNDER, "action": "next"})
    assert response["Location"] == step_url(application, 2)
    response = client.post(step_url(application, 2), {**COMPANY, "action": "next"})
    assert response["Location"] == step_url(application, 3)
    response = client.post(
        step_url(application, 3),
        {
            "partnership_types": ["export", "training"],
            "partnership_sought": "Distributeur",
            "target_markets": "Belgique",
            "motivation": "Grandir",
            "action": "save",
        },
    )
    assert response["Location"] == step_url(application, 3)

    application.refresh_from_db()
    assert application.current_step == 4
    assert application.partnership_types == ["export", "training"]
    entrepreneur = application.entrepreneur
    assert (entrepreneur.gender, entrepreneur.country_of_residence) == ("woman", "BE")
    assert is_diaspora(
        country_of_residence=entrepreneur.country_of_residence, origin_country=application.cohort.programme.origin_country
    )
    company = Company.objects.get(name="Bissap Diaspora SUARL")
    assert application.company == company and entrepreneur.company == company
    assert company.region.code == "kaolack" and company.country == "SN" and company.year_founded == 2021

    phone = Client()  # another device: a new session, same account
    phone.force_login(applicant)
    resumed = phone.get(reverse("cohorts:application_resume", kwargs={"pk": application.pk}))
    assert resumed["Location"] == step_url(application, 4)
    page = phone.get(step_url(application, 3)).content.decode()
    assert re.search(r'value="export"[^>]*checked', page) and re.search(r'value="training"[^>]*checked', page)
    assert not re.search(r'value="investment"[^>]*checked', page)
    assert "Distributeur" in page
    assert "Bissap Diaspora SUARL" in phone.get(step_url(application, 2)).content.decode()


def test_back_saves_and_goes_to_the_previous_step(client, applicant):
    client.force_login(applicant)
    application = start(client, CohortFactory())
    client.post(step_url(application, 1), {**FOUNDER, "action": "next"})
    client.post(step_url(application, 2), {**COMPANY, "action": "next"})

    response = client.post(step_url(application, 4), {"gender_commitment": "60 % de femmes", "action": "back"})

    assert response["Location"] == step_url(application, 3)
    application.refresh_from_db()
    assert application.gender_commitment == "60 % de femmes"


def test_an_invalid_step_is_not_saved_and_says_why(client, applicant):
    client.force_login(applicant)
    application = start(client, CohortFactory())

    response = client.post(step_url(application, 2), {**COMPANY, "year_founded": "2999", "action": "next"})

    assert response.status_code == 200
    assert "Indiquez une année entre 1900" in response.content.decode()
    assert not Company.objects.exists()


def test_a_ninea_already_registered_is_a_form_error(client, applicant):
    CompanyFactory(ninea="008765432")
    client.force_login(applicant)
    application = start(client, CohortFactory())
    response = client.post(step_url(application, 2), {**COMPANY, "action": "next"})
    assert response.status_code == 200
    assert "déjà enregistré pour une autre personne" in response.content.decode()
    assert Company.objects.count() == 1


def test_a_new_application_never_rewrites_the_company_of_a_past_one(client, applicant):
    company = CompanyFactory(ninea="008765432", region="dakar", employees=12)
    entrepreneur = EntrepreneurFactory(user=applicant, email=applicant.email, company=company)
    past = ApplicationFactory(entrepreneur=entrepreneur, status=ApplicationStatus.SELECTED, submitted_at=timezone.now())
    client.force_login(applicant)
    application = start(client, CohortFactory())
    assert application.company == company  # the wizard starts from the founder's company

    response = client.post(step_url(application, 2), {**COMPANY, "region": region("ziguinchor").pk, "action": "next"})

    assert response["Location"] == step_url(application, 3)
    past.refresh_from_db()
    application.refresh_from_db()
    entrepreneur.refresh_from_db()
    assert past.company_id == company.pk
    assert (past.company.region.code, past.company.employees, past.company.name) == ("dakar", 12, company.name)
    assert application.company_id != company.pk
    assert entrepreneur.company_id == application.company_id
    assert (application.company.region.code, application.company.employees) == ("ziguinchor", 4)
    # Both rows name the same legal entity; the past one keeps every answer it was judged on.
    assert (application.company.ninea, past.company.ninea) == ("008765432", "008765432")

    # Saving again edits the new draft's own row: no third row.
    client.post(step_url(application, 2), {**COMPANY, "region": region("thies").pk, "action": "save"})
    assert Company.objects.count() == 2
    application.company.refresh_from_db()
    assert application.company.region.code == "thies"
    assert "Bissap Diaspora SUARL" in client.get(step_url(application, 2)).content.decode()


def test_drafts_of_the_same_founder_share_the_company_until_one_is_submitted(client, applicant):
    company = CompanyFactory(region="dakar")
    entrepreneur = EntrepreneurFactory(user=applicant, email=applicant.email, company=company)
    other_draft = ApplicationFactory(entrepreneur=entrepreneur)
    client.force_login(applicant)
    application = start(client, CohortFactory())

    client.post(step_url(application, 2), {**COMPANY, "ninea": "", "region": region("louga").pk, "action": "next"})

    assert Company.objects.count() == 1
    other_draft.refresh_from_db()
    assert other_draft.company.region.code == "louga"


def test_every_step_renders_with_a_progress_indicator(client):
    application = ApplicationFactory()
    client.force_login(application.entrepreneur.user)
    for step in range(1, 7):
        response = client.get(step_url(application, step))
        assert response.status_code == 200
        assert f"Étape {step} sur 6" in response.content.decode()
    assert client.get(reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 7})).status_code == 404


def test_a_submitted_application_is_read_only(client):
    application = ApplicationFactory(submitted=True, motivation="Avant")
    client.force_login(application.entrepreneur.user)

    response = client.post(step_url(application, 3), {"motivation": "Après", "action": "save"})

    assert response["Location"] == reverse("cohorts:application_detail", kwargs={"pk": application.pk})
    application.refresh_from_db()
    assert application.motivation == "Avant"
    assert client.get(step_url(application, 3))["Location"] == response["Location"]


def test_after_the_deadline_a_draft_is_read_only(client):
    application = ApplicationFactory(motivation="Avant")
    client.force_login(application.entrepreneur.user)
    cohort = application.cohort
    cohort.call_opens_at = timezone.now() - datetime.timedelta(days=30)
    cohort.call_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    cohort.save()

    response = client.post(step_url(application, 3), {"motivation": "Après", "action": "save"}, follow=True)

    assert "L'appel est clos" in response.content.decode()
    application.refresh_from_db()
    assert application.motivation == "Avant"


# --- the public call page ------------------------------------------------------------------------


def test_the_call_page_lists_active_criteria_in_the_visitors_language(client):
    cohort = CohortFactory()
    EligibilityCriterionFactory(cohort=cohort, label="Entreprise formelle", label_en="Registered company")
    EligibilityCriterionFactory(cohort=cohort, label="Sans traduction", label_en="")
    EligibilityCriterionFactory(cohort=cohort, label="Critère retiré", is_active=False)
    url = reverse("cohorts:call_detail", kwargs={"pk": cohort.pk})

    french = client.get(url).content.decode()
    assert "Entreprise formelle" in french and "Sans traduction" in french and "Critère retiré" not in french

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(url).content.decode()
    assert "Registered company" in english and "Sans traduction" in english


def test_the_deadline_is_shown_in_dakar_brussels_and_the_users_zone(client):
    # 23:30 UTC on 14 March: still the 14th in Dakar, already the 15th in Brussels and Tokyo.
    closes = datetime.datetime(2099, 3, 14, 23, 30, tzinfo=datetime.UTC)
    cohort = CohortFactory(call_closes_at=closes)
    url = reverse("cohorts:call_detail", kwargs={"pk": cohort.pk})

    page = client.get(url).content.decode()
    assert "14 mars 2099 23:30" in page and "heure de Dakar" in page
    assert "15 mars 2099 00:30" in page and "heure de Bruxelles" in page

    client.force_login(UserFactory(time_zone="Asia/Tokyo"))
    page = client.get(url).content.decode()
    assert "15 mars 2099 08:30" in page and "Asia/Tokyo" in page


def test_the_apply_button_leads_to_signup_or_to_the_wizard(client, applicant):
    cohort = CohortFactory()
    url = reverse("cohorts:call_detail", kwargs={"pk": cohort.pk})

    assert f"{reverse('accounts:signup')}?next=" in client.get(url).content.decode()

    client.force_login(applicant)
    assert reverse("cohorts:application_start", kwargs={"cohort_pk": cohort.pk}) in client.get(url).content.decode()
    application = start(client, cohort)
    assert reverse("cohorts:application_resume", kwargs={"pk": application.pk}) in client.get(url).content.decode()

    client.force_login(UserFactory(roles=[Role.COACH]))
    assert "application_start" not in client.get(url).content.decode()
    assert reverse("cohorts:application_start", kwargs={"cohort_pk": cohort.pk}) not in client.get(url).content.decode()
