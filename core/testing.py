"""Test support shared by the apps' and the project's tests that drive Celery against a real broker:
reconfigure the Celery app for one block, check that Redis answers, and the DATABASE_URL of the test
database (for a worker process started by a test). Bottom layer: any test package may import it."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from celery import current_app
from django.db import connection


def _forget_connections(app) -> None:
    """Drop the app's cached broker pools, queues, router and result backends so that a new configuration
    is used. The queues matter: `app.amqp` keeps the queues of the configuration it first saw, so a block
    that set `task_default_queue` (tests/test_faults.py) left every later in-process worker of the same test
    process consuming that queue while tasks went to the default one (tests/test_celery.py timed out in CI
    whenever the two modules shared an xdist process)."""
    # Not closed: kombu keeps one pool per broker URL in a registry and hands the same one back later.
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
        del app.__dict__["amqp"]  # a new one, with the queues and router of the configuration now in force
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend


@contextmanager
def celery_app_configured(**changes) -> Iterator[None]:
    """The Celery app with `changes` to its configuration for the duration of the block."""
    app = current_app._get_current_object()
    if "broker_url" in changes:
        # CELERY_BROKER_URL in the environment (CI) outranks broker_url; the read and write URLs outrank it.
        changes.setdefault("broker_read_url", changes["broker_url"])
        changes.setdefault("broker_write_url", changes["broker_url"])
    previous = {key: app.conf.get(key) for key in changes}
    app.conf.update(changes)
    _forget_connections(app)
    try:
        yield
    finally:
        app.conf.update(previous)
        _forget_connections(app)


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=3).ping())
    except redis.RedisError:
        return False


def test_database_url() -> str:
    """DATABASE_URL pointing at the database this test writes to (pytest-django's `test_<name>`)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test for pytest to collect


def without_version_bumps(callbacks: list) -> list:
    """The on-commit callbacks a test captured, less the data version's own (core.data_version registers one
    at a transaction's first write): what the code under test queued itself, in its order."""
    return [callback for callback in callbacks if not getattr(callback, "data_version_bump", False)]
