"""The reason of a decision is written in French and English side by side; each applicant reads it in
their language, or in the other one marked as such."""

import pytest

from accounts.models import OutgoingEmail
from cohorts.models import ApplicationStatus, DecisionOutcome
from cohorts.services.selection import selection_decide, selection_notify
from cohorts.tests.factories_review import application_reviewed

pytestmark = pytest.mark.django_db


def _decided(language: str, reason) -> OutgoingEmail:
    application = application_reviewed(ApplicationStatus.SHORTLISTED, entrepreneur__user__preferred_language=language)
    selection_decide(application=application, outcome=DecisionOutcome.REJECTED, reason=reason, by=None)
    selection_notify(cohort=application.cohort)
    return OutgoingEmail.objects.get(kind="selection_rejected")


def test_an_english_reader_gets_the_english_reason(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _decided("en", {"fr": "Projet de partenariat à préciser.", "en": "Partnership project to be clarified."})
    assert "Partnership project to be clarified." in email.body
    assert "à préciser" not in email.body


def test_a_reason_written_only_in_french_reaches_an_english_reader_marked_as_french(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _decided("en", {"fr": "Projet de partenariat à préciser.", "en": ""})
    assert "Projet de partenariat à préciser. [in French]" in email.body


def test_the_staff_board_takes_both_languages(client):
    from django.urls import reverse

    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    application = application_reviewed(ApplicationStatus.SHORTLISTED)
    client.force_login(UserFactory(roles=[Role.STAFF]))
    response = client.post(
        reverse("cohorts:selection_decide", args=[application.cohort.pk]),
        {
            "applications": [application.pk],
            "action": DecisionOutcome.SELECTED,
            "reason": "Dossier solide.",
            "reason_en": "Strong file.",
        },
    )
    assert response.status_code == 302
    application.decision.refresh_from_db()
    assert (application.decision.reason_fr, application.decision.reason_en) == ("Dossier solide.", "Strong file.")
