"""The applicant's list and status pages: own applications only, the outcome shown once notified, and a
number of queries that does not grow with the rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus, DecisionOutcome
from cohorts.services import application_transition
from cohorts.tests.factories import (
    ApplicationDocumentFactory,
    ApplicationFactory,
    CohortFactory,
    SelectionDecisionFactory,
)
from partners.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db


def detail(application):
    return reverse("cohorts:application_detail", kwargs={"pk": application.pk})


@pytest.mark.parametrize(
    "url_name, extra",
    [
        ("cohorts:application_detail", {}),
        ("cohorts:application_resume", {}),
        ("cohorts:application_step", {"step": 1}),
        ("cohorts:application_step", {"step": 6}),
    ],
)
def test_another_persons_application_id_is_a_404(client, url_name, extra):
    mine, theirs = ApplicationFactory(), ApplicationFactory()
    client.force_login(mine.entrepreneur.user)
    url = reverse(url_name, kwargs={"pk": theirs.pk, **extra})
    assert client.get(url).status_code == 404
    assert client.post(url, {"motivation": "piraté", "action": "save", "declaration": "on"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.motivation != "piraté" and theirs.status == ApplicationStatus.DRAFT


def test_staff_cannot_edit_through_the_wizard(client):
    application = ApplicationFactory()
    client.force_login(UserFactory(roles=[Role.STAFF]))
    assert client.get(reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 1})).status_code == 404


def test_the_status_page_shows_history_and_documents(client):
    application = ApplicationFactory()
    document = ApplicationDocumentFactory(application=application, original_name="ninea.pdf")
    application_transition(application=application, to_status=ApplicationStatus.SUBMITTED)
    client.force_login(application.entrepreneur.user)

    page = client.get(detail(application)).content.decode()

    assert "Soumise" in page
    assert "ninea.pdf" in page
    assert reverse("cohorts:application_document_download", kwargs={"pk": application.pk, "document_pk": document.pk}) in page
    assert "Candidature commencée le" in page


def test_the_outcome_is_hidden_until_the_decision_is_notified(client):
    application = ApplicationFactory(status=ApplicationStatus.SHORTLISTED, submitted_at=timezone.now())
    application_transition(application=application, to_status=ApplicationStatus.REJECTED)
    decision = SelectionDecisionFactory(application=application, outcome=DecisionOutcome.REJECTED, reason="Motif confidentiel")
    client.force_login(application.entrepreneur.user)

    page = client.get(detail(application)).content.decode()
    assert "Non retenue" not in page and "Motif confidentiel" not in page
    assert "En évaluation" in page

    decision.notified_at = timezone.now()
    decision.save()
    page = client.get(detail(application)).content.decode()
    assert "Non retenue" in page and "Motif confidentiel" in page


def test_the_list_shows_only_own_applications(client):
    mine = ApplicationFactory(cohort__name="Cohorte Kaolack")
    ApplicationFactory(cohort__name="Cohorte d'une autre")
    client.force_login(mine.entrepreneur.user)
    page = client.get(reverse("cohorts:my_applications")).content.decode()
    assert "Cohorte Kaolack" in page and "Cohorte d&#x27;une autre" not in page and "Cohorte d'une autre" not in page


def _applications(entrepreneur, count):
    for _ in range(count):
        application = ApplicationFactory(entrepreneur=entrepreneur, cohort=CohortFactory())
        ApplicationDocumentFactory(application=application)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_takes_the_same_queries_at_3_and_30_rows(client, django_assert_num_queries, rows):
    entrepreneur = EntrepreneurFactory()
    _applications(entrepreneur, rows)
    client.force_login(entrepreneur.user)
    # session, user, the user's groups (role check), the applications with cohort, programme, company,
    # decision and their document counts; plus the savepoint pair of ATOMIC_REQUESTS.
    with django_assert_num_queries(6):
        response = client.get(reverse("cohorts:my_applications"))
    assert response.content.decode().count('class="list-group-item') == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_status_page_takes_the_same_queries_at_3_and_30_documents(client, django_assert_num_queries, rows):
    application = ApplicationFactory()
    for _ in range(rows):
        ApplicationDocumentFactory(application=application)
    for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE):
        application_transition(application=application, to_status=status)
    client.force_login(application.entrepreneur.user)
    # session, user, groups, the application with its relations, its visible transitions, its documents,
    # plus the savepoint pair of ATOMIC_REQUESTS.
    with django_assert_num_queries(8):
        response = client.get(detail(application))
    assert response.content.decode().count("/documents/") == rows
