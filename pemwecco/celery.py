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


def send_after_commit(task, *args) -> None:
    """Queue `task` once the current transaction commits.

    If the broker is unreachable the request still succeeds: the row that describes the job (an
    e-mail, an import, a report) stays "queued", and a periodic task sends it again later."""
    import logging

    from django.db import transaction
    from kombu.exceptions import OperationalError

    def send() -> None:
        try:
            task.delay(*args)
        except (OperationalError, OSError) as error:
            logging.getLogger(__name__).warning("%s%r not queued, broker unreachable: %s", task.name, args, error)

    transaction.on_commit(send)
