"""Background jobs: one status vocabulary, one hand-over to the broker, one claim, one heartbeat, one
re-queue for every kind of job (e-mails, imports, reports, re-screenings).

A job is a row (a model inheriting `Job`) written in the request's transaction and handed to the broker
after the commit. The row, never Celery, holds the status people see:

- `job_enqueue` hands the job over in `on_commit`. A broker down or hung (bounded by the broker timeouts
  of the settings) leaves the row queued with BROKER_UNREACHABLE_CODE, and the request succeeds.
- `job_claim` is one conditional UPDATE: queued, or running with a heartbeat older than the stale bound,
  becomes running with attempts + 1. One caller wins; a redelivered task that finds the job running with
  a fresh heartbeat gets `JobBusy.retry_in` = stale bound − heartbeat age (never the hard time limit).
- `job_heartbeat` (a context manager) runs a thread that writes `heartbeat_at` every HEARTBEAT interval
  while the job's code runs; `job_progress` beats too.
- `job_finish`, `job_fail` and `job_retry_later` are guarded by the attempt number: a late loser never
  overwrites the winner. Past the model's `job_max_attempts`, a job ends failed with its reason.
- `jobs_requeue`, for every job model, re-sends jobs never handed to the broker (or handed over long ago
  and still queued) and jobs running with a stale heartbeat. It runs from beat AND from a watchdog thread
  started in every worker (`watchdog_start`, on `worker_ready`), so takeover needs neither beat nor the
  Redis visibility timeout: a job is taken over at most stale + scan seconds (+ delivery) after its last
  heartbeat: 90 + 20 (+ 10) = 120 s by default.

Bounds (seconds), from settings (environment variables of the same names):
JOB_HEARTBEAT_SECONDS (30); JOB_STALE_SECONDS (3 × heartbeat = 90); JOB_SCAN_SECONDS (2/3 × heartbeat = 20);
JOB_REQUEUE_SECONDS (300: a job handed over that long ago and still queued is sent again).
"""

import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------------
# Bounds
# --------------------------------------------------------------------------------------------------


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 30))


def stale_seconds() -> float:
    """A running job whose heartbeat is older than this has lost its worker."""
    return float(getattr(settings, "JOB_STALE_SECONDS", None) or 3 * heartbeat_seconds())


def scan_seconds() -> float:
    """How often each worker's watchdog (and beat) looks for lost jobs."""
    return float(getattr(settings, "JOB_SCAN_SECONDS", None) or 2 * heartbeat_seconds() / 3)


def takeover_bound_seconds() -> float:
    """The stated bound: a lost job is claimed again at most this long after its last heartbeat (stale,
    plus one scan, plus a third of a heartbeat for the delivery and the claim: 120 s by default)."""
    return stale_seconds() + scan_seconds() + heartbeat_seconds() / 3


def requeue_seconds() -> float:
    return float(getattr(settings, "JOB_REQUEUE_SECONDS", 300))


# --------------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------------


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("En file d'attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


IN_FLIGHT = [JobStatus.QUEUED, JobStatus.RUNNING]

#: Codes stored in `Job.error`; the page shows their message in the reader's language.
BROKER_UNREACHABLE_CODE = "broker_unreachable"
WORKER_LOST_CODE = "worker_lost"
TOO_MANY_ATTEMPTS_CODE = "too_many_attempts"
#: A failure that is nobody's input (a bug, a library's error): its trace goes to the server's log, never to
#: the page; the person reads that it is recorded and may ask again.
UNEXPECTED_CODE = "unexpected"
PDF_FAILED_CODE = "pdf_failed"
REASONS = {
    BROKER_UNREACHABLE_CODE: _(
        "Le service de file d'attente est injoignable : votre demande est enregistrée et sera relancée "
        "automatiquement dans quelques minutes. Vous pouvez aussi la relancer vous-même."
    ),
    WORKER_LOST_CODE: _("Le traitement a été interrompu ; il est repris automatiquement."),
    TOO_MANY_ATTEMPTS_CODE: _("Abandonné après plusieurs tentatives : le traitement n'a jamais abouti."),
    UNEXPECTED_CODE: _(
        "Une erreur inattendue a arrêté le traitement. Elle est consignée dans le journal du serveur pour l'équipe "
        "technique ; vous pouvez relancer la demande."
    ),
    PDF_FAILED_CODE: _(
        "Le PDF n'a pas pu être produit. La cause est consignée dans le journal du serveur pour l'équipe technique ; "
        "vous pouvez relancer la demande."
    ),
}


def reason_display(reason: str) -> str:
    """The message of a stored reason: a known code in the reader's language, else the text itself."""
    return str(REASONS.get(reason, reason))


class Job(models.Model):
    """What every background job row holds. A subclass names its Celery task (`job_task`, a dotted path
    to a task taking the row's pk) and the field that dates its creation (`job_created_field`)."""

    job_task: str = ""
    job_created_field: str = "requested_at"
    job_max_attempts: int = 3

    status = models.CharField(_("statut"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    progress = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    error = models.TextField(_("erreur"), blank=True, help_text=_("Un code connu ou le texte de la raison."))
    enqueued_at = models.DateTimeField(_("confié à la file le"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def error_display(self) -> str:
        return reason_display(self.error)

    @property
    def is_stale(self) -> bool:
        return (
            self.status == JobStatus.RUNNING
            and self.heartbeat_at is not None
            and self.heartbeat_at < timezone.now() - timedelta(seconds=stale_seconds())
        )

    @property
    def in_flight(self) -> bool:
        return self.status in IN_FLIGHT


def job_models() -> list[type[Job]]:
    """Every concrete job model of the installed apps."""
    return [model for model in apps.get_models() if issubclass(model, Job) and model.job_task]


# --------------------------------------------------------------------------------------------------
# Hand-over to the broker
# --------------------------------------------------------------------------------------------------


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError

    return (OperationalError, OSError, TimeoutError)


def job_send(*, model: type[Job], pk: int) -> bool:
    """Hand one job to the broker now. Returns whether the broker took it; if not, the row stays queued
    with BROKER_UNREACHABLE_CODE (jobs_requeue sends it later)."""
    task = import_string(model.job_task)
    try:
        task.delay(pk)
    except _broker_errors() as error:
        logger.warning("%s %s: broker unreachable (%s); left queued for jobs_requeue", model.__name__, pk, error)
        model.objects.filter(pk=pk, status=JobStatus.QUEUED).update(error=BROKER_UNREACHABLE_CODE)
        return False
    queued = model.objects.filter(pk=pk, status=JobStatus.QUEUED)
    queued.update(enqueued_at=timezone.now())
    queued.filter(error=BROKER_UNREACHABLE_CODE).update(error="")
    return True


def job_enqueue(*, job: Job) -> None:
    """Hand the job (written in the current transaction) to the broker once the transaction commits."""
    model, pk = type(job), job.pk
    transaction.on_commit(lambda: job_send(model=model, pk=pk))


def send_after_commit(task, *args) -> None:
    """Queue a task that has no job row once the current transaction commits (broker errors logged)."""

    def send() -> None:
        try:
            task.delay(*args)
        except _broker_errors() as error:
            logger.warning("%s%r not queued, broker unreachable: %s", task.name, args, error)

    transaction.on_commit(send)


# --------------------------------------------------------------------------------------------------
# Running: claim, heartbeat, progress, finish, fail, retry
# --------------------------------------------------------------------------------------------------


class JobRetry(Exception):
    """Raised by a service after `job_retry_later` gave the job back: the task schedules its retry."""

    def __init__(self, reason: str, countdown: int = 60):
        super().__init__(reason)
        self.countdown = countdown


class JobBusy(Exception):
    """Another worker runs this job and is alive: try again once its heartbeat would be stale."""

    def __init__(self, retry_in: int):
        super().__init__(f"job running elsewhere, retry in {retry_in} s")
        self.retry_in = retry_in


def job_claim(*, model: type[Job], pk: int, extra: dict | None = None) -> Job | None:
    """Queued, or running with a stale heartbeat → running, attempts + 1: one conditional UPDATE, one
    winner. Returns the claimed row, None when there is nothing to do (done, failed, deleted), or raises
    JobBusy when a live worker holds it. Past `job_max_attempts` the claimed job ends failed (None)."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=stale_seconds())
    claimable = Q(status=JobStatus.QUEUED) | _stale(stale_before)
    claimed = (
        model.objects.filter(pk=pk)
        .filter(claimable)
        .update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1, error="", **(extra or {}))
    )
    if not claimed:
        current = model.objects.filter(pk=pk).only("status", "heartbeat_at", "started_at").first()
        last_sign = current and (current.heartbeat_at or current.started_at or now)
        if current is not None and current.status == JobStatus.RUNNING:
            remaining = (last_sign - stale_before).total_seconds()
            raise JobBusy(retry_in=max(1, int(remaining) + 1))
        return None
    job = model.objects.get(pk=pk)
    if job.attempts > model.job_max_attempts:
        job_fail(job=job, reason=TOO_MANY_ATTEMPTS_CODE)
        return None
    return job


def _stale(stale_before) -> Q:
    """Running with no heartbeat since `stale_before` (or none at all, started before it)."""
    return Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before) | Q(
        status=JobStatus.RUNNING, heartbeat_at__isnull=True, started_at__lt=stale_before
    )


def _mine(job: Job):
    return type(job).objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)


def job_beat(*, job: Job) -> bool:
    """One heartbeat. Returns False once the job is no longer this attempt's."""
    return bool(_mine(job).update(heartbeat_at=timezone.now()))


def job_progress(*, job: Job, value: int) -> bool:
    return bool(_mine(job).update(progress=max(0, min(100, value)), heartbeat_at=timezone.now()))


@contextmanager
def job_heartbeat(*, job: Job, interval: float | None = None):
    """While the block runs, a thread writes the job's heartbeat every `interval` seconds."""
    interval = interval or heartbeat_seconds()
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    if not job_beat(job=job):
                        return
                except Exception:  # noqa: BLE001 - a missed beat is not fatal; the next one may pass
                    logger.exception("heartbeat of %s %s failed", type(job).__name__, job.pk)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{type(job).__name__}-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def job_finish(*, job: Job, **fields) -> bool:
    """Running → done, only for the attempt that still holds the job. Returns whether it did."""
    return bool(
        _mine(job).update(
            status=JobStatus.DONE, progress=100, finished_at=timezone.now(), heartbeat_at=timezone.now(), error="", **fields
        )
    )


def job_fail(*, job: Job, reason: str, **fields) -> bool:
    """Running → failed with its reason (a code of REASONS or a text), only for the holding attempt."""
    return bool(_mine(job).update(status=JobStatus.FAILED, error=(reason or "?")[:4000], finished_at=timezone.now(), **fields))


def job_retry_later(*, job: Job, reason: str) -> bool:
    """Give the job back (queued, with the reason shown meanwhile) for the task's own retry; past
    `job_max_attempts` it ends failed with the reason. Returns whether a retry should be scheduled."""
    if job.attempts >= type(job).job_max_attempts:
        job_fail(job=job, reason=reason)
        return False
    return bool(_mine(job).update(status=JobStatus.QUEUED, error=(reason or "?")[:4000], progress=0, enqueued_at=timezone.now()))


#: SQLSTATE classes and codes of a lost connection: 08 (connection exception), 57P01-57P03 (administrator or
#: crash shutdown, cannot connect now). A statement timeout, a full disk or a missing table is not one.
_CONNECTION_LOST_SQLSTATES = ("08", "57P01", "57P02", "57P03")
_CONNECTION_LOST_TEXTS = (
    "server closed the connection",
    "connection already closed",
    "terminating connection",
    "could not connect",
    "connection refused",
    "database is locked",
)


def job_connection_lost(error: BaseException) -> bool:
    """Whether `error` is the database connection lost under the job (dropped, server restarted, failover):
    not the job's fault, and nothing of its open transaction was kept. Other operational errors (a statement
    timeout, a full disk, a lock timeout, SQLite's missing table) are the job's failure, with their reason."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "pgcode", None) or getattr(getattr(cause, "diag", None), "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(_CONNECTION_LOST_SQLSTATES)
    # No SQLSTATE: the server closed the connection before answering (psycopg2 gives none then), or SQLite,
    # whose "database is locked" is transient too.
    if any(text in str(error).lower() for text in _CONNECTION_LOST_TEXTS):
        return True
    return connection.connection is not None and not connection.is_usable()


def job_interrupted(*, job: Job) -> bool:
    """Run again a job whose database connection was lost, instead of failing it with the driver's text:
    queued again with WORKER_LOST_CODE (the person reads "interrupted, resumed automatically") and handed
    to the broker now; past `job_max_attempts` it ends failed with TOO_MANY_ATTEMPTS_CODE. Returns whether
    it was given back. While the database is still unreachable this raises: the job stays running without
    heartbeats, and a watchdog takes it over within the stated bound once the database is back."""
    if not connection.in_atomic_block:
        connection.close()  # the broken connection: the next query opens a new one
    if job.attempts >= type(job).job_max_attempts:
        job_fail(job=job, reason=TOO_MANY_ATTEMPTS_CODE)
        return False
    if not job_retry_later(job=job, reason=WORKER_LOST_CODE):
        return False
    job_send(model=type(job), pk=job.pk)
    return True


# --------------------------------------------------------------------------------------------------
# Re-queue and watchdog
# --------------------------------------------------------------------------------------------------


def jobs_lost(*, model: type[Job], now=None) -> models.QuerySet:
    """Jobs to send again: never handed over (after a grace for on_commit), handed over long ago but
    still queued, or running with a stale heartbeat."""
    now = now or timezone.now()
    created_before = {f"{model.job_created_field}__lt": now - timedelta(seconds=heartbeat_seconds())}
    return model.objects.filter(
        Q(status=JobStatus.QUEUED, enqueued_at__isnull=True, **created_before)
        | Q(status=JobStatus.QUEUED, enqueued_at__lt=now - timedelta(seconds=requeue_seconds()))
        | _stale(now - timedelta(seconds=stale_seconds()))
    )


def jobs_requeue() -> int:
    """Send again every lost job of every job model. Harmless twice: each run claims its job first."""
    sent = 0
    for model in job_models():
        for pk in jobs_lost(model=model).order_by("pk").values_list("pk", flat=True):
            if not job_send(model=model, pk=pk):
                return sent  # the broker is still unreachable: the next scan tries again
            sent += 1
    return sent


_watchdog: dict = {}


def watchdog_start() -> threading.Thread:
    """Start (once per process) a thread that runs jobs_requeue every scan_seconds(). Called on the
    worker's `worker_ready` signal, so that a lost job is taken over even where beat is not run."""
    if _watchdog.get("thread") and _watchdog["thread"].is_alive():
        return _watchdog["thread"]
    stop = threading.Event()

    def scan() -> None:
        while not stop.wait(scan_seconds()):
            try:
                count = jobs_requeue()
                if count:
                    logger.warning("job watchdog: %s lost job(s) sent again", count)
            except Exception:  # noqa: BLE001 - the database or broker may be down: try at the next scan
                logger.exception("job watchdog scan failed")
            finally:
                connection.close()

    thread = threading.Thread(target=scan, name="job-watchdog", daemon=True)
    _watchdog.update(thread=thread, stop=stop)
    thread.start()
    return thread


def watchdog_stop() -> None:
    if _watchdog.get("stop"):
        _watchdog["stop"].set()
