"""Submission: exactly once, before the deadline, with the declaration and every required answer; then
screened and confirmed by one e-mail in the applicant's language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail
from cohorts.models import ApplicationStatus, ApplicationTransition
from cohorts.services.apply import ApplicationIncomplete, application_submit
from cohorts.tests.factories import ApplicationFactory, EligibilityCriterionFactory
from cohorts.tests.factories_apply import CompleteDraftFactory

pytestmark = pytest.mark.django_db


def submit_url(application):
    return reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 6})


def test_two_posts_make_one_submission_and_one_email(client, mailoutbox, django_capture_on_commit_callbacks):
    application = CompleteDraftFactory(entrepreneur__user__preferred_language="fr")
    client.force_login(application.entrepreneur.user)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(submit_url(application), {"declaration": "on", "action": "submit"})
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(submit_url(application), {"declaration": "on", "action": "submit"})

    detail = reverse("cohorts:application_detail", kwargs={"pk": application.pk})
    assert first["Location"] == second["Location"] == detail
    application.refresh_from_db()
    assert application.submitted_at is not None and application.declaration_accepted_at is not None
    assert ApplicationTransition.objects.filter(application=application, to_status=ApplicationStatus.SUBMITTED).count() == 1
    assert OutgoingEmail.objects.filter(kind="application_submitted").count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith("Candidature reçue")
    assert detail in mailoutbox[0].body


def test_the_service_called_twice_submits_once(django_capture_on_commit_callbacks):
    application = CompleteDraftFactory()
    user = application.entrepreneur.user
    with django_capture_on_commit_callbacks(execute=True):
        assert application_submit(application=application, by=user, declaration_accepted=True) is True
        assert application_submit(application=application, by=user, declaration_accepted=True) is False
    assert OutgoingEmail.objects.count() == 1


def test_submission_runs_the_screening(django_capture_on_commit_callbacks):
    application = CompleteDraftFactory(entrepreneur__company__year_founded=timezone.now().year)
    EligibilityCriterionFactory(cohort=application.cohort, field="company_age", operator="gte", value="2")

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, by=application.entrepreneur.user, declaration_accepted=True)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.INELIGIBLE
    assert [item["field"] for item in application.failed_criteria] == ["company_age"]
    assert list(application.transitions.values_list("to_status", flat=True)) == ["submitted", "ineligible"]


def test_the_confirmation_is_in_the_applicants_language(django_capture_on_commit_callbacks):
    application = CompleteDraftFactory(entrepreneur__user__preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, by=application.entrepreneur.user, declaration_accepted=True)
    assert OutgoingEmail.objects.get().language == "en"


def test_submission_after_the_deadline_is_refused(client, mailoutbox):
    application = CompleteDraftFactory()
    cohort = application.cohort
    cohort.call_opens_at = timezone.now() - datetime.timedelta(days=30)
    cohort.call_closes_at = timezone.now() - datetime.timedelta(seconds=1)
    cohort.save()
    client.force_login(application.entrepreneur.user)

    response = client.post(submit_url(application), {"declaration": "on", "action": "submit"}, follow=True)

    assert "L'appel est clos" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.submitted_at is None
    assert not mailoutbox


def test_the_service_refuses_after_the_deadline_with_a_clear_message():
    application = CompleteDraftFactory()
    application.cohort.call_opens_at = timezone.now() - datetime.timedelta(days=30)
    application.cohort.call_closes_at = timezone.now() - datetime.timedelta(seconds=1)
    application.cohort.save()
    with pytest.raises(Exception) as error:
        application_submit(application=application, by=application.entrepreneur.user, declaration_accepted=True)
    assert "date limite" in str(error.value)


def test_the_declaration_is_required(client):
    application = CompleteDraftFactory()
    client.force_login(application.entrepreneur.user)

    response = client.post(submit_url(application), {"action": "submit"})

    assert response.status_code == 200
    assert "Vous devez accepter la déclaration" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_missing_answers_are_listed_per_step(client):
    application = ApplicationFactory(company=None, entrepreneur__gender="")
    client.force_login(application.entrepreneur.user)

    response = client.post(submit_url(application), {"declaration": "on", "action": "submit"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Votre candidature est incomplète" in page
    for step in (1, 2, 3, 5):
        assert reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": step}) in page
    assert "genre" in page and "au moins un document" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_the_service_names_what_is_missing():
    application = ApplicationFactory(motivation="")
    with pytest.raises(ApplicationIncomplete) as error:
        application_submit(application=application, by=application.entrepreneur.user, declaration_accepted=False)
    assert set(error.value.missing) == {3, 5, 6}
