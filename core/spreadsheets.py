"""Helpers for files staff open in a spreadsheet program, and for ids read from query strings.

Also the one reader of uploaded spreadsheets (CSV in UTF-8 or Windows-1252, or XLSX) that every import
uses, with the folding that makes headers and values compare without case, accents or punctuation.

Applicants type names and company names; a value such as `=HYPERLINK("http://…"&C2)` would become a live
formula in Excel or LibreOffice when staff open an export ("CSV/formula injection"). Every exported text
cell goes through `safe_cell`."""

import csv
import io
import unicodedata

import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_ID = 2**63 - 1
#: What an uploaded workbook may hold once unzipped. An XLSX is a zip: 5 MB on the wire can inflate to gigabytes
#: (a "zip bomb"), which openpyxl would read for minutes inside the request. Real workbooks of 5 MB unzip to
#: a few tens of MB.
XLSX_MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
XLSX_MAX_MEMBERS = 1000


def safe_cell(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe; numbers,
    dates and other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    clean = tablib.Dataset(title=dataset.title)
    clean.headers = [safe_cell(str(header)) for header in dataset.headers or []]
    for row in dataset:
        clean.append([safe_cell(cell) for cell in row])
    return clean


def parse_id(raw) -> int | None:
    """A positive database id from a query string, or None for anything else (never an exception:
    "²".isdigit() is True but int("²") fails; a 30-digit number overflows the database)."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdecimal()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


#: The formats of the staff pages' exports: content type and file extension.
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def dataset_xlsx(dataset: tablib.Dataset) -> bytes:
    """The dataset as a workbook written in openpyxl's streaming mode (twice as fast as tablib's)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=str(dataset.title or "export")[:31])
    sheet.append([safe_cell(str(header)) for header in dataset.headers])
    for row in dataset:
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dataset_response(dataset: tablib.Dataset, export_format: str, stem: str) -> HttpResponse:
    """A download of `dataset` as CSV (with a BOM, so that Excel reads the accents) or XLSX, every text
    cell made safe, named `<stem>-<date>.<ext>`."""
    content_type, extension = EXPORT_FORMATS[export_format]
    if export_format == "csv":
        content = "\ufeff" + safe_dataset(dataset).export("csv")
    else:
        content = dataset_xlsx(dataset)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate():%Y%m%d}.{extension}"'
    return response


# --------------------------------------------------------------------------------------------------
# Reading uploaded spreadsheets
# --------------------------------------------------------------------------------------------------


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, format, columns): nothing is checked row by row."""


def text_fold(text) -> str:
    """Lower case, no accents, single spaces: "  Thiès " and "thies" compare equal."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").split())


def text_key(text) -> str:
    """A header or a value as compared on import: folded, punctuation as spaces ("Chiffre d'affaires",
    "chiffre_affaires" and "CHIFFRE D’AFFAIRES" differ only in spacing, which is ignored)."""
    folded = text_fold(text)
    for mark in "'’-/.():;,\"":
        folded = folded.replace(mark, " ")
    return " ".join(folded.split())


def csv_decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) first, then Windows-1252 (a superset of Latin-1 for text)."""
    if b"\x00" in content[:4096]:
        raise ImportFileError(_("Le fichier n'est pas un CSV lisible (caractères binaires). Enregistrez-le en CSV UTF-8."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    if sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in "\r\n\t") > 0:
        raise ImportFileError(
            _("L'encodage du fichier n'a pas été reconnu (ni UTF-8 ni Windows-1252/Latin-1). Enregistrez-le en CSV UTF-8.")
        )
    return text


def _xlsx_size_check(content: bytes) -> None:
    """Refuse a workbook that unzips to more than XLSX_MAX_UNZIPPED_BYTES before anything inflates it.
    The sizes read are those the zip declares; Python's zipfile never inflates a member past its declared
    size (a member that lies fails its checksum), so the declared total bounds the work."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ImportFileError(_("Ce classeur Excel (.xlsx) est illisible ou endommagé.")) from None
    if len(members) > XLSX_MAX_MEMBERS or sum(member.file_size for member in members) > XLSX_MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            _("Ce classeur Excel (.xlsx) est trop volumineux une fois décompressé : découpez-le en plusieurs fichiers.")
        )


def spreadsheet_rows(*, content: bytes, filename: str) -> tuple[list[str], list[list]]:
    """The header row and the non-empty rows of an uploaded CSV (";", "," or tab separated) or XLSX.

    Raises ImportFileError with a message for the user when the file cannot be used at all."""
    if filename.lower().endswith(".xlsx"):
        if not content.startswith(b"PK"):
            raise ImportFileError(_("Ce fichier n'est pas un classeur Excel (.xlsx) valide."))
        _xlsx_size_check(content)
        try:
            dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors on a damaged workbook
            raise ImportFileError(_("Ce classeur Excel (.xlsx) est illisible ou endommagé.")) from None
        headers = ["" if header is None else str(header) for header in dataset.headers or []]
        rows = [list(row) for row in dataset if any(cell not in (None, "") for cell in row)]
    else:
        text = csv_decode(content)
        first_line = text.split("\n", 1)[0]
        delimiter = max((";", ",", "\t"), key=first_line.count)
        try:
            lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error:
            raise ImportFileError(_("Ce fichier CSV est mal formé.")) from None
        if not lines:
            raise ImportFileError(_("Le fichier est vide."))
        headers, width, rows = lines[0], len(lines[0]), []
        for number, row in enumerate(lines[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != width:
                raise ImportFileError(
                    _("Ligne %(line)s : %(found)s colonnes au lieu de %(width)s.")
                    % {"line": number, "found": len(row), "width": width}
                )
            rows.append(row)
    if not any(header.strip() for header in headers):
        raise ImportFileError(_("La première ligne du fichier doit donner le nom de chaque colonne."))
    return headers, rows
