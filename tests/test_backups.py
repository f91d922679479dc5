"""`make backup` / `make restore` ([6] item 7), as an operator runs them: an installation with the demo, a
passport scan in private storage, a backup; then a NEW installation (an empty database, not even migrated,
and empty file folders) restored from it finds the same rows, the same files, and reads the passport
numbers with the same keys, and refuses to call the restore good with other keys. On SQLite and on
PostgreSQL (the local server, or CI's)."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from core.testing import test_database_url

ROOT = Path(__file__).resolve().parent.parent
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"

#: Adds a passport scan to one visa file of the demo, in the private storage.
_ADD_SCAN = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.files.base import ContentFile
    from mobility.models import VisaFile
    visa = VisaFile.objects.exclude(passport_number="").order_by("pk").first()
    visa.passport_scan.save("scan.pdf", ContentFile(b"%PDF-1.4 passport scan of the test"), save=True)
    """
)
#: What must survive a backup: every table's row count, the passport numbers in clear, the private files.
_SNAPSHOT = textwrap.dedent(
    """
    import hashlib, json, django
    django.setup()
    from django.apps import apps
    from mobility.models import VisaFile
    visas = VisaFile.objects.order_by("pk")
    print(json.dumps({
        "rows": {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.managed},
        "passports": [v.passport_number for v in visas],
        "scans": {v.pk: hashlib.sha256(v.passport_scan.read()).hexdigest() for v in visas if v.passport_scan},
    }))
    """
)


class Installation:
    """One installation: a database, file folders and keys, driven through manage.py in subprocesses."""

    def __init__(self, folder: Path, database_url: str, keys: str):
        folder.mkdir(parents=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(folder),
            "DJANGO_SETTINGS_MODULE": "pemwecco.settings",
            "DATABASE_URL": database_url,
            "FIELD_ENCRYPTION_KEYS": keys,
            "PRIVATE_MEDIA_ROOT": str(folder / "private"),
            "MEDIA_ROOT": str(folder / "media"),
            "CELERY_BROKER_DIR": str(folder / "broker"),
            "CELERY_TASK_ALWAYS_EAGER": "1",
        }
        self.private = folder / "private"

    def run(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, *arguments], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600, check=False
        )
        if check:
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result

    def manage(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("manage.py", *arguments, check=check)

    def snapshot(self) -> dict:
        return json.loads(self.run("-c", _SNAPSHOT).stdout.strip().splitlines()[-1])


def _postgres_server() -> str:
    """The PostgreSQL server to create databases on: the test database's when the suite runs on PostgreSQL."""
    if connection.vendor == "postgresql":
        return test_database_url().rsplit("/", 1)[0] + "/postgres"
    return os.environ.get("BACKUP_TEST_POSTGRES_URL", LOCAL_POSTGRES)


def _admin_connection(server: str):
    import psycopg2

    parts = urlsplit(server)
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        connect_timeout=3,
    )
    admin.autocommit = True
    return admin


@pytest.fixture
def new_database(tmp_path):
    """A factory of empty databases of the engine under test, dropped afterwards."""
    created = []

    def make(engine: str, name: str) -> str:
        if engine == "sqlite":
            return f"sqlite:///{tmp_path / (name + '.sqlite3')}"
        server = _postgres_server()
        # Named after the test database so that CI's clean-up (test_<name>%) drops it if this test cannot.
        base = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else "pem"
        base = base if base.startswith("test_") else f"test_{base}"
        database = f"{base}_backup_{name}_{uuid.uuid4().hex[:6]}"
        with _admin_connection(server).cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
        created.append((server, database))
        return server.rsplit("/", 1)[0] + "/" + database

    yield make
    for server, database in created:
        with _admin_connection(server).cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _require_postgres() -> None:
    import psycopg2

    reason = None
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        reason = "pg_dump / pg_restore not installed (apt-get install postgresql-client)"
    else:
        try:
            _admin_connection(_postgres_server()).close()
        except psycopg2.OperationalError as error:
            reason = f"no PostgreSQL server at {_postgres_server()}: {error}".strip()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: the backup test must run on PostgreSQL)", pytrace=False)
        pytest.skip(reason)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_backup_restored_into_an_empty_installation_holds_the_same_data(tmp_path, new_database, engine):
    if engine == "postgresql":
        _require_postgres()
    keys = Fernet.generate_key().decode()
    source = Installation(tmp_path / "source", new_database(engine, "source"), keys)
    source.manage("migrate", "--noinput", "-v", "0")
    source.manage("load_demo", "--allow-production")
    source.run("-c", _ADD_SCAN)
    before = source.snapshot()
    assert len(before["passports"]) > 10 and all(before["passports"])
    assert len(before["scans"]) == 1

    created = source.manage("backup_create", "--output", str(tmp_path / "backups"))
    assert "NOT in this backup" in created.stdout  # the reminder about the keys
    (backup,) = (tmp_path / "backups").iterdir()
    assert "FIELD_ENCRYPTION_KEYS" in (backup / "KEYS-NOT-INCLUDED.txt").read_text()
    assert oct(backup.stat().st_mode & 0o777) == "0o700"
    dump = backup / ("database.pgdump" if engine == "postgresql" else "database.sqlite3")
    assert dump.exists()
    assert before["passports"][0].encode() not in dump.read_bytes()  # encrypted in the dump too

    restored = Installation(tmp_path / "restored", new_database(engine, "restored"), keys)
    result = restored.manage("backup_restore", str(backup))

    assert "restored" in result.stdout
    assert restored.snapshot() == before
    assert (restored.private / "visa").is_dir()

    # Restoring again over the now full installation is refused, unless asked for explicitly.
    refused = restored.manage("backup_restore", str(backup), check=False)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr
    assert "restored" in restored.manage("backup_restore", "--replace", str(backup)).stdout
    assert restored.snapshot() == before

    # The same backup with other keys: the rows come back, the passport numbers do not, and the command says so.
    other_keys = Installation(tmp_path / "other-keys", new_database(engine, "otherkeys"), Fernet.generate_key().decode())
    refused = other_keys.manage("backup_restore", str(backup), check=False)
    assert refused.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in refused.stderr
    assert set(other_keys.snapshot()["passports"]) == {"********"}
