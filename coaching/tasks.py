"""Thin Celery tasks of coaching."""

from celery import shared_task

from .services import coach_digests_send


@shared_task(name="coaching.coach_digests_send")
def coach_digests_send_task() -> int:
    """Beat, weekly: the coaches' reminders (each coach's sent once a week, however often this runs)."""
    return coach_digests_send()
