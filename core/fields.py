"""Model fields shared by the apps: encrypted text for personal data such as passport numbers."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def encryption_keys() -> list[str]:
    """The Fernet keys in use, newest first."""
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        # Derived from SECRET_KEY so a laptop works without configuration; production sets its own keys.
        digest = hashlib.sha256(("pem-field-encryption:" + settings.SECRET_KEY).encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return keys


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in encryption_keys()])


class UnreadableSecret(str):
    """A value the configured keys cannot decrypt (keys lost or rotated away). It shows as a mask and,
    if the row is saved again, the original ciphertext is written back unchanged, never the mask."""

    def __new__(cls, ciphertext: str):
        value = super().__new__(cls, "********")
        value.ciphertext = ciphertext
        return value


class EncryptedTextField(models.TextField):
    """Text stored encrypted (Fernet) in the database, clear in Python.

    Encrypted values cannot be searched or filtered on: only the owner of the row reads them.
    """

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return _fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            return UnreadableSecret(value)

    def get_prep_value(self, value):
        if isinstance(value, UnreadableSecret):
            return value.ciphertext
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return _fernet().encrypt(str(value).encode()).decode()
