"""Celery tasks of cohorts, one module per area; imported here so that workers' autodiscovery finds them."""

from .tasks_screening import *  # noqa: F401,F403
from .tasks_staff import *  # noqa: F401,F403
