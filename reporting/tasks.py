"""Celery tasks of reporting, one module per area; imported here so that autodiscovery finds them."""

from .tasks_reports import *  # noqa: F401,F403
