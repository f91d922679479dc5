"""Thin Celery tasks of the screening area: they take ids, load, and call a service."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .models import Cohort
from .services.screening import cohort_rescreen_notify


@shared_task(
    name="cohorts.cohort_rescreen", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3, default_retry_delay=60
)
def cohort_rescreen_task(self, cohort_id: int, user_id: int | None) -> dict | None:
    """Re-screen a cohort's applications. Safe to run twice (the service only moves what changed)."""
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        return cohort_rescreen_notify(cohort=cohort, by=user)
    except Exception as error:  # noqa: BLE001 - applications already done stay done; a retry finishes the rest
        raise self.retry(exc=error) from error
