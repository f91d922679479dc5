"""Uploaded spreadsheets that were checked but never confirmed are removed after a day, by a periodic task."""

import datetime
import os

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from cohorts.services.staff import PENDING_IMPORT_DIR
from cohorts.tasks_staff import pending_import_files_purge_task
from core.storage import private_storage

pytestmark = pytest.mark.django_db


def _pending_names() -> list[str]:
    storage = private_storage()
    return storage.listdir(PENDING_IMPORT_DIR)[1] if storage.exists(PENDING_IMPORT_DIR) else []


def _age(name: str, hours: float) -> None:
    """Date the stored file `hours` ago, as if it had been uploaded then."""
    moment = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(private_storage().path(name), (moment, moment))


def test_an_unconfirmed_file_is_removed_after_a_day_and_a_recent_one_is_kept(client):
    client.force_login(UserFactory(roles=["staff"]))
    storage = private_storage()
    before = set(_pending_names())
    client.post(reverse("cohorts:application_import"), {"file": SimpleUploadedFile("liste.csv", b"Prenom;Nom\nAwa;Diop\n")})
    (uploaded,) = set(_pending_names()) - before  # the check kept it, waiting for the mapping step
    old = f"{PENDING_IMPORT_DIR}/{uploaded}"
    recent = storage.save(f"{PENDING_IMPORT_DIR}/recent", ContentFile(b"x"))
    kept_import = storage.save("imports/abcdef", ContentFile(b"x"))  # a confirmed import's own file
    _age(old, 25)
    _age(recent, 23)
    _age(kept_import, 24 * 30)

    assert pending_import_files_purge_task.delay().get() >= 1  # (other tests' files, all recent, are kept)

    assert not storage.exists(old) and storage.exists(recent) and storage.exists(kept_import)
    assert pending_import_files_purge_task() == 0  # idempotent: a second run finds nothing more


def test_the_purge_runs_without_a_pending_folder(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}}}
    assert pending_import_files_purge_task() == 0


def test_beat_runs_the_purge_every_hour():
    entry = next(item for item in settings.CELERY_BEAT_SCHEDULE.values() if item["task"] == "cohorts.pending_import_files_purge")
    assert entry["schedule"] <= 3600
