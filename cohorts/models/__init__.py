"""Models of the cohorts app, one module per area; everything is importable from `cohorts.models`."""

from .applications import *  # noqa: F403
from .budget import *  # noqa: F403
from .governance import *  # noqa: F403
from .jobs import *  # noqa: F403
from .programmes import *  # noqa: F403
