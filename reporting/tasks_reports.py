"""Thin Celery tasks of the reports area: they take ids and call the services."""

from celery import shared_task
from django.db import DatabaseError

from core.jobs import JobBusy

from .services.reports import report_render_run

__all__ = ["report_render"]


@shared_task(
    name="reporting.report_render",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    default_retry_delay=30,
)
def report_render(self, job_id: int) -> str | None:
    """Render a queued report. Safe to deliver twice: the service claims the job before working."""
    try:
        job = report_render_run(job_id=job_id)
    except JobBusy as busy:
        # Another worker holds the job; if it died, its heartbeat is stale after busy.retry_in seconds.
        raise self.retry(countdown=busy.retry_in, max_retries=None) from busy
    except DatabaseError as error:  # the database was unreachable before the job could be claimed or recorded
        raise self.retry(exc=error) from error
    return job.status if job is not None else None
