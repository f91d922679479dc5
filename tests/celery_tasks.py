"""A task that reads the database, for the worker round-trip tests only.

Workers load it with `--include tests.celery_tasks`; production workers never import it.
"""

from celery import shared_task
from django.contrib.auth import get_user_model


@shared_task(name="tests.user_exists", acks_late=False)
def user_exists(email: str) -> bool:
    return get_user_model().objects.filter(email=email).exists()
