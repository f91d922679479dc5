"""A service that refuses connections, or accepts them and never answers (a hung broker, a hung SMTP
server): the person's request still answers quickly (within 5 s) with a clear message, never a 500, and
the job's row keeps a visible reason. Production timeouts (settings), real sockets, no mocks."""

import socket
import threading
import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import OutgoingEmail, Role
from accounts.services import email_deliver
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ProgrammeFactory
from core.jobs import BROKER_UNREACHABLE_CODE, JobRetry, JobStatus
from core.testing import celery_app_configured as _app_configured
from reporting.models import ReportJob

#: What a person may wait for an answer when a service is down or hung.
ANSWER_BOUND = 5.0


@contextmanager
def hung_server():
    """A TCP server that accepts connections and never sends a byte. Yields its port."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    accepted, stop = [], threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in accepted:
            conn.close()
        listener.close()


def closed_port() -> int:
    """A port nothing listens on: connections are refused at once."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def redis_broker(port: int) -> dict:
    """The production Redis transport settings, pointed at `port` (the write URL too: Celery lets the
    CELERY_BROKER_URL environment variable override broker_url)."""
    return {
        "broker_url": f"redis://127.0.0.1:{port}/0",
        "broker_write_url": f"redis://127.0.0.1:{port}/0",
        "broker_transport_options": settings.BROKER_REDIS_TRANSPORT_OPTIONS,
        "task_always_eager": False,
    }


def ask_report(client) -> tuple[float, object]:
    programme = ProgrammeFactory()
    client.force_login(UserFactory(roles=[Role.STAFF]))
    started = time.monotonic()
    response = client.post(
        reverse("reporting:report_request"), {"kind": "committee", "programme": programme.pk, "language": "fr"}, follow=True
    )
    return time.monotonic() - started, response


@pytest.mark.django_db(transaction=True)
def test_a_report_asked_while_the_broker_refuses_connections_answers_at_once_with_the_queued_message(client):
    with _app_configured(**redis_broker(closed_port())):
        elapsed, response = ask_report(client)

    print(f"\nbroker refusing: the report request answered in {elapsed:.2f} s")
    assert response.status_code == 200 and response.redirect_chain[-1][1] == 302
    assert elapsed < ANSWER_BOUND
    job = ReportJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.error == BROKER_UNREACHABLE_CODE and job.enqueued_at is None
    assert "injoignable" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_report_asked_while_the_broker_hangs_answers_within_5_seconds_with_the_queued_message(client):
    with hung_server() as port, _app_configured(**redis_broker(port)):
        elapsed, response = ask_report(client)

    print(f"\nbroker hung: the report request answered in {elapsed:.2f} s")
    assert response.status_code == 200 and response.redirect_chain[-1][1] == 302
    assert elapsed < ANSWER_BOUND
    job = ReportJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.error == BROKER_UNREACHABLE_CODE
    assert "injoignable" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_while_the_smtp_server_hangs_answers_at_once_and_the_email_keeps_the_reason(client, settings):
    UserFactory(email="awa@example.sn", preferred_language="fr")
    with hung_server() as smtp_port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
        # A real (in-memory) broker and no worker in the request: the request only queues the e-mail.
        with _app_configured(broker_url="memory://", broker_write_url="memory://", task_always_eager=False):
            started = time.monotonic()
            response = client.post(reverse("accounts:password_reset"), {"email": "awa@example.sn"})
            elapsed = time.monotonic() - started
        email = OutgoingEmail.objects.get(to="awa@example.sn")
        assert email.status == JobStatus.QUEUED and email.enqueued_at is not None

        # What the worker does with it: the hung server costs EMAIL_TIMEOUT, then the reason is kept.
        started = time.monotonic()
        with pytest.raises(JobRetry):
            email_deliver(email_id=email.pk)
        worker_elapsed = time.monotonic() - started

    print(f"\nSMTP hung: password reset answered in {elapsed:.2f} s; the worker's attempt gave up after {worker_elapsed:.2f} s")
    assert response.status_code == 302
    assert elapsed < ANSWER_BOUND
    assert worker_elapsed < settings.EMAIL_TIMEOUT + 2
    email.refresh_from_db()
    assert email.status == JobStatus.QUEUED and email.attempts == 1  # retried later by its task
    assert "timed out" in email.error


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_while_the_broker_hangs_answers_within_5_seconds_and_the_email_stays_queued(client):
    UserFactory(email="awa@example.sn")
    with hung_server() as port, _app_configured(**redis_broker(port)):
        started = time.monotonic()
        response = client.post(reverse("accounts:password_reset"), {"email": "awa@example.sn"})
        elapsed = time.monotonic() - started

    print(f"\nbroker hung: password reset answered in {elapsed:.2f} s")
    assert response.status_code == 302
    assert elapsed < ANSWER_BOUND
    email = OutgoingEmail.objects.get(to="awa@example.sn")
    assert email.status == JobStatus.QUEUED and email.error == BROKER_UNREACHABLE_CODE  # sent again by jobs_requeue
