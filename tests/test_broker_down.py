"""The broker unreachable when a job is handed over: the user's request still succeeds, the job's row
stays queued, and the periodic re-queue sends it once the broker is back."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.emails import email_queue
from accounts.models import EmailStatus, OutgoingEmail
from cohorts.models import ApplicationImport, ImportStatus
from core.jobs import jobs_requeue

pytestmark = pytest.mark.django_db

DOWN = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_an_email_written_while_the_broker_is_down_is_kept_and_sent_later(django_capture_on_commit_callbacks):
    with mock.patch("accounts.tasks.email_send.delay", side_effect=DOWN):
        with django_capture_on_commit_callbacks(execute=True):
            email = email_queue(to="awa@example.org", template="test_message", context={"name": "Awa"})
    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.QUEUED
    assert mail.outbox == []

    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    assert jobs_requeue() == 1  # Celery runs eagerly in tests: the worker sends it now

    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.DONE
    assert len(mail.outbox) == 1
    assert jobs_requeue() == 0


def test_the_sign_up_page_answers_even_when_the_broker_is_down(client):
    with mock.patch("accounts.tasks.email_send.delay", side_effect=DOWN):
        response = client.post(
            "/accounts/signup/",
            {
                "first_name": "Awa",
                "last_name": "Diop",
                "email": "awa.diop@example.org",
                "preferred_language": "fr",
                "password1": "Baobab-Thies-2026!",
                "password2": "Baobab-Thies-2026!",
            },
        )
    assert response.status_code == 302
    assert OutgoingEmail.objects.filter(to="awa.diop@example.org", status=EmailStatus.QUEUED).exists()


def test_a_still_unreachable_broker_leaves_the_rows_queued_for_the_next_run():
    job = ApplicationImport.objects.create(original_name="a.csv", sha256="a" * 64, status=ImportStatus.QUEUED)
    ApplicationImport.objects.filter(pk=job.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=10))
    with mock.patch("cohorts.tasks_staff.application_import_run.delay", side_effect=DOWN):
        assert jobs_requeue() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
