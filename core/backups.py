"""Backups of an installation and their restoration: the database (pg_dump/pg_restore for PostgreSQL, SQLite's
online backup otherwise), the private and public files of local storage, and a manifest. The encryption
keys (FIELD_ENCRYPTION_KEYS) are never in a backup: they are kept apart, and a restore checks that the keys
configured decrypt the restored data."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection, connections

from core.fields import EncryptedTextField, UnreadableSecret, encryption_keys

MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
#: File storages copied into a backup (when they are local folders), with the archive each one goes to.
FILE_ARCHIVES = {"private": "private-files.tar.gz", "default": "media-files.tar.gz"}
KEYS_REMINDER = (
    "The encryption keys (FIELD_ENCRYPTION_KEYS) are NOT in this backup. Without them the passport numbers "
    "in it cannot be read: keep a copy of the keys apart from the backups (a password manager or a safe), "
    "and set the same keys before restoring."
)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class RestoreReport:
    rows: dict[str, int]
    files: dict[str, int]
    unreadable_secrets: int
    keys_match: bool
    mismatched_counts: dict[str, tuple[int, int]] = field(default_factory=dict)


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_command(program: str, *arguments: str) -> tuple[list[str], dict[str, str]]:
    """A PostgreSQL client command for the default database, its password passed in the environment."""
    db = connection.settings_dict
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (apt-get install postgresql-client).")
    command = [program, "--dbname", db["NAME"]]
    for option, value in (("--host", db.get("HOST")), ("--port", db.get("PORT")), ("--username", db.get("USER"))):
        if value:
            command += [option, str(value)]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return command + list(arguments), env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (argument list, no shell)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _local_location(alias: str) -> Path | None:
    storage = storages[alias]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _key_fingerprints() -> list[str]:
    """Short hashes of the keys in use: a restore can tell whether its keys are those of the backup."""
    return [hashlib.sha256(key.encode()).hexdigest()[:16] for key in encryption_keys()]


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models() if model._meta.managed}


def _count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file()) if folder.exists() else 0


def backup_create(*, output: Path) -> Path:
    """Write a new backup folder under `output` and return it."""
    engine = _engine()
    target = output / f"pem-backup-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}"
    output.mkdir(parents=True, exist_ok=True)
    target.mkdir(mode=0o700)  # personal data: readable by the owner only
    if engine == "postgresql":
        command, env = _pg_command(
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target / POSTGRES_DUMP)
        )
        _run(command, env)
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(target / SQLITE_COPY)
        try:
            connection.connection.backup(copy)  # a consistent copy, even while others write (WAL)
        finally:
            copy.close()
    files = {}
    skipped = []
    for alias, archive in FILE_ARCHIVES.items():
        folder = _local_location(alias)
        if folder is None:
            skipped.append(alias)
            continue
        with tarfile.open(target / archive, "w:gz") as tar:
            if folder.exists():
                for child in sorted(folder.iterdir()):
                    tar.add(child, arcname=child.name)
        files[alias] = _count_files(folder)
    manifest = {
        "created": datetime.now(UTC).isoformat(),
        "engine": engine,
        "rows": _row_counts(),
        "files": files,
        "storages_not_copied": skipped,
        "key_fingerprints": _key_fingerprints(),
        "keys": KEYS_REMINDER,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    (target / "KEYS-NOT-INCLUDED.txt").write_text(KEYS_REMINDER + "\n")
    for path in target.iterdir():
        path.chmod(0o600)
    return target


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _restore_files(source: Path, *, replace: bool) -> dict[str, int]:
    restored = {}
    for alias, archive in FILE_ARCHIVES.items():
        folder = _local_location(alias)
        if folder is None or not (source / archive).exists():
            continue
        if folder.exists() and any(folder.iterdir()):
            if not replace:
                raise BackupError(f"{folder} is not empty: restore into an empty folder, or pass --replace.")
            folder.rename(folder.with_name(f"{folder.name}.before-restore-{datetime.now(UTC):%Y%m%d-%H%M%S}"))
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")  # no absolute paths, no "..", no links out of the folder
        restored[alias] = _count_files(folder)
    return restored


def _unreadable_secrets() -> int:
    """Encrypted values that the configured keys cannot decrypt."""
    unreadable = 0
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, EncryptedTextField):
                values = model._base_manager.exclude(**{model_field.name: ""}).values_list(model_field.name, flat=True)
                unreadable += sum(isinstance(value, UnreadableSecret) for value in values.iterator())
    return unreadable


def backup_restore(*, source: Path, replace: bool = False) -> RestoreReport:
    """Restore the backup in `source` into the configured database and file folders.

    The database must be empty (a new installation, not even migrated) unless `replace` is given.
    """
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} is not a backup folder (no {MANIFEST}).")
    manifest = json.loads(manifest_path.read_text())
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"This backup is of a {manifest['engine']} database; the configured database is {engine}.")
    if not replace and not _database_is_empty():
        raise BackupError("The database is not empty: restore into an empty database, or pass --replace.")
    if engine == "postgresql":
        options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if replace:
            options += ["--clean", "--if-exists"]
        command, env = _pg_command("pg_restore", *options, str(source / POSTGRES_DUMP))
        connections.close_all()
        _run(command, env)
    else:
        connection.ensure_connection()
        backup = sqlite3.connect(source / SQLITE_COPY)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
        connections.close_all()
    files = _restore_files(source, replace=replace)
    rows = _row_counts()
    mismatched = {label: (count, rows.get(label, 0)) for label, count in manifest["rows"].items() if rows.get(label, 0) != count}
    return RestoreReport(
        rows=rows,
        files=files,
        unreadable_secrets=_unreadable_secrets(),
        keys_match=bool(set(manifest["key_fingerprints"]) & set(_key_fingerprints())),
        mismatched_counts=mismatched,
    )
