"""Celery discovers the tasks of this app here."""

from .tasks_follow_up import *  # noqa: F401,F403
from .tasks_invitations import *  # noqa: F401,F403
from .tasks_privacy import *  # noqa: F401,F403
from .tasks_visa import *  # noqa: F401,F403
