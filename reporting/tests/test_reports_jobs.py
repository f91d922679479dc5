"""Report jobs: asked once and joined, rendered once, failures recorded, nothing lost when the broker is down."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import CohortFactory, ProgrammeFactory
from core import jobs
from reporting import rendering
from reporting.models import JobStatus, ReportJob, ReportKind
from reporting.services import reports as service
from reporting.tests.factories import CriterionGradeFactory, EvaluationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_report_files_yet():
    """The private storage lives for the whole session, and ids come back after each rollback."""
    import shutil

    storage = ReportJob._meta.get_field("file").storage
    shutil.rmtree(storage.path("reports"), ignore_errors=True)


@pytest.fixture
def staff():
    return UserFactory(roles=[Role.STAFF])


@pytest.fixture
def programme():
    return ProgrammeFactory()


def stored_reports(job: ReportJob) -> list[str]:
    storage = ReportJob._meta.get_field("file").storage
    folder = f"reports/{job.programme_id}"
    return storage.listdir(folder)[1] if storage.exists(folder) else []


def ask(programme, by, **kwargs) -> ReportJob:
    return service.report_request(**{"kind": "committee", "programme": programme, "language": "fr", "by": by, **kwargs})


# --- Asking -------------------------------------------------------------------------------------------


def test_asking_queues_a_job_and_sends_it_to_a_worker_only_after_the_commit(programme, staff, django_capture_on_commit_callbacks):
    with mock.patch("reporting.tasks_reports.report_render.delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = ask(programme, staff)
        assert delay.call_count == 0
        for callback in callbacks:
            callback()

    delay.assert_called_once_with(job.pk)
    assert job.status == JobStatus.QUEUED
    assert job.requested_by == staff


def test_asking_for_the_same_report_while_it_is_in_flight_joins_it(programme, staff, django_capture_on_commit_callbacks):
    other = UserFactory(roles=[Role.STAFF])
    with mock.patch("reporting.tasks_reports.report_render.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            first = ask(programme, staff)
            again = ask(programme, other)
            ReportJob.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
            while_running = ask(programme, other)
            in_english = ask(programme, other, language="en")

    assert again.pk == first.pk == while_running.pk
    assert in_english.pk != first.pk
    assert delay.call_count == 2  # the first job and the English one


def test_a_concurrent_insert_of_the_same_report_is_joined_not_an_error(programme, staff, django_capture_on_commit_callbacks):
    theirs = ReportJob.objects.create(kind="committee", programme=programme, language="fr")
    # Our read happens before their insert: we see nothing, then our insert hits the one-in-flight constraint.
    real = service._in_flight

    calls = []

    def in_flight(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    with (
        mock.patch.object(service, "_in_flight", side_effect=in_flight),
        mock.patch("reporting.tasks_reports.report_render.delay") as delay,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            joined = ask(programme, staff)

    assert joined.pk == theirs.pk
    assert ReportJob.objects.filter(programme=programme).count() == 1
    delay.assert_not_called()


def test_a_finished_report_asked_again_is_a_new_job(programme, staff):
    done = ReportJob.objects.create(kind="committee", programme=programme, language="fr", status="done", sha256="a" * 64)
    with mock.patch("reporting.tasks_reports.report_render.delay"):
        job = ask(programme, staff)
    assert job.pk != done.pk


def test_a_report_that_cannot_be_built_is_refused_with_a_message(programme, staff):
    with pytest.raises(service.ValidationError) as error:
        ask(programme, staff, kind="dac")  # no evaluation yet
    assert "évaluation" in str(error.value)
    with pytest.raises(service.ValidationError):
        ask(programme, staff, kind="cohort", cohort=CohortFactory())  # a cohort of another programme
    assert not ReportJob.objects.exists()


# --- Rendering once -----------------------------------------------------------------------------------


def test_rendering_twice_gives_one_file_and_one_done(programme):
    job = ReportJob.objects.create(kind="committee", programme=programme, language="fr")

    first = service.report_render_run(job_id=job.pk)
    second = service.report_render_run(job_id=job.pk)

    assert second is None
    assert first.status == JobStatus.DONE
    assert first.progress == 100 and first.attempts == 1 and first.finished_at and first.data_as_of
    assert len(stored_reports(job)) == 1
    with first.file.open("rb") as handle:
        content = handle.read()
    assert len(content) == first.size
    import hashlib

    assert hashlib.sha256(content).hexdigest() == first.sha256
    assert "Note au comité de pilotage" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_a_slow_run_overtaken_by_a_redelivery_deletes_its_own_file(programme):
    """Worker A is so slow that the job looks abandoned; worker B takes it over and finishes first."""
    job = ReportJob.objects.create(kind="committee", programme=programme, language="fr")
    real_pdf = rendering.pdf_from_html
    overtaken = []

    def slow_pdf(*, html):
        if not overtaken:
            overtaken.append(True)
            ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=2))
            assert service.report_render_run(job_id=job.pk).status == JobStatus.DONE  # worker B
        return real_pdf(html=html)

    with mock.patch.object(rendering, "pdf_from_html", side_effect=slow_pdf):
        service.report_render_run(job_id=job.pk)  # worker A

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert stored_reports(job) == [job.file.name.rsplit("/", 1)[1]]


def test_a_job_delivered_again_while_a_live_worker_renders_it_waits(programme):
    job = ReportJob.objects.create(
        kind="committee",
        programme=programme,
        language="fr",
        status="running",
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )

    with pytest.raises(service.ReportJobBusy) as busy:
        service.report_render_run(job_id=job.pk)

    assert 0 < busy.value.retry_in <= jobs.stale_seconds() + 1
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 0


def test_a_job_that_killed_its_worker_three_times_is_abandoned(programme):
    stale = timezone.now() - timedelta(seconds=jobs.stale_seconds() + 5)
    job = ReportJob.objects.create(
        kind="committee", programme=programme, language="fr", status="running", started_at=stale, heartbeat_at=stale, attempts=3
    )

    service.report_render_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == jobs.TOO_MANY_ATTEMPTS_CODE and "tentatives" in job.error_display
    assert stored_reports(job) == []


# --- Failures -----------------------------------------------------------------------------------------


def test_a_weasyprint_failure_fails_the_job_with_the_reason_and_retry_asks_again(
    programme, staff, django_capture_on_commit_callbacks, caplog
):
    job = ReportJob.objects.create(kind="committee", programme=programme, language="fr", requested_by=staff)

    with mock.patch("weasyprint.HTML.write_pdf", side_effect=ValueError("police introuvable")):
        service.report_render_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    # The library's words go to the log for the team; the page says what happened in the reader's words.
    assert "police introuvable" in caplog.text and "ValueError" in caplog.text
    assert job.error == jobs.PDF_FAILED_CODE
    assert "police" not in job.error_display and "ValueError" not in job.error_display
    assert "PDF n'a pas pu être produit" in job.error_display
    with translation.override("en"):
        assert "The PDF could not be produced" in job.error_display
    assert not job.file and stored_reports(job) == []

    with mock.patch("reporting.tasks_reports.report_render.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            retried = service.report_retry(job=job, by=staff)
    assert retried.pk != job.pk and retried.status == JobStatus.QUEUED
    delay.assert_called_once_with(retried.pk)
    # Celery is eager in tests: the real task renders it.
    service.report_render_run(job_id=retried.pk)
    retried.refresh_from_db()
    assert retried.status == JobStatus.DONE


def test_a_missing_evaluation_at_render_time_fails_the_job_with_a_message(programme):
    evaluation = EvaluationFactory(programme=programme)
    CriterionGradeFactory(evaluation=evaluation)
    job = ReportJob.objects.create(kind="dac", programme=programme, language="fr")
    evaluation.delete()

    service.report_render_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "pas d'évaluation" in job.error


def test_broker_unreachable_keeps_the_job_queued_and_requeue_sends_it_later(programme, staff, django_capture_on_commit_callbacks):
    with mock.patch("reporting.tasks_reports.report_render.delay", side_effect=OperationalError("Connection refused")):
        with django_capture_on_commit_callbacks(execute=True):
            job = ask(programme, staff)

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.error == service.BROKER_UNREACHABLE_CODE

    with mock.patch("reporting.tasks_reports.report_render.delay") as delay:
        call_command("requeue_reports", stdout=io.StringIO())  # too recent: left alone
        assert delay.call_count == 0
        ReportJob.objects.filter(pk=job.pk).update(requested_at=timezone.now() - timedelta(minutes=10))
        out = io.StringIO()
        call_command("requeue_reports", stdout=out)
        ReportJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - timedelta(minutes=10))  # lost by the broker
        call_command("requeue_reports", stdout=io.StringIO())  # idempotent: a second send renders nothing twice

    assert delay.call_args_list == [mock.call(job.pk), mock.call(job.pk)]
    assert out.getvalue().startswith("1 ")
    job.refresh_from_db()
    assert job.error == ""
    service.report_render_run(job_id=job.pk)
    assert service.report_render_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and len(stored_reports(job)) == 1


def test_the_task_runs_the_service_and_reports_the_status(programme):
    from reporting.tasks_reports import report_render

    job = ReportJob.objects.create(kind="committee", programme=programme, language="en")

    assert report_render.delay(job.pk).get() == "done"
    assert report_render.delay(job.pk).get() is None
    assert report_render.acks_late and report_render.reject_on_worker_lost and report_render.max_retries == 3


def test_render_report_writes_the_pdf_for_scripts(tmp_path):
    programme = ProgrammeFactory(code="pem-test")
    cohort = CohortFactory(programme=programme)
    output = tmp_path / "out" / "cohort.pdf"

    call_command(
        "render_report",
        "cohort",
        "--programme",
        "pem-test",
        "--cohort",
        str(cohort.number),
        "--lang",
        "fr",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )

    reader = PdfReader(output)
    assert cohort.name in reader.pages[0].extract_text()
    assert not ReportJob.objects.exists()
    with pytest.raises(CommandError, match="évaluation"):
        call_command("render_report", "dac", "--programme", "pem-test", "--output", str(output), stdout=io.StringIO())


def test_the_broker_message_is_shown_in_the_readers_language(client, programme, staff, django_capture_on_commit_callbacks):
    with mock.patch("reporting.tasks_reports.report_render.delay", side_effect=OperationalError("Connection refused")):
        with django_capture_on_commit_callbacks(execute=True):
            job = ask(programme, staff)
    client.force_login(staff)
    url = reverse("reporting:report_status", args=[job.pk])

    assert "injoignable" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "injoignable" not in english and "unreachable" in english.lower()


def test_a_bug_while_building_the_report_is_logged_and_the_person_reads_a_plain_reason(programme, caplog):
    job = ReportJob.objects.create(kind="committee", programme=programme, language="en")

    broken = mock.Mock(side_effect=KeyError("calculator_key_x"))
    template = rendering.CONTEXTS[ReportKind.COMMITTEE_BRIEF][1]
    with mock.patch.dict(rendering.CONTEXTS, {ReportKind.COMMITTEE_BRIEF: (broken, template)}):
        service.report_render_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == jobs.UNEXPECTED_CODE
    assert "calculator_key_x" in caplog.text
    with translation.override("en"):
        assert job.error_display.startswith("An unexpected error stopped the processing")
        assert "KeyError" not in job.error_display and "calculator_key_x" not in job.error_display
