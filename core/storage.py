"""Storage helpers: the private storage holds personal data and reports, and no URL serves it."""

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private files. They have no URL at all: a view that checks permission streams them, so a
    web server mapping /media/ can never expose them by mistake."""

    def url(self, name):
        raise NotImplementedError("Private files have no URL; stream them through a permission-checked view.")


def private_storage() -> Storage:
    """Callable for FileField(storage=...), so migrations do not freeze the backend in use."""
    return storages["private"]


def stored_row_save(row, field: str, content) -> None:
    """Write `content` into the row's file field under the name its `upload_to` gives (random), then
    validate and save the row; if the row is refused, the file just written is deleted again, so a
    refused upload leaves nothing on disk."""
    file = getattr(row, field)
    file.save("document", content, save=False)
    name = file.name
    try:
        row.full_clean(exclude=[field])
        row.save()
    except Exception:
        file.storage.delete(name)
        raise


def stored_row_delete(row, field: str) -> None:
    """Delete the row now and its file once the transaction commits (a rollback keeps both)."""
    file = getattr(row, field)
    storage, name = file.storage, file.name
    row.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


#: Names Windows refuses for a file, whatever the extension ("CON.pdf" cannot be saved there).
WINDOWS_RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
)


def upload_name_clean(name: str | None, *, max_length: int = 255) -> str:
    """The name an uploaded file came with, made fit to keep and to show: its last path segment only
    (either separator), in NFC, without control or invisible formatting characters (NUL, escape codes, the
    right-to-left override that makes "fdp.exe" read "exe.pdf"), a Windows reserved name prefixed, at most
    `max_length` characters with the extension kept; "document" when nothing is left. The name is only ever
    a label: files are stored under random names."""
    import os
    import unicodedata

    text = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
    text = " ".join(text.split()).rstrip(" .")
    if text.lstrip(" .") and text.lstrip(" .").count(".") == 0 and "." in text:
        text = "document." + text.lstrip(" .")  # ".xlsx": a name that was only an extension keeps it
    text = text.lstrip(" .")
    if not text:
        return "document"
    stem, extension = os.path.splitext(text)
    if stem.split(".")[0].upper() in WINDOWS_RESERVED_NAMES:
        stem = f"document-{stem}"
    extension = extension[:16]
    return f"{stem[: max_length - len(extension)]}{extension}"
