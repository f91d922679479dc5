"""Thin Celery task for the follow-up: the beat schedules what is missing, then sends what is due."""

from celery import shared_task

from .services_follow_up import check_ins_schedule_missing, check_ins_send_due


@shared_task(name="mobility.check_ins_daily")
def check_ins_daily_task() -> dict[str, int]:
    """Beat: schedule the check-ins of completed trips that have none yet (and the comparison group),
    then send the questionnaires and reminders due. Running it twice sends nothing twice."""
    scheduled = check_ins_schedule_missing()
    return {"scheduled": scheduled, **check_ins_send_due()}
