"""The Celery application: configured from Django settings (CELERY_*), tasks found in each app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")

app = Celery("pemwecco")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="pemwecco.ping", acks_late=False)
def ping(value: str = "pong") -> str:
    """Echo task used by health checks and the worker round-trip test."""
    return value

