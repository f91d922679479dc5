"""Writes on accounts: sending a queued e-mail exactly once."""

from django.core.mail import EmailMultiAlternatives
from django.conf import settings
from django.utils import timezone

from .models import EmailStatus, OutgoingEmail


def email_deliver(*, email_id: int) -> bool:
    """Send one queued e-mail. Claims the row with a conditional update so that a redelivered task,
    or two workers, never send it twice. Returns whether this call sent it."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, status__in=[EmailStatus.QUEUED, EmailStatus.FAILED]).update(
        status=EmailStatus.SENDING
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - any transport error is recorded, then retried by the task
        OutgoingEmail.objects.filter(pk=email_id).update(
            status=EmailStatus.FAILED, error=str(error)[:2000], attempts=email.attempts + 1
        )
        raise
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), attempts=email.attempts + 1, error=""
    )
    return True
