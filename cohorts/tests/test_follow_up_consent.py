"""The declaration step asks, optionally, whether the applicant accepts the follow-up questionnaire
even if not selected (the comparison group); the answer is kept with the submission, and kept on the
page when the submission is refused."""

import pytest
from django.urls import reverse

from cohorts.tests.factories_apply import CompleteDraftFactory

pytestmark = pytest.mark.django_db


def submit_url(application):
    return reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 6})


@pytest.mark.parametrize(("ticked", "consent"), [(True, True), (False, False)])
def test_the_consent_is_saved_with_the_submission(client, django_capture_on_commit_callbacks, ticked, consent):
    application = CompleteDraftFactory()
    client.force_login(application.entrepreneur.user)
    data = {"declaration": "on", "action": "submit", **({"follow_up_consent": "on"} if ticked else {})}

    page = client.get(submit_url(application)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(submit_url(application), data)

    assert "questionnaire de suivi à 6 et 12 mois" in page
    application.refresh_from_db()
    assert application.submitted_at is not None
    assert application.follow_up_consent is consent


def test_the_consent_is_optional_and_kept_when_the_declaration_is_missing(client):
    application = CompleteDraftFactory()
    client.force_login(application.entrepreneur.user)

    response = client.post(submit_url(application), {"follow_up_consent": "on", "action": "submit"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="follow_up_consent"' in html and "checked" in html.split('name="follow_up_consent"')[1].split(">")[0]
    application.refresh_from_db()
    assert application.submitted_at is None
