"""Exports from the admin (django-import-export) escaped like the staff pages' own exports: every text cell
that a spreadsheet would read as a formula gets a leading apostrophe (`core.spreadsheets.safe_cell`).
The library's option IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops one leading "=": `==HYPERLINK(…)`
stayed a formula, and "+", "-", "@", tab and carriage return went through."""

from import_export.admin import ExportMixin
from import_export.formats import base_formats

from .spreadsheets import safe_dataset


def _escaped(base: type) -> type:
    class EscapedFormat(base):
        def export_data(self, dataset, **kwargs):
            return super().export_data(safe_dataset(dataset), **kwargs)

    EscapedFormat.__name__ = EscapedFormat.__qualname__ = f"Escaped{base.__name__}"
    return EscapedFormat


#: Spreadsheet formats only (JSON, YAML, HTML would need other escaping and nobody asked for them).
ESCAPED_FORMATS = [_escaped(base) for base in (base_formats.CSV, base_formats.XLSX, base_formats.TSV)]


class SafeExportMixin(ExportMixin):
    """The admin's export action with escaped formats only. Every exporting ModelAdmin uses this."""

    formats = ESCAPED_FORMATS

    @property
    def export_formats(self):
        return ESCAPED_FORMATS
