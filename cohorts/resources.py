"""Spreadsheet formats of applications (django-import-export): the export of the staff list, and the
columns of an offline collection (e.g. a KoboToolbox form) that staff import, with their cleaning.

Choices accept the code or the label in French or English ("Femme", "woman", "Woman"); dates accept
dd/mm/yyyy and ISO; booleans oui/non, yes/no, 1/0, vrai/faux."""

import csv
import datetime
import io
import math
import unicodedata

import tablib
from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from import_export import fields, resources, widgets

from partners.models import AgeBand, Education, Gender, LegalForm, Sector, TurnoverBand

from .models import Application, ApplicationSource, ApplicationStatus
from .territory import is_diaspora

# --------------------------------------------------------------------------------------------------
# Export of the staff list
# --------------------------------------------------------------------------------------------------


class ApplicationResource(resources.ModelResource):
    """One row per application, choices shown as labels in the user's language. The queryset must
    come from `selectors_staff.applications_for_staff()` (joined), so the export is one query."""

    programme = fields.Field(attribute="cohort__programme__name", column_name=gettext_lazy("programme"))
    cohort = fields.Field(attribute="cohort__number", column_name=gettext_lazy("cohorte"))
    first_name = fields.Field(attribute="entrepreneur__first_name", column_name=gettext_lazy("prénom"))
    last_name = fields.Field(attribute="entrepreneur__last_name", column_name=gettext_lazy("nom"))
    email = fields.Field(attribute="entrepreneur__email", column_name=gettext_lazy("e-mail"))
    gender = fields.Field(column_name=gettext_lazy("genre"))
    diaspora = fields.Field(column_name=gettext_lazy("diaspora"))
    education = fields.Field(column_name=gettext_lazy("niveau d'études"))
    company = fields.Field(attribute="company__name", column_name=gettext_lazy("entreprise"))
    sector = fields.Field(column_name=gettext_lazy("secteur"))
    region = fields.Field(column_name=gettext_lazy("région"))
    year_founded = fields.Field(attribute="company__year_founded", column_name=gettext_lazy("année de création"))
    status = fields.Field(column_name=gettext_lazy("statut"))
    source = fields.Field(column_name=gettext_lazy("origine"))
    submitted = fields.Field(column_name=gettext_lazy("soumise le"))
    eligibility = fields.Field(column_name=gettext_lazy("critères non remplis"))

    class Meta:
        model = Application
        fields = export_order = (
            "id", "programme", "cohort", "first_name", "last_name", "email", "gender", "diaspora", "education",
            "company", "sector", "region", "year_founded", "status", "source", "submitted", "eligibility",
        )  # fmt: skip

    def before_export(self, queryset, **kwargs):
        # Choice labels resolved once per export, in the user's language: get_FOO_display() hashes
        # the lazy labels on every call, which costs seconds on 10,000 rows.
        self._labels = {
            name: {code: str(label) for code, label in choices}
            for name, choices in (
                ("gender", Gender.choices), ("education", Education.choices), ("sector", Sector.choices),
                ("status", ApplicationStatus.choices),
                ("source", ApplicationSource.choices),
            )
        }  # fmt: skip
        self._yes, self._no = _("oui"), _("non")
        return super().before_export(queryset, **kwargs)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # One call per row instead of import-export's per-field dispatch: the export of 10,000 rows
        # stays within the request.
        return [getter(instance) for getter in self._getters]

    def export(self, queryset=None, **kwargs):
        self._getters = [self._getter(name) for name in self._meta.export_order]
        return super().export(queryset=queryset, **kwargs)

    def _getter(self, name: str):
        method = getattr(self, f"dehydrate_{name}", None)
        if method is not None:
            return method
        path = self.fields[name].attribute.split("__")

        def get(instance):
            for part in path:
                instance = getattr(instance, part, None) if instance is not None else None
            return "" if instance is None else instance

        return get

    def _label(self, name: str, code: str) -> str:
        return self._labels[name].get(code, code)

    def dehydrate_gender(self, application: Application) -> str:
        return self._label("gender", application.entrepreneur.gender)

    def dehydrate_diaspora(self, application: Application) -> str:
        diaspora = is_diaspora(
            country_of_residence=application.entrepreneur.country_of_residence,
            origin_country=application.cohort.programme.origin_country,
        )
        return self._yes if diaspora else self._no

    def dehydrate_education(self, application: Application) -> str:
        return self._label("education", application.entrepreneur.education)

    def dehydrate_sector(self, application: Application) -> str:
        return self._label("sector", application.company.sector) if application.company else ""

    def dehydrate_region(self, application: Application) -> str:
        company = application.company
        if company is None:
            return ""
        return company.region.name if company.region_id else str(company.country.name)

    def dehydrate_status(self, application: Application) -> str:
        return self._label("status", application.status)

    def dehydrate_source(self, application: Application) -> str:
        return self._label("source", application.source)

    def dehydrate_submitted(self, application: Application) -> str:
        return timezone.localdate(application.submitted_at).isoformat() if application.submitted_at else ""

    def dehydrate_eligibility(self, application: Application) -> str:
        return "; ".join(item.get("label", "") for item in application.failed_criteria or [] if isinstance(item, dict))


# --------------------------------------------------------------------------------------------------
# Import of an offline collection
# --------------------------------------------------------------------------------------------------


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, format, columns): nothing is checked row by row."""


def _fold(text: str) -> str:
    """Lower case, no accents, single spaces: "  Thiès " and "thies" compare equal."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").split())


class ChoiceWidget(widgets.Widget):
    """A choice given as its code or its label (French or English), folded for comparison."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def lookup(self) -> dict[str, str]:
        table = {}
        for language in ("fr", "en"):
            with translation.override(language):
                for code, label in self.choices:
                    table[_fold(label)] = code
        for code, _label in self.choices:
            table[_fold(code)] = code
        return table

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        if not hasattr(self, "_lookup"):
            self._lookup = self.lookup()
        code = self._lookup.get(_fold(value))
        if code is None:
            raise ValueError(
                _("« %(value)s » n'est pas une valeur possible (valeurs : %(codes)s).")
                % {"value": value, "codes": ", ".join(code for code, _label in self.choices)}
            )
        return code


class CountryWidget(widgets.Widget):
    """A country given as its ISO code or its name in French or English ("SN", "Sénégal", "Senegal")."""

    def lookup(self) -> dict[str, str]:
        table = {}
        for language in ("fr", "en"):
            with translation.override(language):
                for code, name in countries:
                    table[_fold(name)] = code
        for code, _name in countries:
            table[_fold(code)] = code
        return table

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        if not hasattr(self, "_lookup"):
            self._lookup = self.lookup()
        code = self._lookup.get(_fold(value))
        if code is None:
            raise ValueError(_("« %(value)s » n'est pas un pays connu (nom ou code ISO).") % {"value": value})
        return code


class YesNoWidget(widgets.Widget):
    TRUE = {"oui", "yes", "true", "vrai", "1", "o", "y", "x"}
    FALSE = {"non", "no", "false", "faux", "0", "n"}

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        folded = _fold(value)
        if folded.endswith(".0"):
            folded = folded[:-2]
        if folded in self.TRUE:
            return True
        if folded in self.FALSE:
            return False
        raise ValueError(_("« %(value)s » : répondez oui ou non.") % {"value": value})


class WholeNumberWidget(widgets.Widget):
    def __init__(self, minimum: int = 0, maximum: int | None = None, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            number = float(str(value).strip().replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except ValueError:
            raise ValueError(_("« %(value)s » n'est pas un nombre entier.") % {"value": value}) from None
        # "inf", "1e999" and "nan" parse as floats but are no whole number (int() would raise).
        if not math.isfinite(number) or number != int(number):
            raise ValueError(_("« %(value)s » n'est pas un nombre entier.") % {"value": value})
        number = int(number)
        maximum = self.maximum() if callable(self.maximum) else self.maximum
        if number < self.minimum or (maximum is not None and number > maximum):
            raise ValueError(
                _("%(value)s est hors des limites (%(min)s à %(max)s).")
                % {"value": number, "min": self.minimum, "max": maximum if maximum is not None else "∞"}
            )
        return number


class DayWidget(widgets.Widget):
    """A date as dd/mm/yyyy, yyyy-mm-dd, a Kobo ISO timestamp, or a spreadsheet date cell."""

    FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if "T" in text:  # 2024-03-01T10:22:00.000+00:00 (KoboToolbox)
            text = text.split("T", 1)[0]
        elif " " in text:  # 2024-03-01 00:00:00 (spreadsheet date typed as text)
            text = text.split(" ", 1)[0]
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("« %(value)s » n'est pas une date (jj/mm/aaaa ou aaaa-mm-jj).") % {"value": value})


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a NINEA typed as a number in a spreadsheet
        return str(value).strip()


def _this_year() -> int:
    return timezone.localdate().year


def _column(name: str, widget: widgets.Widget, label) -> fields.Field:
    column = fields.Field(attribute=name, column_name=name, widget=widget)
    column.label = label
    return column


class ApplicationImportResource(resources.Resource):
    """The columns of an offline collection, in order. Each column is cleaned by its widget; the
    service `cohorts.services.staff.applications_import` checks the rows as a whole and writes them."""

    prenom = _column("prenom", TextWidget(), gettext_lazy("prénom de l'entrepreneur·e"))
    nom = _column("nom", TextWidget(), gettext_lazy("nom de l'entrepreneur·e"))
    email = _column("email", TextWidget(), gettext_lazy("e-mail"))
    genre = _column("genre", ChoiceWidget(Gender.choices), gettext_lazy("genre"))
    tranche_age = _column("tranche_age", ChoiceWidget(AgeBand.choices), gettext_lazy("tranche d'âge"))
    niveau_etudes = _column("niveau_etudes", ChoiceWidget(Education.choices), gettext_lazy("niveau d'études"))
    pays_residence = _column(
        "pays_residence", CountryWidget(), gettext_lazy("pays de résidence (nom ou code ; pays du programme par défaut)")
    )
    entreprise = _column("entreprise", TextWidget(), gettext_lazy("raison sociale"))
    forme_juridique = _column("forme_juridique", ChoiceWidget(LegalForm.choices), gettext_lazy("forme juridique"))
    ninea = _column("ninea", TextWidget(), gettext_lazy("NINEA (facultatif)"))
    formelle = _column("formelle", YesNoWidget(), gettext_lazy("entreprise formelle (oui/non)"))
    secteur = _column("secteur", ChoiceWidget(Sector.choices), gettext_lazy("secteur"))
    # Checked against the regions of the programme's country once the row's cohort is known (service).
    region = _column(
        "region", TextWidget(), gettext_lazy("région du pays du programme (nom en français ou en anglais ; vide si à l'étranger)")
    )
    annee_creation = _column("annee_creation", WholeNumberWidget(1900, _this_year), gettext_lazy("année de création"))
    chiffre_affaires = _column(
        "chiffre_affaires", ChoiceWidget(TurnoverBand.choices), gettext_lazy("tranche de chiffre d'affaires")
    )
    employes = _column("employes", WholeNumberWidget(0, 100000), gettext_lazy("nombre d'employé·es"))
    experience_export = _column("experience_export", YesNoWidget(), gettext_lazy("expérience à l'export (oui/non)"))
    programme = _column("programme", TextWidget(), gettext_lazy("code du programme"))
    cohorte = _column("cohorte", WholeNumberWidget(1, 1000), gettext_lazy("numéro de la cohorte"))
    motivation = _column("motivation", TextWidget(), gettext_lazy("motivation"))
    partenariat_recherche = _column("partenariat_recherche", TextWidget(), gettext_lazy("partenariat recherché"))
    date_soumission = _column("date_soumission", DayWidget(), gettext_lazy("date de dépôt (jj/mm/aaaa)"))

    #: Columns a row may leave empty (the others are required).
    OPTIONAL = {
        "ninea",
        "pays_residence",
        "region",
        "formelle",
        "experience_export",
        "motivation",
        "partenariat_recherche",
        "employes",
    }

    @classmethod
    def columns(cls) -> list[fields.Field]:
        return list(cls().fields.values())

    @classmethod
    def column_names(cls) -> list[str]:
        return [column.column_name for column in cls.columns()]

    def clean_row(self, row: dict) -> tuple[dict, dict[str, str]]:
        """The row's cleaned values by column, and its errors by column (translated messages)."""
        values, errors = {}, {}
        for name, column in self.fields.items():
            try:
                values[name] = column.clean(row)
            except ValueError as error:
                values[name] = None
                errors[name] = str(error)
                continue
            if name not in self.OPTIONAL and values[name] in (None, ""):
                errors[name] = str(forms.Field.default_error_messages["required"])
        return values, errors


def _decode_csv(content: bytes) -> str:
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


def read_spreadsheet(*, content: bytes, filename: str) -> tablib.Dataset:
    """Load an uploaded CSV or XLSX into a dataset whose headers are the expected column names.

    Raises ImportFileError with a message for the user when the file cannot be used at all."""
    expected = ApplicationImportResource.column_names()
    if filename.lower().endswith(".xlsx"):
        if not content.startswith(b"PK"):
            raise ImportFileError(_("Ce fichier n'est pas un classeur Excel (.xlsx) valide."))
        try:
            dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors on a damaged workbook
            raise ImportFileError(_("Ce classeur Excel (.xlsx) est illisible ou endommagé.")) from None
    else:
        text = _decode_csv(content)
        first_line = text.split("\n", 1)[0]
        delimiter = max((";", ",", "\t"), key=first_line.count)
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error:
            raise ImportFileError(_("Ce fichier CSV est mal formé.")) from None
        if not rows:
            raise ImportFileError(_("Le fichier est vide."))
        width = len(rows[0])
        dataset = tablib.Dataset(headers=rows[0])
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != width:
                raise ImportFileError(
                    _("Ligne %(line)s : %(found)s colonnes au lieu de %(width)s.")
                    % {"line": number, "found": len(row), "width": width}
                )
            dataset.append(row)
    headers = [_fold(header or "").replace(" ", "_") for header in dataset.headers or []]
    # KoboToolbox adds its own metadata columns (_id, _uuid, _submission_time...): they are ignored.
    # A "diaspora" column (files made for the former template) is ignored: diaspora is derived from the
    # country of residence against the programme's country (cohorts.territory).
    kept = [index for index, header in enumerate(headers) if header and not header.startswith("_") and header != "diaspora"]
    names = [headers[index] for index in kept]
    missing = [name for name in expected if name not in names]
    unknown = [name for name in names if name not in expected]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if missing or unknown or duplicated:
        problems = []
        if missing:
            problems.append(_("colonnes manquantes : %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("colonnes inconnues : %(names)s") % {"names": ", ".join(unknown)})
        if duplicated:
            problems.append(_("colonnes en double : %(names)s") % {"names": ", ".join(duplicated)})
        raise ImportFileError(
            _("Les colonnes du fichier ne correspondent pas (%(problems)s). Colonnes attendues : %(expected)s.")
            % {"problems": " ; ".join(problems), "expected": ", ".join(expected)}
        )
    clean = tablib.Dataset(headers=names)
    for row in dataset:
        clean.append([row[index] for index in kept])
    return clean
