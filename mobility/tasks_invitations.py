"""Thin Celery task for invitations: beat reminds the companies that have not answered."""

from celery import shared_task

from .services_invitations import invitations_remind


@shared_task(name="mobility.invitations_remind")
def invitations_remind_task() -> int:
    """Beat, hourly: the reminders due (each sent once, however often this runs)."""
    return invitations_remind()
