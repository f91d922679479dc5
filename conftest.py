"""Test-wide settings: fast hashing, throw-away file storage, eager Celery, the migrated data (role
groups, permissions) put back after each transactional test, and no skipped test in CI.

Django is already set up when this file is imported (pytest-django loads the settings first), so the
file storages are repointed here rather than through environment variables.
"""

import os

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections, models
from django.test import TestCase, TransactionTestCase, override_settings

pytest_plugins = ["tests.pytest_ci_guard"]


def _rebind_callable_storages() -> list[tuple[models.FileField, object]]:
    """Give each FileField declared with `storage=<callable>` the storage the callable returns now.

    Django calls that callable once, when the model class is built, so a field keeps the storage
    of the settings in force at import time unless it is asked again.
    """
    previous = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            storage_callable = getattr(field, "_storage_callable", None)
            if isinstance(field, models.FileField) and storage_callable is not None:
                previous.append((field, field.storage))
                field.storage = storage_callable()
    return previous


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    """Session-wide overrides: MD5 hashing; files in temporary folders, never in the repository or on S3."""
    from django.conf import settings

    root = tmp_path_factory.mktemp("files")
    media_root, private_root, static_root = root / "media", root / "private", root / "static"
    for folder in (media_root, private_root, static_root):
        folder.mkdir()
    storages = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media_root)}},
        "private": {"BACKEND": "core.storage.PrivateFileSystemStorage", "OPTIONS": {"location": str(private_root)}},
    }
    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=str(media_root),
        PRIVATE_MEDIA_ROOT=str(private_root),
        # An existing, empty STATIC_ROOT: WhiteNoise warns about a missing one, and nothing lands in the repo.
        STATIC_ROOT=str(static_root),
        STORAGES=storages,  # the setting_changed receiver empties django's storage cache
        AWS_STORAGE_BUCKET_NAME="",
        # Tests log staff in with force_login; the second factor is tested on its own (accounts/tests/
        # test_mfa.py turns it on with the `mfa_enforced` fixture).
        MFA_ENFORCED=False,
        ACCOUNT_EMAIL_ANSWER_SECONDS=0,  # accounts/tests/test_throttling.py sets its own
        # Each test process keeps its own cache (the throttling counters live there): emptying it before a
        # test never touches another process's counters, nor a Redis database that CI shares with the
        # Celery broker (FLUSHDB there lost the messages of the real-worker tests).
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pem-tests"}},
    )
    overrides.enable()
    previous = _rebind_callable_storages()
    try:
        yield
    finally:
        for field, storage in previous:
            field.storage = storage
        overrides.disable()


@pytest.fixture(scope="session", autouse=True)
def _celery_eager():
    """Tasks run in the calling process during tests, unless a test starts a worker itself.

    Only tests/test_celery.py talks to a broker: it turns this off around its round trips.
    """
    from pemwecco.celery import app

    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = previous


# --- The migrated state survives transactional tests ------------------------------------------------
#
# A transactional test (django_db(transaction=True), live_server, TransactionTestCase) ends with a flush
# of every table, which also removes what the migrations created: role groups and their permissions.
# Tests that run after it would then find no groups. The database content right after the migrations
# is kept once per session and loaded again after each transactional test.

_migrated_state: dict[str, str] = {}
_db_blocker = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    global _db_blocker
    _db_blocker = django_db_blocker
    with django_db_blocker.unblock():
        for alias in connections:
            _migrated_state[alias] = connections[alias].creation.serialize_db_to_string()
    yield
    _migrated_state.clear()
    _db_blocker = None


def _is_transactional(item) -> bool:
    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase):
        return True
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction", marker.args[0] if marker.args else False))


def _reset_sequences(connection) -> None:
    """The saved rows came back with their ids, but PostgreSQL's sequences start again at 1: move each
    sequence past the highest id, or the next insert in a seeded table (regions) collides."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _restore_migrated_state() -> None:
    with _db_blocker.unblock():
        for alias, state in _migrated_state.items():
            # The test's flush re-created content types and permissions with new ids: empty the
            # tables again, without that, before loading the saved rows with their original ids.
            call_command("flush", database=alias, interactive=False, inhibit_post_migrate=True, verbosity=0)
            connections[alias].creation.deserialize_db_from_string(state)
            _reset_sequences(connections[alias])
    ContentType.objects.clear_cache()  # it may hold the ids the flush gave


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    transactional = _is_transactional(item)
    try:
        return (yield)
    finally:
        if transactional and _migrated_state and _db_blocker is not None:
            _restore_migrated_state()


def pytest_report_header(config):
    ci = os.environ.get("CI") == "true"
    database = os.environ.get("DATABASE_URL", "").split("@")[-1] or "SQLite (default)"
    broker = os.environ.get("CELERY_BROKER_URL", "").split("@")[-1] or "in-memory test worker (default)"
    return [f"PEM: database {database}; Celery {broker}; CI={'yes: skips fail the run' if ci else 'no'}"]


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English leaves English active in the test's thread (Django's locale middleware never
    deactivates it): put French back, so that no test depends on the language of the one before."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def mfa_enforced(settings):
    """The second factor required, as it is outside tests."""
    settings.MFA_ENFORCED = True


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the limits per client address (accounts/throttling.py) count
    in it, and every test client comes from 127.0.0.1."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for a test module and rolled back afterwards; yields PEM-WECCO. The
    translations are compiled too: these modules read pages in both languages."""
    import io

    from django.db import transaction

    from cohorts.models import Programme
    from scripts.compile_translations import compile_all

    with django_db_blocker.unblock():
        compile_all()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", "--allow-production", stdout=io.StringIO())
            yield Programme.objects.get(code="pem-wecco")
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
