"""Thin Celery tasks of accounts: they take ids and call a service."""

from celery import shared_task

from .services import email_deliver, emails_requeue


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5, default_retry_delay=60)
def email_send(self, email_id: int) -> bool:
    try:
        return email_deliver(email_id=email_id)
    except Exception as error:  # noqa: BLE001 - the row records the error; retry a few times
        raise self.retry(exc=error) from error


@shared_task(name="accounts.emails_requeue", acks_late=False)
def emails_requeue_task() -> int:
    """Periodic (beat): e-mails left queued while the broker was unreachable are sent again."""
    return emails_requeue()
