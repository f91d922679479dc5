"""Background jobs: how a job is handed to the broker."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def send_after_commit(task, *args) -> None:
    """Queue `task` once the current transaction commits.

    If the broker is unreachable the request still succeeds: the row that describes the job (an
    e-mail, an import, a report) stays "queued", and a periodic task sends it again later."""

    def send() -> None:
        try:
            task.delay(*args)
        except (OperationalError, OSError) as error:
            logger.warning("%s%r not queued, broker unreachable: %s", task.name, args, error)

    transaction.on_commit(send)
