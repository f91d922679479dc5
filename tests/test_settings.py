"""Settings read the environment: each case starts Django in a clean subprocess, as a host would."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

FERNET_KEY = "JHqhx7fSXUj3mYEVmvkBzqXPqkn29Ad_n3uxmCVB32Q="

BASE_DIR = Path(__file__).resolve().parent.parent

_DUMP = textwrap.dedent(
    """
    import json, django
    from django.conf import settings
    django.setup()
    print(json.dumps({
        "DEBUG": settings.DEBUG,
        "ENGINE": settings.DATABASES["default"]["ENGINE"],
        "DB_NAME": str(settings.DATABASES["default"]["NAME"]),
        "BROKER": settings.CELERY_BROKER_URL,
        "CACHE": settings.CACHES["default"]["BACKEND"],
        "PRIVATE": settings.STORAGES["private"]["BACKEND"],
        "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
        "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
        "ATOMIC_REQUESTS": settings.DATABASES["default"]["ATOMIC_REQUESTS"],
        "MFA_ENFORCED": settings.MFA_ENFORCED,
    }))
    """
)


def _start_django(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter whose environment holds only `variables`."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "pemwecco.settings",
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),  # keep the filesystem broker out of the repository
        **variables,
    }
    return subprocess.run([sys.executable, "-c", _DUMP], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)


def _settings(tmp_path: Path, **variables: str) -> dict:
    result = _start_django(tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif((BASE_DIR / ".env").exists(), reason="a local .env file changes the defaults")
def test_with_nothing_set_it_runs_on_sqlite_with_the_filesystem_broker(tmp_path):
    values = _settings(tmp_path)

    assert values["DEBUG"] is True
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["BROKER"] == "filesystem://"
    assert values["CACHE"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert values["PRIVATE"] == "core.storage.PrivateFileSystemStorage"
    assert values["ATOMIC_REQUESTS"] is True
    assert (tmp_path / "broker" / "out").is_dir()


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = _start_django(tmp_path, DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_without_field_encryption_keys_refuses_to_start(tmp_path):
    result = _start_django(tmp_path, DEBUG="0", SECRET_KEY="x" * 50)

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_production_with_a_secret_key_starts_with_secure_defaults(tmp_path):
    values = _settings(tmp_path, DEBUG="0", SECRET_KEY="x" * 50, FIELD_ENCRYPTION_KEYS=FERNET_KEY)

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["MFA_ENFORCED"] is True  # only the test suite turns it off (conftest.py)


def test_database_url_selects_postgresql(tmp_path):
    # Importing the settings opens no connection, so no server is needed here.
    values = _settings(tmp_path, DATABASE_URL="postgres://pem:secret@db.example:5432/pem")

    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["DB_NAME"] == "pem"


def test_celery_broker_url_selects_redis(tmp_path):
    values = _settings(tmp_path, CELERY_BROKER_URL="redis://cache.example:6379/1")

    assert values["BROKER"] == "redis://cache.example:6379/1"
    assert not (tmp_path / "broker").exists()


def test_redis_url_alone_serves_as_cache_and_broker(tmp_path):
    values = _settings(tmp_path, REDIS_URL="redis://cache.example:6379/2")

    assert values["BROKER"] == "redis://cache.example:6379/2"
    assert values["CACHE"] == "core.cache.DegradingRedisCache"  # a Redis cache that acts as empty while Redis is down


def test_an_s3_bucket_moves_private_files_to_object_storage(tmp_path):
    values = _settings(tmp_path, AWS_STORAGE_BUCKET_NAME="pem-private", AWS_S3_ENDPOINT_URL="http://s3.example")

    assert values["PRIVATE"] == "storages.backends.s3.S3Storage"


def test_the_test_session_keeps_files_out_of_the_repository(settings):
    from django.core.files.storage import storages

    from core.storage import private_storage

    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    private_location = Path(private_storage().location)
    assert BASE_DIR not in private_location.parents
    assert Path(storages["default"].location) == Path(settings.MEDIA_ROOT)
    assert BASE_DIR not in Path(settings.MEDIA_ROOT).parents


_A_SKIPPED_TEST = """
import pytest

def test_runs():
    assert True

@pytest.mark.skip(reason="no browser here")
def test_needs_a_browser():
    pass
"""


@pytest.mark.parametrize(("ci", "expected_status"), [("true", 1), ("", 0)])
def test_a_skipped_test_fails_the_run_only_in_ci(tmp_path, ci, expected_status):
    (tmp_path / "test_sample.py").write_text(_A_SKIPPED_TEST)
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(BASE_DIR)}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-p", "tests.pytest_ci_guard"]
        + ["-q", "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == expected_status, result.stdout + result.stderr
    assert "1 passed, 1 skipped" in result.stdout
    assert ("test_needs_a_browser: no browser here" in result.stdout) is (ci == "true")


# pytest-django runs transactional tests after the other database tests and tests without a database
# mark last: so the second test below runs after the first, whose flush empties every table.
@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_may_empty_the_tables():
    from django.contrib.auth.models import Group

    assert Group.objects.exists()


def test_after_a_transactional_test_the_migrated_roles_are_back(django_db_setup, django_db_blocker):
    from django.contrib.auth.models import Group

    from accounts.models import Role

    with django_db_blocker.unblock():
        groups = Group.objects.filter(name__in=Role.values)
        assert sorted(groups.values_list("name", flat=True)) == sorted(Role.values)
        assert groups.filter(name=Role.STAFF, permissions__isnull=False).exists()
