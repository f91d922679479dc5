"""Thin Celery task for visa invitation letters: takes the job's id and calls the service."""

from celery import shared_task
from django.db import DatabaseError

from core.jobs import JobBusy

from .services_visa import invitation_letter_execute


@shared_task(
    name="mobility.invitation_letter_run",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    default_retry_delay=30,
)
def invitation_letter_run(self, letter_id: int) -> str | None:
    try:
        letter = invitation_letter_execute(letter_id=letter_id)
    except JobBusy as busy:
        raise self.retry(countdown=busy.retry_in, max_retries=None) from busy
    except DatabaseError as error:
        raise self.retry(exc=error) from error
    return letter.status if letter is not None else None
