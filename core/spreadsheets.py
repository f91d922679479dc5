"""Helpers for files staff open in a spreadsheet program, and for ids read from query strings.

Applicants type names and company names; a value such as `=HYPERLINK("http://…"&C2)` would become a live
formula in Excel or LibreOffice when staff open an export ("CSV/formula injection"). Every exported text
cell goes through `safe_cell`."""

import io

import tablib
from django.http import HttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_ID = 2**63 - 1


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
