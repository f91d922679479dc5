"""Thin Celery tasks of the reports area: they take ids and call the services."""

from datetime import timedelta

from celery import shared_task
from django.db import DatabaseError

from .services.reports import ReportJobBusy, report_render_run, reports_requeue

__all__ = ["report_render", "reports_requeue_task"]


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
    except ReportJobBusy as busy:
        # Another worker holds the job; if it died, the job is ours once it is older than the time limit.
        raise self.retry(countdown=busy.retry_in) from busy
    except DatabaseError as error:  # the database was unreachable before the job could be claimed or recorded
        raise self.retry(exc=error) from error
    return job.status if job is not None else None


@shared_task(name="reporting.reports_requeue", acks_late=False)
def reports_requeue_task(older_than_minutes: int = 5) -> int:
    """Periodic (beat): send again report jobs that never reached the broker or lost their worker."""
    return reports_requeue(older_than=timedelta(minutes=older_than_minutes))
