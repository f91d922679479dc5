"""The spreadsheet format of Belgian companies that staff import into the directory: its columns (headers
in French or English, in any order), and how each cell is read. A row is one company, with at most one
contact; labels are understood in French or English (sector, region, languages), relay agencies by name.

The reader itself (CSV UTF-8 or Windows-1252, XLSX) is core.spreadsheets'."""

import csv
import io
import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import ImportFileError, spreadsheet_rows, text_key

from .models import BelgianRegion, CompanyLanguage, Organisation, Sector


@dataclass(frozen=True)
class ImportColumn:
    name: str  # internal, never shown
    header: object  # lazy: the template's header in the page's language
    required: bool = False
    spellings: tuple[str, ...] = ()


COLUMNS = [
    ImportColumn("name", gettext_lazy("Nom de l'entreprise"), True, ("nom", "name", "entreprise", "company", "raison sociale")),
    ImportColumn(
        "enterprise_number",
        gettext_lazy("Numéro d'entreprise"),
        True,
        ("numero bce", "bce", "kbo", "numero", "ondernemingsnummer", "company number", "enterprise number", "tva", "vat"),
    ),
    ImportColumn("region", gettext_lazy("Région"), True, ("region", "gewest", "region belge")),
    ImportColumn("city", gettext_lazy("Ville"), False, ("ville", "city", "localite", "commune", "gemeente")),
    ImportColumn("sector", gettext_lazy("Secteur"), False, ("secteur", "sector")),
    ImportColumn("relay_agency", gettext_lazy("Agence relais"), False, ("agence", "relais", "relay", "agency")),
    ImportColumn("languages", gettext_lazy("Langues"), False, ("langues", "languages", "langue", "language", "talen")),
    ImportColumn("website", gettext_lazy("Site web"), False, ("site", "site internet", "website", "web")),
    ImportColumn("email", gettext_lazy("E-mail de l'entreprise"), False, ("email entreprise", "company email")),
    ImportColumn("contact_name", gettext_lazy("Contact : nom"), False, ("contact", "nom du contact", "contact name")),
    ImportColumn("contact_email", gettext_lazy("Contact : e-mail"), False, ("email du contact", "email contact", "email")),
    ImportColumn("contact_position", gettext_lazy("Contact : fonction"), False, ("fonction", "position", "job title")),
    ImportColumn("contact_phone", gettext_lazy("Contact : téléphone"), False, ("telephone", "phone", "tel")),
    ImportColumn("contact_language", gettext_lazy("Contact : langue"), False, ("langue du contact", "contact language")),
]
CONTACT_COLUMNS = ("contact_name", "contact_email", "contact_position", "contact_phone", "contact_language")

#: Other spellings met in lists, by code (compared with text_key).
REGION_SPELLINGS = {
    BelgianRegion.BRUSSELS: ["bruxelles", "brussels", "brussel", "bxl", "bruxelles capitale", "brussels capital region"],
    BelgianRegion.FLANDERS: ["flandre", "flandres", "flanders", "vlaanderen", "vlaams gewest", "region flamande"],
    BelgianRegion.WALLONIA: ["wallonie", "wallonia", "wallonien", "region wallonne", "walloon region"],
}
LANGUAGE_SPELLINGS = {
    "fr": ["francais", "french", "fr", "frans", "franzosisch"],
    "nl": ["neerlandais", "dutch", "flamand", "flemish", "nederlands", "nl", "vlaams"],
    "en": ["anglais", "english", "en", "engels", "gb", "uk"],
    "de": ["allemand", "german", "deutsch", "de", "duits"],
}
#: Contacts are written to in French, Dutch or English only.
CONTACT_LANGUAGES = ("fr", "nl", "en")


def labels() -> dict[str, str]:
    """Each column's header in the current language, to name it to people."""
    return {column.name: str(column.header) for column in COLUMNS}


def headers(language: str) -> list[str]:
    with translation.override(language):
        return [str(column.header) for column in COLUMNS]


def header_lookup() -> dict[str, str]:
    table = {}
    for column in COLUMNS:
        for spelling in column.spellings:
            table[text_key(spelling)] = column.name
    for language in ("fr", "en"):
        with translation.override(language):
            for column in COLUMNS:
                table[text_key(column.header)] = column.name
    for column in COLUMNS:
        table[text_key(column.name)] = column.name
    return table


def _choice_lookup(choices, spellings: dict | None = None) -> dict[str, str]:
    table = {}
    for code, names in (spellings or {}).items():
        for name in names:
            table[text_key(name)] = str(code)
    for language in ("fr", "en"):
        with translation.override(language):
            for code, label in choices:
                for part in str(label).split("/"):
                    table.setdefault(text_key(part), code)
                table[text_key(label)] = code
    for code, _label in choices:
        table[text_key(code)] = code
    table.pop("", None)
    return table


@dataclass
class SourceFile:
    """The uploaded file's rows, each as {column name: raw cell}, and the headers it ignores."""

    rows: list[dict]
    ignored: list[str]


def companies_file_read(*, content: bytes, filename: str) -> SourceFile:
    """Read an uploaded CSV or XLSX of companies. Raises ImportFileError when a required column is missing
    or the file cannot be read."""
    file_headers, rows = spreadsheet_rows(content=content, filename=filename)
    lookup = header_lookup()
    names, seen, ignored = [], set(), []
    for header in file_headers:
        name = lookup.get(text_key(header or ""), "")
        if name in seen:
            name = ""
        if not name:
            ignored.append(str(header or "?"))
        seen.add(name)
        names.append(name)
    missing = [str(column.header) for column in COLUMNS if column.required and column.name not in seen]
    if missing:
        raise ImportFileError(_("Aucune colonne pour : %(names)s.") % {"names": " ; ".join(missing)})
    records = []
    for row in rows:
        record = {name: (row[index] if index < len(row) else "") for index, name in enumerate(names) if name}
        records.append(record)
    return SourceFile(rows=records, ignored=ignored)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class CellReader:
    """Reads the cells of a row into model values; one instance per file (its lookups built once)."""

    def __init__(self, relay_agencies: list[Organisation]):
        self.regions = _choice_lookup(BelgianRegion.choices, REGION_SPELLINGS)
        self.sectors = _choice_lookup(Sector.choices)
        self.languages = _choice_lookup(CompanyLanguage.choices, LANGUAGE_SPELLINGS)
        self.agencies = {}
        for agency in relay_agencies:
            for name in (agency.name, agency.short_name):
                if name:
                    self.agencies[text_key(name)] = agency
        self.agency_names = " ; ".join(agency.short_name or agency.name for agency in relay_agencies)

    def _choice(self, table: dict, value: str, choices) -> str:
        code = table.get(text_key(value))
        if code is None:
            raise ValueError(
                _("« %(value)s » n'est pas une valeur possible (valeurs : %(labels)s).")
                % {"value": value, "labels": " ; ".join(str(label) for _code, label in choices)}
            )
        return code

    def region(self, value) -> str:
        text = _text(value)
        return self._choice(self.regions, text, BelgianRegion.choices) if text else ""

    def sector(self, value) -> str:
        text = _text(value)
        return self._choice(self.sectors, text, Sector.choices) if text else ""

    def relay_agency(self, value) -> Organisation | None:
        text = _text(value)
        if not text:
            return None
        agency = self.agencies.get(text_key(text))
        if agency is None:
            raise ValueError(
                _("« %(value)s » n'est pas une agence relais connue (agences : %(names)s).")
                % {"value": text, "names": self.agency_names}
            )
        return agency

    def language_list(self, value) -> list[str]:
        codes = []
        for part in re.split(r"[,;/+|&]|\bet\b|\band\b", _text(value)):
            if part.strip():
                code = self._choice(self.languages, part.strip(), CompanyLanguage.choices)
                if code not in codes:
                    codes.append(code)
        return [code for code in CompanyLanguage.values if code in codes]

    def contact_language(self, value) -> str:
        text = _text(value)
        if not text:
            return "fr"
        code = self.languages.get(text_key(text))
        if code not in CONTACT_LANGUAGES:
            raise ValueError(
                _("« %(value)s » : la langue d'un contact est le français, le néerlandais ou l'anglais.") % {"value": text}
            )
        return code

    @staticmethod
    def website(value) -> str:
        text = _text(value)
        if text and "://" not in text:
            text = f"https://{text}"
        return text

    text = staticmethod(_text)


def import_template(*, language: str, file_format: str) -> tuple[bytes, str]:
    """The template to fill (CSV or XLSX) with its headers in `language` and one example row: (content, type)."""
    row_headers = headers(language)
    with translation.override(language):
        example = [
            _("Exemple SRL (à remplacer)"), "0123.456.749", str(BelgianRegion.BRUSSELS.label), "Bruxelles",
            str(Sector.AGRIFOOD.label), "hub.brussels", ", ".join([str(CompanyLanguage.FRENCH.label), str(CompanyLanguage.ENGLISH.label)]),
            "www.exemple.be", "info@exemple.be", "Marie Dupont", "marie.dupont@exemple.be", _("Directrice"), "+32 2 123 45 67",
            str(CompanyLanguage.FRENCH.label),
        ]  # fmt: skip
    if file_format == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "entreprises" if language == "fr" else "companies"
        sheet.append(row_headers)
        sheet.append(example)
        for index, header in enumerate(row_headers, start=1):
            sheet.cell(row=1, column=index).font = openpyxl.styles.Font(bold=True)
            sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(14, len(header) + 2)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if language == "fr" else ",")
    writer.writerow(row_headers)
    writer.writerow(example)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"


__all__ = ["COLUMNS", "CellReader", "ImportFileError", "SourceFile", "companies_file_read", "import_template", "labels"]
