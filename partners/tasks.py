"""Thin Celery tasks of the partners app: they take ids and call a service."""

from celery import shared_task
from django.db import DatabaseError

from core.jobs import JobBusy

from .services import company_import_execute


@shared_task(
    name="partners.company_import_run",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    default_retry_delay=30,
)
def company_import_run(self, import_id: int) -> str | None:
    """Import a queued spreadsheet of Belgian companies. Safe to run twice: the service claims the job first."""
    try:
        job = company_import_execute(import_id=import_id)
    except JobBusy as busy:  # another live worker holds it: come back when its heartbeat would be stale
        raise self.retry(countdown=busy.retry_in, max_retries=None) from busy
    except DatabaseError as error:  # the database was unreachable before the job could be claimed or recorded
        raise self.retry(exc=error) from error
    return job.status if job is not None else None
