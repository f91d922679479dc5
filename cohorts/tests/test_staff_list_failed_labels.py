"""The criteria an application failed, on the staff application list and in its export, in the reader's
language: read from the criteria (a French page never shows the English label, nor the reverse); a label
written only in the other language is marked with its language; a criterion deleted since the screening
keeps the label stored then."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory, CohortFactory, EligibilityCriterionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("cohorts:application_list")
EXPORT = reverse("cohorts:application_export")


@pytest.fixture
def failed():
    """An ineligible application that failed three criteria: one in both languages, one written in French
    only, and one deleted since (its label stored at the screening, in French)."""
    cohort = CohortFactory()
    both = EligibilityCriterionFactory(
        cohort=cohort, label_fr="Entreprise de plus de deux ans", label_en="Company older than two years"
    )
    french_only = EligibilityCriterionFactory(cohort=cohort, label_fr="Siège au Sénégal", label_en="")
    gone = EligibilityCriterionFactory(cohort=cohort, label_fr="Critère supprimé depuis", label_en="Criterion deleted since")
    stored = [
        {"id": criterion.pk, "field": criterion.field, "label": criterion.label_fr} for criterion in (both, french_only, gone)
    ]
    gone.delete()
    return ApplicationFactory(
        cohort=cohort,
        submitted=True,
        status=ApplicationStatus.INELIGIBLE,
        is_eligible=False,
        eligibility_checked_at=timezone.now(),
        failed_criteria=stored,
    )


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    return client


def test_in_english_the_list_shows_each_failed_criterion_in_english_or_marked(staff_client, failed):
    staff_client.cookies["django_language"] = "en"
    html = staff_client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Company older than two years" in html
    assert "Entreprise de plus de deux ans" not in html
    assert 'lang="fr"' in html and "Siège au Sénégal" in html  # the French-only label, marked as French
    assert "Critère supprimé depuis" in html  # deleted since: the label stored at the screening


def test_in_french_the_list_shows_the_french_labels(staff_client, failed):
    html = staff_client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Entreprise de plus de deux ans" in html and "Siège au Sénégal" in html
    assert "Company older than two years" not in html


def test_the_export_writes_the_labels_in_the_readers_language(staff_client, failed):
    staff_client.cookies["django_language"] = "en"
    content = staff_client.get(EXPORT, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")

    assert "Company older than two years" in content
    assert "Entreprise de plus de deux ans" not in content
    assert "Siège au Sénégal" in content


def test_the_list_reads_the_labels_of_a_whole_page_in_one_query(staff_client, failed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _n in range(5):
        ApplicationFactory(cohort=failed.cohort, submitted=True, failed_criteria=failed.failed_criteria, is_eligible=False)
    with CaptureQueriesContext(connection) as captured:
        assert staff_client.get(LIST).status_code == 200
    assert len([q for q in captured.captured_queries if "cohorts_eligibilitycriterion" in q["sql"]]) == 1
