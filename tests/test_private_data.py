"""Personal data: encrypted at rest, never lost to a key problem, never given a public URL."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection

from cohorts.tests.factories import ApplicationFactory
from core.fields import UnreadableSecret
from mobility.models import VisaFile

pytestmark = pytest.mark.django_db


def test_private_files_have_no_url():
    storage = storages["private"]
    name = storage.save("passport.pdf", ContentFile(b"%PDF-1.4"))
    with pytest.raises(NotImplementedError):
        storage.url(name)


def test_a_number_the_keys_cannot_read_is_masked_and_never_overwritten_by_the_mask(settings):
    visa = VisaFile.objects.create(application=ApplicationFactory(submitted=True), passport_number="A01234567")
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM mobility_visafile WHERE id = %s", [visa.pk])
        (ciphertext,) = cursor.fetchone()

    settings.FIELD_ENCRYPTION_KEYS = ["JHqhx7fSXUj3mYEVmvkBzqXPqkn29Ad_n3uxmCVB32Q="]  # another key
    unreadable = VisaFile.objects.get(pk=visa.pk)
    assert isinstance(unreadable.passport_number, UnreadableSecret)
    assert unreadable.passport_number == "********"
    unreadable.save()

    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM mobility_visafile WHERE id = %s", [visa.pk])
        assert cursor.fetchone()[0] == ciphertext
