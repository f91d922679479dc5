"""Thin Celery tasks for personal data: they take ids and call a service."""

from celery import shared_task
from django.db import DatabaseError

from core.jobs import JobBusy

from .services_privacy import personal_data_export_execute, retention_run_execute, retention_schedule


@shared_task(name="mobility.retention_schedule")
def retention_schedule_task() -> int:
    """Beat: today's retention job (created once a day, whatever the number of asks)."""
    return retention_schedule().pk


@shared_task(
    name="mobility.retention_run", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5, default_retry_delay=30
)
def retention_run(self, run_id: int) -> str | None:
    try:
        run = retention_run_execute(run_id=run_id)
    except JobBusy as busy:
        raise self.retry(countdown=busy.retry_in, max_retries=None) from busy
    except DatabaseError as error:
        raise self.retry(exc=error) from error
    return run.status if run is not None else None


@shared_task(
    name="mobility.personal_data_export_run",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    default_retry_delay=30,
)
def personal_data_export_run(self, export_id: int) -> str | None:
    try:
        export = personal_data_export_execute(export_id=export_id)
    except JobBusy as busy:
        raise self.retry(countdown=busy.retry_in, max_retries=None) from busy
    except DatabaseError as error:
        raise self.retry(exc=error) from error
    return export.status if export is not None else None
