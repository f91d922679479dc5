"""The Celery application: configured from Django settings (CELERY_*), tasks found in each app."""

import os

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")

app = Celery("pemwecco")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="pemwecco.ping", acks_late=False)
def ping(value: str = "pong") -> str:
    """Echo task used by health checks and the worker round-trip test."""
    return value


@app.task(name="core.jobs_requeue", acks_late=False)
def jobs_requeue_task() -> int:
    """Periodic (beat): background jobs never handed to the broker, or whose worker died, are sent again."""
    from core.jobs import jobs_requeue

    return jobs_requeue()


@worker_ready.connect
def _job_watchdog_start(**kwargs) -> None:
    """Every worker also scans for lost jobs, so that takeover does not depend on beat being run."""
    from core.jobs import watchdog_start

    watchdog_start()


@worker_shutdown.connect
def _job_watchdog_stop(**kwargs) -> None:
    from core.jobs import watchdog_stop

    watchdog_stop()
