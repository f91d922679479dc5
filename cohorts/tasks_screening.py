"""Thin Celery tasks of the screening area: they take ids and call a service."""

from celery import shared_task
from django.db import DatabaseError

from core.jobs import JobBusy, JobRetry

from .services.screening import screening_job_run


@shared_task(name="cohorts.cohort_rescreen", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def cohort_rescreen_task(self, job_id: int) -> str | None:
    """Run a queued re-screening job (a ScreeningJob row). Safe to run twice: the service claims it first."""
    try:
        job = screening_job_run(job_id=job_id)
    except JobBusy as busy:
        raise self.retry(countdown=busy.retry_in) from busy
    except JobRetry as retry:
        raise self.retry(countdown=retry.countdown) from retry
    except DatabaseError as error:
        raise self.retry(exc=error, countdown=30, max_retries=5) from error
    return job.status if job is not None else None
