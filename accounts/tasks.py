"""Thin Celery tasks of accounts: they take ids and call a service."""

from celery import shared_task

from .services import email_deliver


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5, default_retry_delay=60)
def email_send(self, email_id: int) -> bool:
    try:
        return email_deliver(email_id=email_id)
    except Exception as error:  # noqa: BLE001 - the row records the error; retry a few times
        raise self.retry(exc=error) from error
