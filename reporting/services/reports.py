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
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.models import Cohort, Programme

from ..models import Evaluation, JobStatus, ReportJob, ReportKind, report_path

logger = logging.getLogger(__name__)

#: A job is abandoned (failed) when its render has been started this many times without finishing.
MAX_ATTEMPTS = 3

#: Test-only hook: seconds to sleep just before WeasyPrint, so that a fault test can kill the worker in
#: the middle of a render. Never set it outside tests (tests/reporting fault tests set it for one worker).
TEST_ONLY_DELAY_VARIABLE = "PEM_TEST_ONLY_REPORT_RENDER_DELAY"

#: Stored in `ReportJob.error` of a queued job whose message could not be handed to the broker: a code,
#: not the message, so that the status page shows BROKER_UNREACHABLE in the reader's own language.
BROKER_UNREACHABLE_CODE = "broker_unreachable"
#: Shown on a queued job whose message could not be handed to the broker.
BROKER_UNREACHABLE = gettext_lazy(
    "Le service de file d'attente est injoignable : votre demande est enregistrée et sera relancée "
    "automatiquement dans quelques minutes. Vous pouvez aussi la relancer vous-même."
)


class ReportJobBusy(Exception):
    """Another worker is rendering this job and may still finish: try again once it would be stale."""

    def __init__(self, retry_in: int):
        super().__init__(f"report job running elsewhere, retry in {retry_in} s")
        self.retry_in = retry_in


def running_stale_after() -> timedelta:
    """A running job older than the hard time limit has lost its worker (the limit would have killed it)."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


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
    transaction.on_commit(lambda: report_enqueue(job_id=job.pk))
    return job


def report_enqueue(*, job_id: int) -> bool:
    """Hand the job to the broker. If the broker is down the job stays queued (nothing is lost), with a
    message for the user; `reports_requeue` (beat, cron, or the retry button) sends it later."""
    from kombu.exceptions import OperationalError as BrokerError

    from ..tasks_reports import report_render

    try:
        report_render.delay(job_id)
    except (BrokerError, OSError) as error:
        logger.warning("report job %s: broker unreachable (%s); left queued for reports_requeue", job_id, error)
        ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(error=BROKER_UNREACHABLE_CODE)
        return False
    ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).exclude(error="").update(error="")
    return True


@transaction.atomic
def report_retry(*, job: ReportJob, by) -> ReportJob:
    """The retry button: a failed report is asked again (a new job); a queued or stuck one is re-sent."""
    if job.status == JobStatus.FAILED:
        return report_request(kind=job.kind, programme=job.programme, cohort=job.cohort, language=job.language, by=by)
    if job.status == JobStatus.QUEUED or (
        job.status == JobStatus.RUNNING and job.started_at and job.started_at < timezone.now() - running_stale_after()
    ):
        transaction.on_commit(lambda: report_enqueue(job_id=job.pk))
    return job


def reports_requeue(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Send again the jobs still queued after `older_than` and the running ones whose worker died.
    Idempotent: a job delivered twice is rendered once (the render claims it), so a re-send is harmless."""
    now = timezone.now()
    job_ids = list(
        ReportJob.objects.filter(
            Q(status=JobStatus.QUEUED, requested_at__lt=now - older_than)
            | Q(status=JobStatus.RUNNING, started_at__lt=now - running_stale_after())
        )
        .order_by("requested_at")
        .values_list("pk", flat=True)
    )
    return sum(report_enqueue(job_id=job_id) for job_id in job_ids)


# --------------------------------------------------------------------------------------------------
# Rendering (in the worker, or synchronously for `render_report`)
# --------------------------------------------------------------------------------------------------


def _claim(*, job_id: int) -> ReportJob | None:
    """QUEUED → RUNNING, or a RUNNING job whose worker died (older than the time limit): one winner."""
    now = timezone.now()
    claimed = (
        ReportJob.objects.filter(pk=job_id)
        .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, started_at__lt=now - running_stale_after()))
        .update(status=JobStatus.RUNNING, started_at=now, data_as_of=now, attempts=F("attempts") + 1, progress=5, error="")
    )
    if claimed:
        return ReportJob.objects.select_related("programme", "cohort").get(pk=job_id)
    job = ReportJob.objects.filter(pk=job_id).only("status", "started_at").first()
    if job is not None and job.status == JobStatus.RUNNING and job.started_at:
        # Delivered again while another worker renders it: come back when that one would be stale.
        remaining = (job.started_at + running_stale_after() - now).total_seconds()
        raise ReportJobBusy(retry_in=max(1, int(remaining) + 1))
    return None  # done, failed or deleted: nothing to do


def _progress(job: ReportJob, value: int) -> None:
    ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(progress=value)


def _fail(job: ReportJob, reason: str) -> None:
    ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=JobStatus.FAILED, error=reason[:4000] or "?", finished_at=timezone.now()
    )


@dataclass
class RenderTimings:
    """Seconds spent in each step of one render (for the benchmark)."""

    html: float = 0.0
    pdf: float = 0.0
    store: float = 0.0


def report_render_run(*, job_id: int, timings: RenderTimings | None = None) -> ReportJob | None:
    """Render one job. Returns the job as it ends, or None when there was nothing to do (already done,
    failed or deleted). Raises ReportJobBusy when another live worker holds it."""
    from ..rendering import ReportRenderError, pdf_from_html, report_html

    timings = timings if timings is not None else RenderTimings()
    job = _claim(job_id=job_id)
    if job is None:
        return None
    if job.attempts > MAX_ATTEMPTS:
        _fail(job, _("Abandonné après %(n)s tentatives : le rendu n'a jamais abouti.") % {"n": MAX_ATTEMPTS})
        return ReportJob.objects.get(pk=job.pk)

    try:
        started = time.perf_counter()
        html = report_html(job=job)
        timings.html = time.perf_counter() - started
        _progress(job, 50)
        _test_only_delay()
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
    except Exception as error:  # a bug in a template or a calculator: the user sees the reason, logs the trace
        logger.exception("report job %s failed", job.pk)
        _fail(job, f"{type(error).__name__}: {error}")
        return ReportJob.objects.get(pk=job.pk)
    _progress(job, 90)

    started = time.perf_counter()
    sha256 = hashlib.sha256(pdf).hexdigest()
    storage = ReportJob._meta.get_field("file").storage
    name = storage.save(report_path(job, "report.pdf"), ContentFile(pdf))
    done = ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=JobStatus.DONE, file=name, sha256=sha256, size=len(pdf), progress=100, finished_at=timezone.now(), error=""
    )
    if not done:
        # A redelivered run took the job over while this one was slow: keep only the winner's file.
        storage.delete(name)
        logger.info("report job %s: a later attempt took over; file %s deleted", job.pk, name)
    timings.store = time.perf_counter() - started
    return ReportJob.objects.get(pk=job.pk)


def _test_only_delay() -> None:
    delay = os.environ.get(TEST_ONLY_DELAY_VARIABLE)
    if delay:
        logger.warning("%s=%s: sleeping before WeasyPrint (fault tests only)", TEST_ONLY_DELAY_VARIABLE, delay)
        time.sleep(float(delay))
