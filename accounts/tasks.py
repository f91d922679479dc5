"""Thin Celery tasks of accounts: they take ids and call a service."""

from celery import shared_task

from core.jobs import JobBusy, JobRetry

from .services import email_deliver, signups_expire


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def email_send(self, email_id: int) -> bool:
    """Send a queued e-mail; the row counts the attempts and ends failed past its limit."""
    try:
        return email_deliver(email_id=email_id)
    except JobBusy as busy:
        raise self.retry(countdown=busy.retry_in) from busy
    except JobRetry as retry:
        raise self.retry(countdown=retry.countdown) from retry


@shared_task(name="accounts.signups_expire", acks_late=False)
def signups_expire_task() -> int:
    """Periodic (beat): sign-ups whose link expired unopened are deleted."""
    return signups_expire()
