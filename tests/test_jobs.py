"""The background-job framework (core.jobs) on each job model: claim, heartbeat, stale takeover, the
finish guard, the retry limit and the periodic re-queue."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import OutgoingEmail
from cohorts.models import ApplicationImport, ScreeningJob
from cohorts.tests.factories import CohortFactory, ProgrammeFactory
from core import jobs
from core.jobs import JobStatus
from mobility.models import InvitationLetter, PersonalDataExport, RetentionRun
from partners.models import CompanyImport
from reporting.models import ReportJob

pytestmark = pytest.mark.django_db


def an_email(**fields):
    return OutgoingEmail.objects.create(to="awa@example.org", kind="test", subject="s", body="b", **fields)


def an_import(**fields):
    return ApplicationImport.objects.create(original_name="a.csv", sha256=f"{ApplicationImport.objects.count():064d}", **fields)


def a_report(**fields):
    return ReportJob.objects.create(kind="committee", programme=ProgrammeFactory(), language="fr", **fields)


def a_screening(**fields):
    return ScreeningJob.objects.create(cohort=CohortFactory(), **fields)


def a_retention_run(**fields):
    return RetentionRun.objects.create(run_on=timezone.localdate() - timedelta(days=RetentionRun.objects.count()), **fields)


def an_export(**fields):
    from accounts.tests.factories import UserFactory

    return PersonalDataExport.objects.create(user=UserFactory(), **fields)


def a_letter(**fields):
    from mobility.tests.factories import invitation_letter

    return invitation_letter(**fields)


def a_company_import(**fields):
    return CompanyImport.objects.create(original_name="e.csv", sha256=f"{CompanyImport.objects.count():064d}", **fields)


MAKERS = [an_email, an_import, a_report, a_screening, a_retention_run, an_export, a_company_import, a_letter]


@pytest.fixture(params=MAKERS, ids=lambda maker: maker.__name__)
def make(request):
    return request.param


def ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def test_every_job_model_is_registered():
    assert set(jobs.job_models()) == {
        OutgoingEmail, ApplicationImport, ReportJob, ScreeningJob, RetentionRun, PersonalDataExport, CompanyImport,
        InvitationLetter,
    }  # fmt: skip


def test_a_queued_job_is_claimed_once(make):
    job = make()

    claimed = jobs.job_claim(model=type(job), pk=job.pk)

    assert claimed.status == JobStatus.RUNNING and claimed.attempts == 1
    assert claimed.started_at and claimed.heartbeat_at
    with pytest.raises(jobs.JobBusy):  # a second delivery finds it held by a live worker
        jobs.job_claim(model=type(job), pk=job.pk)
    assert type(job).objects.get(pk=job.pk).attempts == 1


def test_a_redelivery_waits_only_until_the_heartbeat_would_be_stale(make, settings):
    settings.JOB_HEARTBEAT_SECONDS = 30
    settings.JOB_STALE_SECONDS = 90
    settings.CELERY_TASK_TIME_LIMIT = 3600  # the hard time limit plays no part
    job = make(status=JobStatus.RUNNING, started_at=ago(100), heartbeat_at=ago(60), attempts=1)

    with pytest.raises(jobs.JobBusy) as busy:
        jobs.job_claim(model=type(job), pk=job.pk)

    assert 29 <= busy.value.retry_in <= 32


def test_a_running_job_whose_heartbeat_is_stale_is_taken_over(make, settings):
    settings.JOB_STALE_SECONDS = 90
    job = make(status=JobStatus.RUNNING, started_at=ago(500), heartbeat_at=ago(91), attempts=1)

    claimed = jobs.job_claim(model=type(job), pk=job.pk)

    assert claimed is not None and claimed.attempts == 2
    assert claimed.heartbeat_at > ago(5)


def test_done_and_failed_jobs_are_not_claimed(make):
    for status in (JobStatus.DONE, JobStatus.FAILED):
        extra = {"sent_at": timezone.now()} if make is an_email else {"sha256": "f" * 64} if make is a_report else {}
        job = make(status=status, error="x", **extra)
        assert jobs.job_claim(model=type(job), pk=job.pk) is None


@pytest.mark.django_db(transaction=True)  # the heartbeat thread has its own connection: rows must be committed
def test_the_heartbeat_thread_beats_while_the_job_runs(make, settings):
    job = make()
    job = jobs.job_claim(model=type(job), pk=job.pk)
    type(job).objects.filter(pk=job.pk).update(heartbeat_at=ago(1000))
    beats = []
    real_beat = jobs.job_beat

    def counted_beat(*, job):
        beats.append(timezone.now())
        return real_beat(job=job)

    with mock.patch.object(jobs, "job_beat", side_effect=counted_beat):
        with jobs.job_heartbeat(job=job, interval=0.05):
            deadline = timezone.now() + timedelta(seconds=3)
            while len(beats) < 2 and timezone.now() < deadline:
                pass
    assert len(beats) >= 2
    assert type(job).objects.get(pk=job.pk).heartbeat_at > ago(5)


def test_progress_beats_too(make):
    job = make()
    job = jobs.job_claim(model=type(job), pk=job.pk)
    type(job).objects.filter(pk=job.pk).update(heartbeat_at=ago(1000))

    assert jobs.job_progress(job=job, value=40)

    job.refresh_from_db()
    assert job.progress == 40 and job.heartbeat_at > ago(5)


def test_a_late_loser_never_overwrites_the_winner(make, settings):
    settings.JOB_STALE_SECONDS = 90
    job = make()
    first = jobs.job_claim(model=type(job), pk=job.pk)
    type(job).objects.filter(pk=job.pk).update(heartbeat_at=ago(200))  # the first worker looks dead
    second = jobs.job_claim(model=type(job), pk=job.pk)
    extra = {"sent_at": timezone.now()} if make is an_email else {"sha256": "a" * 64} if make is a_report else {}

    assert jobs.job_finish(job=second, **extra)
    assert not jobs.job_finish(job=first, **extra)
    assert not jobs.job_fail(job=first, reason="late")
    assert not jobs.job_retry_later(job=first, reason="late")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.error == ""


def test_a_retry_gives_the_job_back_with_a_visible_reason(make):
    job = make()
    job = jobs.job_claim(model=type(job), pk=job.pk)

    assert jobs.job_retry_later(job=job, reason="Connection timed out")

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.error_display == "Connection timed out"


def test_a_poisoned_job_ends_failed_with_its_reason_after_the_retry_limit(make):
    job = make()
    limit = type(job).job_max_attempts
    for attempt in range(1, limit + 1):
        claimed = jobs.job_claim(model=type(job), pk=job.pk)
        assert claimed.attempts == attempt
        retried = jobs.job_retry_later(job=claimed, reason="SMTP 554 refusé")
        assert retried == (attempt < limit)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "SMTP 554 refusé" and job.finished_at
    assert jobs.job_claim(model=type(job), pk=job.pk) is None


def test_a_job_that_killed_its_worker_too_often_ends_failed(make, settings):
    settings.JOB_STALE_SECONDS = 90
    job = make(status=JobStatus.RUNNING, attempts=99, heartbeat_at=ago(200))

    assert jobs.job_claim(model=type(job), pk=job.pk) is None

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == jobs.TOO_MANY_ATTEMPTS_CODE
    assert "tentatives" in job.error_display


def test_the_broker_down_leaves_the_job_queued_with_a_reason_in_the_readers_language(make):
    job = make()
    task = f"{type(job).job_task}.delay"

    with mock.patch(task, side_effect=OperationalError("Connection refused")):
        assert not jobs.job_send(model=type(job), pk=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.enqueued_at is None
    assert job.error == jobs.BROKER_UNREACHABLE_CODE
    from django.utils import translation

    with translation.override("en"):
        assert "queue" in job.error_display.lower() and "injoignable" not in job.error_display


def test_requeue_sends_the_lost_jobs_and_leaves_the_others(make, settings):
    settings.JOB_HEARTBEAT_SECONDS = 30
    settings.JOB_STALE_SECONDS = 90
    settings.JOB_REQUEUE_SECONDS = 300
    never_sent = make()
    type(never_sent).objects.filter(pk=never_sent.pk).update(**{type(never_sent).job_created_field: ago(60)})
    just_written = make()  # its on_commit hand-over may still be running
    sent_long_ago = make(enqueued_at=ago(301))
    sent_recently = make(enqueued_at=ago(10))
    dead = make(status=JobStatus.RUNNING, started_at=ago(500), heartbeat_at=ago(91), attempts=1)
    alive = make(status=JobStatus.RUNNING, started_at=ago(500), heartbeat_at=ago(20), attempts=1)
    model = type(never_sent)

    with mock.patch(f"{model.job_task}.delay") as delay:
        assert jobs.jobs_requeue() == 3

    assert sorted(call.args[0] for call in delay.call_args_list) == sorted([never_sent.pk, sent_long_ago.pk, dead.pk])
    for untouched in (just_written, sent_recently, alive):
        assert untouched.pk not in [call.args[0] for call in delay.call_args_list]
    never_sent.refresh_from_db()
    assert never_sent.enqueued_at is not None


def test_requeue_stops_at_the_first_broker_error_and_keeps_the_rows_queued(make):
    first, second = make(enqueued_at=ago(3600)), make(enqueued_at=ago(3600))

    with mock.patch(f"{type(first).job_task}.delay", side_effect=OperationalError("down")) as delay:
        assert jobs.jobs_requeue() == 0

    assert delay.call_count == 1
    assert set(type(first).objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"queued"}


def test_the_takeover_bound_is_within_two_minutes_with_the_defaults(settings):
    settings.JOB_HEARTBEAT_SECONDS = 30
    settings.JOB_STALE_SECONDS = None
    settings.JOB_SCAN_SECONDS = None

    assert jobs.stale_seconds() == 90
    assert jobs.stale_seconds() + jobs.scan_seconds() == 110
    assert jobs.takeover_bound_seconds() == 120


def test_the_beat_schedule_has_one_requeue_entry(settings):
    # One re-queue for every kind of job (other periodic work, such as the purge of unconfirmed imports, may sit beside it).
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert tasks.count("core.jobs_requeue") == 1
    assert not any("requeue" in task for task in tasks if task != "core.jobs_requeue")


def test_every_worker_starts_a_watchdog_that_scans_for_lost_jobs(settings):
    """Started on the worker's `worker_ready` signal, so that takeover does not depend on beat."""
    from celery.signals import worker_ready

    settings.JOB_SCAN_SECONDS = 0.05
    scans = []
    with mock.patch.object(jobs, "jobs_requeue", side_effect=lambda: scans.append(1) or 0):
        worker_ready.send(sender=None)
        try:
            thread = jobs._watchdog["thread"]
            assert thread.is_alive() and jobs.watchdog_start() is thread  # once per process
            deadline = timezone.now() + timedelta(seconds=3)
            while len(scans) < 2 and timezone.now() < deadline:
                pass
        finally:
            jobs.watchdog_stop()
            thread.join(timeout=2)
    assert len(scans) >= 2
    assert not thread.is_alive()


def test_a_job_whose_database_connection_was_lost_is_given_back_with_a_clear_reason_and_sent_again(make):
    from django.db import OperationalError
    from django.utils import translation

    job = make()
    job = jobs.job_claim(model=type(job), pk=job.pk)
    assert jobs.job_connection_lost(OperationalError("server closed the connection unexpectedly"))
    assert not jobs.job_connection_lost(ValueError("bad row"))
    # A statement timeout or a missing table is the job's own failure, kept with its reason.
    assert not jobs.job_connection_lost(OperationalError("canceling statement due to statement timeout"))
    assert not jobs.job_connection_lost(OperationalError("no such table: cohorts_application"))

    with mock.patch(f"{type(job).job_task}.delay") as delay:
        assert jobs.job_interrupted(job=job)

    delay.assert_called_once_with(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.error == jobs.WORKER_LOST_CODE and job.enqueued_at
    with translation.override("en"):
        assert "resumed automatically" in job.error_display  # never the driver's text


def test_a_job_that_lost_its_connection_on_its_last_attempt_ends_failed_with_the_reason(make):
    job = make()
    type(job).objects.filter(pk=job.pk).update(attempts=type(job).job_max_attempts - 1)
    job = jobs.job_claim(model=type(job), pk=job.pk)

    with mock.patch(f"{type(job).job_task}.delay") as delay:
        assert not jobs.job_interrupted(job=job)

    delay.assert_not_called()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == jobs.TOO_MANY_ATTEMPTS_CODE
