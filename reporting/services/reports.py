"""Report jobs: ask for a PDF report (joining one already in flight), render it in a worker exactly once,
re-send jobs that never reached the broker. The job's status lives in `ReportJob`, never in Celery.

The render claims the job with a conditional update, reads the data, builds the HTML and calls WeasyPrint
outside any database transaction, stores the file in the private storage and marks the job done with a
second conditional update: of two runs of one job (a redelivery after a worker died), one file survives.
"""

import hashlib
import logging
import os
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Programme
from core.jobs import (
    BROKER_UNREACHABLE_CODE,
    REASONS,
    TOO_MANY_ATTEMPTS_CODE,
    UNEXPECTED_CODE,
    JobBusy,
    job_claim,
    job_enqueue,
    job_fail,
    job_finish,
    job_heartbeat,
    job_progress,
    job_send,
)

from ..models import Evaluation, JobStatus, ReportJob, ReportKind, report_path

logger = logging.getLogger(__name__)

#: A job is abandoned (failed) when its render has been started this many times without finishing.
MAX_ATTEMPTS = ReportJob.job_max_attempts

#: Test-only hook: seconds to sleep just before WeasyPrint, so that a fault test can kill the worker in
#: the middle of a render. Never set it outside tests (tests/reporting fault tests set it for one worker).
#: It slows only a job's first attempt, so that the attempt that takes a killed render over is quick.
TEST_ONLY_DELAY_VARIABLE = "PEM_TEST_ONLY_REPORT_RENDER_DELAY"

#: Shown on a queued job whose message could not be handed to the broker (the row stores the code).
BROKER_UNREACHABLE = REASONS[BROKER_UNREACHABLE_CODE]

#: The old name of the framework's JobBusy (a live worker holds the job).
ReportJobBusy = JobBusy


# --------------------------------------------------------------------------------------------------
# Requesting
# --------------------------------------------------------------------------------------------------


def _in_flight(*, kind: str, programme: Programme, cohort: Cohort | None, language: str) -> ReportJob | None:
    return (
        ReportJob.objects.filter(
            kind=kind, programme=programme, cohort=cohort, language=language, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        )
        .order_by("pk")
        .first()
    )


def report_request_validate(*, kind: str, programme: Programme, cohort: Cohort | None, language: str) -> None:
    """Refuse a report that cannot be built, with a message in the user's language."""
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = _("Type de rapport inconnu.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Langue non disponible.")
    if cohort is not None and cohort.programme_id != programme.pk:
        errors["cohort"] = _("Cette cohorte n'appartient pas au programme.")
    if kind == ReportKind.COHORT and cohort is None:
        errors["cohort"] = _("Choisissez la cohorte du rapport.")
    if kind in (ReportKind.DAC_EVALUATION, ReportKind.COMMITTEE_BRIEF) and cohort is not None:
        errors["cohort"] = _("Ce rapport porte sur tout le programme : ne choisissez pas de cohorte.")
    if kind == ReportKind.DAC_EVALUATION and not Evaluation.objects.filter(programme=programme).exists():
        errors["kind"] = _("Ce programme n'a pas encore d'évaluation : le rapport CAD ne peut pas être produit.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_request(*, kind: str, programme: Programme, cohort: Cohort | None = None, language: str, by) -> ReportJob:
    """Answer at once with the job of this report: the one already queued or running (joined), or a new
    one, queued for a worker once the transaction commits."""
    report_request_validate(kind=kind, programme=programme, cohort=cohort, language=language)
    existing = _in_flight(kind=kind, programme=programme, cohort=cohort, language=language)
    if existing is not None:
        return existing
    job = ReportJob(kind=kind, programme=programme, cohort=cohort, language=language, requested_by=by)
    # The one-in-flight constraint is left to the database: a check here would race anyway.
    job.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        # Someone asked for the same report between our read and our insert: join theirs.
        existing = _in_flight(kind=kind, programme=programme, cohort=cohort, language=language)
        if existing is None:
            raise
        return existing
    job_enqueue(job=job)
    return job


def report_enqueue(*, job_id: int) -> bool:
    """Hand the job to the broker now. If the broker is down the job stays queued (nothing is lost), with
    a message for the user; `jobs_requeue` (every worker's watchdog, beat, or the retry button) sends it later."""
    return job_send(model=ReportJob, pk=job_id)


@transaction.atomic
def report_retry(*, job: ReportJob, by) -> ReportJob:
    """The retry button: a failed report is asked again (a new job); a queued or stuck one is re-sent."""
    if job.status == JobStatus.FAILED:
        return report_request(kind=job.kind, programme=job.programme, cohort=job.cohort, language=job.language, by=by)
    if job.status == JobStatus.QUEUED or job.is_stale:
        transaction.on_commit(lambda: report_enqueue(job_id=job.pk))
    return job


# --------------------------------------------------------------------------------------------------
# Rendering (in the worker, or synchronously for `render_report`)
# --------------------------------------------------------------------------------------------------


def _claim(*, job_id: int) -> ReportJob | None:
    """QUEUED → RUNNING, or a RUNNING job whose worker died (no heartbeat for the stale bound): one winner."""
    now = timezone.now()
    job = job_claim(model=ReportJob, pk=job_id, extra={"data_as_of": now, "progress": 5})
    return ReportJob.objects.select_related("programme", "cohort").get(pk=job.pk) if job is not None else None


def _progress(job: ReportJob, value: int) -> None:
    job_progress(job=job, value=value)


def _fail(job: ReportJob, reason: str) -> None:
    job_fail(job=job, reason=reason)


@dataclass
class RenderTimings:
    """Seconds spent in each step of one render (for the benchmark)."""

    html: float = 0.0
    pdf: float = 0.0
    store: float = 0.0


def report_render_run(*, job_id: int, timings: RenderTimings | None = None) -> ReportJob | None:
    """Render one job. Returns the job as it ends, or None when there was nothing to do (already done,
    failed or deleted). Raises ReportJobBusy when another live worker holds it."""
    timings = timings if timings is not None else RenderTimings()
    job = _claim(job_id=job_id)
    if job is None:
        return ReportJob.objects.filter(pk=job_id, status=JobStatus.FAILED, error=TOO_MANY_ATTEMPTS_CODE).first()

    with job_heartbeat(job=job):
        return _render(job=job, timings=timings)


def _render(*, job: ReportJob, timings: RenderTimings) -> ReportJob:
    from ..rendering import ReportRenderError, pdf_from_html, report_html

    try:
        started = time.perf_counter()
        html = report_html(job=job)
        timings.html = time.perf_counter() - started
        _progress(job, 50)
        _test_only_delay(job)
        started = time.perf_counter()
        pdf = pdf_from_html(html=html)  # slow: no transaction is open here
        timings.pdf = time.perf_counter() - started
    except DatabaseError:
        # Transient: give the job back so that the task's retry (or another worker) can claim it again.
        ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
            status=JobStatus.QUEUED, progress=0
        )
        raise
    except ReportRenderError as error:
        _fail(job, str(error))
        return ReportJob.objects.get(pk=job.pk)
    except Exception:  # a bug in a template or a calculator: the trace to the log, a plain reason for the user
        logger.exception("report job %s failed", job.pk)
        _fail(job, UNEXPECTED_CODE)
        return ReportJob.objects.get(pk=job.pk)
    _progress(job, 90)

    started = time.perf_counter()
    sha256 = hashlib.sha256(pdf).hexdigest()
    storage = ReportJob._meta.get_field("file").storage
    name = storage.save(report_path(job, "report.pdf"), ContentFile(pdf))
    done = job_finish(job=job, file=name, sha256=sha256, size=len(pdf))
    if not done:
        # A redelivered run took the job over while this one was slow: keep only the winner's file.
        storage.delete(name)
        logger.info("report job %s: a later attempt took over; file %s deleted", job.pk, name)
    timings.store = time.perf_counter() - started
    return ReportJob.objects.get(pk=job.pk)


def _test_only_delay(job: ReportJob) -> None:
    delay = os.environ.get(TEST_ONLY_DELAY_VARIABLE)
    if delay and job.attempts == 1:
        logger.warning("%s=%s: sleeping before WeasyPrint (fault tests only)", TEST_ONLY_DELAY_VARIABLE, delay)
        time.sleep(float(delay))
