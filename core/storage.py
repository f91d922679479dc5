"""Storage helpers: the private storage holds personal data and reports, and no URL serves it."""

from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private files. They have no URL at all: a view that checks permission streams them, so a
    web server mapping /media/ can never expose them by mistake."""

    def url(self, name):
        raise NotImplementedError("Private files have no URL; stream them through a permission-checked view.")


def private_storage() -> Storage:
    """Callable for FileField(storage=...), so migrations do not freeze the backend in use."""
    return storages["private"]
