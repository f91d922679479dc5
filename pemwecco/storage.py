"""Storage helpers: the private storage holds personal data and reports, and no URL serves it."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Callable for FileField(storage=...), so migrations do not freeze the backend in use."""
    return storages["private"]
