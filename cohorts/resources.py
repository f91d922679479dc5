"""Spreadsheet formats of applications (django-import-export): the export of the staff list, and the
columns of an offline collection (e.g. a KoboToolbox form) that staff import, with their cleaning.

Choices accept the code or the label in French or English ("Femme", "woman", "Woman"); dates accept
dd/mm/yyyy and ISO; booleans oui/non, yes/no, 1/0, vrai/faux."""

import csv
import datetime
import io
import math
import re
from dataclasses import dataclass

import tablib
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from import_export import fields, resources, widgets

from core.bilingual import plain_text_in
from core.spreadsheets import ImportFileError, spreadsheet_rows, text_fold, text_key
from partners.models import AgeBand, Education, Gender, LegalForm, Sector, TurnoverBand

from .models import Application, ApplicationSource, ApplicationStatus, EligibilityCriterion
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
        # The criteria's labels in the export's language (the other language marked), read once: a
        # criterion deleted since the screening keeps the label stored then.
        self._criteria = {
            criterion.pk: plain_text_in(criterion, "label")
            for criterion in EligibilityCriterion.objects.only("pk", "label_fr", "label_en")
        }
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
        return "; ".join(
            self._criteria.get(item.get("id")) or str(item.get("label", ""))
            for item in application.failed_criteria or []
            if isinstance(item, dict)
        )


# --------------------------------------------------------------------------------------------------
# Import of an offline collection
# --------------------------------------------------------------------------------------------------


# The reader and the folding are shared with the other imports (core.spreadsheets).
_fold, _key = text_fold, text_key


#: Spellings met in real lists (KoboToolbox exports, Excel files), by choice code. Compared with `_key`.
GENDER_SPELLINGS = {
    "woman": ["f", "w", "femme", "female", "feminin", "fille", "women", "femmes"],
    "man": ["m", "h", "homme", "male", "masculin", "men", "hommes"],
    "other": ["autre", "other", "nsp", "non precise"],
}
SECTOR_SPELLINGS = {
    "agrifood": ["agriculture", "agro", "agro alimentaire", "agroalimentaire", "agro industrie", "agribusiness",
                 "elevage", "peche", "transformation agroalimentaire", "agrifood", "food", "agri"],
    "water": ["eau", "assainissement", "water", "sanitation", "wash"],
    "creative": ["culture", "industries creatives", "creative industries", "icc", "arts", "artisanat", "crafts"],
    "digital": ["numerique", "tic", "tics", "it", "ict", "digital", "informatique", "tech", "technologie"],
    "energy": ["energie", "energy", "solaire", "energies renouvelables", "renewable energy"],
    "health": ["sante", "health", "medical"],
    "textile": ["textile", "mode", "fashion", "couture", "habillement"],
    "cosmetics": ["cosmetique", "cosmetiques", "cosmetics", "beaute", "beauty"],
    "construction": ["btp", "construction", "batiment", "building"],
    "logistics": ["transport", "logistique", "logistics"],
    "tourism": ["tourisme", "tourism", "hotellerie", "hospitality"],
    "education": ["education", "formation", "training", "enseignement"],
    "services": ["services", "conseil", "consulting", "services aux entreprises", "business services"],
    "other": ["autre", "autres", "other"],
}  # fmt: skip
EDUCATION_SPELLINGS = {
    "none": ["aucun", "aucun diplome", "sans", "none", "no diploma", "no degree"],
    "primary": ["primaire", "primary", "cep", "cfee", "ecole primaire"],
    "secondary": ["secondaire", "secondary", "college", "lycee", "bac", "baccalaureat", "bfem", "high school", "brevet"],
    "vocational": ["formation professionnelle", "professionnelle", "cap", "bep", "bts", "dut", "vocational",
                   "technical", "technique", "bac+2", "bac + 2"],
    "bachelor": ["licence", "bachelor", "bachelier", "bac+3", "bac + 3", "undergraduate", "degree"],
    "master": ["master", "maitrise", "bac+4", "bac + 4", "bac+5", "bac + 5", "mba", "dea", "dess", "ingenieur",
               "masters", "postgraduate"],
    "doctorate": ["doctorat", "phd", "ph d", "doctorate", "bac+8", "bac + 8"],
}  # fmt: skip
LEGAL_FORM_SPELLINGS = {
    "ei": ["ei", "individuelle", "sole proprietorship", "sole trader", "entreprise individuelle"],
    "sarl": ["sarl", "suarl", "llc", "ltd"],
    "sa": ["sa", "sas", "sasu", "plc"],
    "coop": ["cooperative", "coop", "scoops"],
    "informal": ["informelle", "informel", "informal", "non enregistree", "unregistered"],
    "unspecified": ["", "non precisee", "inconnue", "unknown", "not specified"],
}


class ChoiceWidget(widgets.Widget):
    """A choice given as its code, its label (French or English, or a part of a label such as "Licence"
    in "Licence / Bachelier"), or a common spelling; compared without case, accents or punctuation."""

    def __init__(self, choices, spellings: dict[str, list[str]] | None = None, **kwargs):
        self.choices = choices
        self.spellings = spellings or {}
        super().__init__(**kwargs)

    def lookup(self) -> dict[str, str]:
        table = {}
        for code, names in self.spellings.items():
            for name in names:
                table[_key(name)] = code
        for language in ("fr", "en"):
            with translation.override(language):
                for code, label in self.choices:
                    for part in str(label).split("/"):
                        table.setdefault(_key(part), code)
                    table[_key(label)] = code
        for code, _label in self.choices:
            table[_key(code)] = code
        table.pop("", None)
        return table

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        if not hasattr(self, "_lookup"):
            self._lookup = self.lookup()
        code = self._lookup.get(_key(value))
        if code is None:
            raise ValueError(
                _("« %(value)s » n'est pas une valeur possible (valeurs : %(labels)s).")
                % {"value": value, "labels": " ; ".join(str(label) for _code, label in self.choices)}
            )
        return code


class AmountWidget(widgets.Widget):
    """An amount in FCFA as people type it: "12 500 000", "12.500.000", "12,5 M", "12500000 FCFA"."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            text = _fold(value).replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            for unit in ("fcfa", "f.cfa", "xof", "cfa"):
                text = text.replace(unit, "")
            millions = re.search(r"(millions?|m)$", text) is not None
            text = re.sub(r"(millions?|m|f)$", "", text)
            if not millions and re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
                text = text.replace(".", "").replace(",", "")
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                raise ValueError(_("« %(value)s » n'est pas un montant en FCFA.") % {"value": value}) from None
            number *= 1_000_000 if millions else 1
        if not math.isfinite(number) or number < 0 or number > 10**15:
            raise ValueError(_("« %(value)s » n'est pas un montant en FCFA.") % {"value": value})
        return round(number)


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


def _column(name: str, widget: widgets.Widget, label, header) -> fields.Field:
    """One column of the import: `name` is internal (never shown); `header` is what the template writes
    (in the page's language; both languages' headers are recognised), `label` says what it holds."""
    column = fields.Field(attribute=name, column_name=name, widget=widget)
    column.label = label
    column.header = header
    return column


class ApplicationImportResource(resources.Resource):
    """The fields of an offline collection, in the template's order. Each is cleaned by its widget; the
    service `cohorts.services.staff.applications_import_check` checks the rows as a whole and writes them.
    Every field a criterion can read has a column (commitments and target markets included)."""

    prenom = _column("prenom", TextWidget(), gettext_lazy("prénom de l'entrepreneur·e"), gettext_lazy("Prénom"))
    nom = _column("nom", TextWidget(), gettext_lazy("nom de l'entrepreneur·e"), gettext_lazy("Nom de famille"))
    email = _column("email", TextWidget(), gettext_lazy("adresse e-mail"), gettext_lazy("E-mail"))
    genre = _column(
        "genre", ChoiceWidget(Gender.choices, GENDER_SPELLINGS), gettext_lazy("genre (F/M, Femme/Homme…)"), gettext_lazy("Genre")
    )
    annee_naissance = _column(
        "annee_naissance",
        WholeNumberWidget(1900, _this_year),
        gettext_lazy("année de naissance (donne la tranche d'âge)"),
        gettext_lazy("Année de naissance"),
    )
    tranche_age = _column(
        "tranche_age",
        ChoiceWidget(AgeBand.choices),
        gettext_lazy("tranche d'âge (si l'année de naissance n'est pas donnée)"),
        gettext_lazy("Tranche d'âge"),
    )
    niveau_etudes = _column(
        "niveau_etudes",
        ChoiceWidget(Education.choices, EDUCATION_SPELLINGS),
        gettext_lazy("niveau d'études (Licence, Master, BTS…)"),
        gettext_lazy("Niveau d'études"),
    )
    pays_residence = _column(
        "pays_residence",
        CountryWidget(),
        gettext_lazy("pays de résidence (pays du programme par défaut)"),
        gettext_lazy("Pays de résidence"),
    )
    entreprise = _column("entreprise", TextWidget(), gettext_lazy("raison sociale"), gettext_lazy("Entreprise"))
    forme_juridique = _column(
        "forme_juridique",
        ChoiceWidget(LegalForm.choices, LEGAL_FORM_SPELLINGS),
        gettext_lazy("forme juridique (« Non précisée » par défaut)"),
        gettext_lazy("Forme juridique"),
    )
    ninea = _column("ninea", TextWidget(), gettext_lazy("NINEA"), gettext_lazy("NINEA"))
    formelle = _column(
        "formelle", YesNoWidget(), gettext_lazy("entreprise formelle (oui/non)"), gettext_lazy("Entreprise formelle")
    )
    secteur = _column(
        "secteur", ChoiceWidget(Sector.choices, SECTOR_SPELLINGS), gettext_lazy("secteur d'activité"), gettext_lazy("Secteur")
    )
    # Checked against the regions of the programme's country once the row's cohort is known (service).
    region = _column(
        "region",
        TextWidget(),
        gettext_lazy("région du pays du programme (vide si l'entreprise est à l'étranger)"),
        gettext_lazy("Région"),
    )
    annee_creation = _column(
        "annee_creation",
        WholeNumberWidget(1900, _this_year),
        gettext_lazy("année de création"),
        gettext_lazy("Année de création"),
    )
    chiffre_affaires_montant = _column(
        "chiffre_affaires_montant",
        AmountWidget(),
        gettext_lazy("chiffre d'affaires annuel exact, en FCFA (donne la tranche)"),
        gettext_lazy("Chiffre d'affaires (FCFA)"),
    )
    chiffre_affaires = _column(
        "chiffre_affaires",
        ChoiceWidget(TurnoverBand.choices),
        gettext_lazy("tranche de chiffre d'affaires (si le montant exact n'est pas donné)"),
        gettext_lazy("Tranche de chiffre d'affaires"),
    )
    employes = _column("employes", WholeNumberWidget(0, 100000), gettext_lazy("nombre d'employé·es"), gettext_lazy("Employé·es"))
    experience_export = _column(
        "experience_export", YesNoWidget(), gettext_lazy("expérience à l'export (oui/non)"), gettext_lazy("Expérience à l'export")
    )
    marches_vises = _column("marches_vises", TextWidget(), gettext_lazy("marchés visés"), gettext_lazy("Marchés visés"))
    partenariat_recherche = _column(
        "partenariat_recherche", TextWidget(), gettext_lazy("partenariat recherché"), gettext_lazy("Partenariat recherché")
    )
    motivation = _column("motivation", TextWidget(), gettext_lazy("motivation"), gettext_lazy("Motivation"))
    engagement_genre = _column(
        "engagement_genre",
        TextWidget(),
        gettext_lazy("engagement en faveur de l'égalité femmes-hommes"),
        gettext_lazy("Engagement genre"),
    )
    engagement_environnemental = _column(
        "engagement_environnemental",
        TextWidget(),
        gettext_lazy("engagement environnemental"),
        gettext_lazy("Engagement environnemental"),
    )
    programme = _column(
        "programme",
        TextWidget(),
        gettext_lazy("programme (son nom ; vide pour la cohorte choisie à l'envoi)"),
        gettext_lazy("Programme"),
    )
    cohorte = _column(
        "cohorte",
        WholeNumberWidget(1, 1000),
        gettext_lazy("numéro de la cohorte (vide pour la cohorte choisie à l'envoi)"),
        gettext_lazy("Cohorte"),
    )
    date_soumission = _column(
        "date_soumission",
        DayWidget(),
        gettext_lazy("date de dépôt, jj/mm/aaaa (par défaut la date de l'import, ou la clôture de l'appel)"),
        gettext_lazy("Date de dépôt"),
    )

    #: Fields every row must give (a file without them goes to the column-mapping step).
    REQUIRED = ("prenom", "nom", "email", "genre", "niveau_etudes", "entreprise", "secteur", "annee_creation")
    #: Fields of which a row must give at least one.
    ONE_OF = (("annee_naissance", "tranche_age"), ("chiffre_affaires_montant", "chiffre_affaires"))
    #: Fields a row needs unless a cohort is chosen for the whole file.
    COHORT = ("programme", "cohorte")
    #: Other names met in real files, by field (compared with `_key`); KoboToolbox's submission time too.
    SPELLINGS = {
        "prenom": ["prenoms", "first name", "firstname", "given name"],
        "nom": ["nom de famille", "last name", "lastname", "surname", "family name"],
        "email": ["mail", "e mail", "courriel", "adresse e mail", "adresse email", "email address"],
        "genre": ["sexe", "sex", "gender"],
        "annee_naissance": ["annee naissance", "ne e en", "birth year", "year of birth"],
        "tranche_age": ["age", "classe d age", "age group"],
        "niveau_etudes": ["etudes", "diplome", "niveau d instruction", "education", "education level"],
        "entreprise": ["raison sociale", "nom de l entreprise", "company", "company name", "business name"],
        "annee_creation": ["annee de creation de l entreprise", "date de creation", "year founded", "founded"],
        "chiffre_affaires_montant": ["chiffre d affaires", "ca", "ca annuel", "turnover", "annual turnover", "revenue"],
        "employes": ["employes", "nombre d employes", "salaries", "effectif", "employees", "staff"],
        "date_soumission": ["submission time", "date de soumission", "submission date", "date"],
        "marches_vises": ["marches cibles", "target markets"],
    }

    @classmethod
    def columns(cls) -> list[fields.Field]:
        return list(cls().fields.values())

    @classmethod
    def column_names(cls) -> list[str]:
        return [column.column_name for column in cls.columns()]

    @classmethod
    def headers(cls, language: str) -> list[str]:
        """The template's header row in `language`."""
        with translation.override(language):
            return [str(column.header) for column in cls.columns()]

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Each field's header in the current language, to name it to people (never its internal name)."""
        return {column.column_name: str(column.header) for column in cls.columns()}

    @classmethod
    def header_lookup(cls) -> dict[str, str]:
        """Every header recognised without a mapping, by `_key`: the internal name, the template's
        headers and the descriptions in French and English, and the usual other names."""
        table = {}
        for name, spellings in cls.SPELLINGS.items():
            for spelling in spellings:
                table[_key(spelling)] = name
        for language in ("fr", "en"):
            with translation.override(language):
                for column in cls.columns():
                    table[_key(column.label)] = column.column_name
                    table[_key(column.header)] = column.column_name
        for column in cls.columns():
            table[_key(column.column_name)] = column.column_name
        return table

    def clean_row(self, row: dict) -> tuple[dict, dict[str, str]]:
        """The row's cleaned values by field (a field without a column is empty), and its errors by field
        (translated messages). Required values are checked by the service, which knows the defaults."""
        values, errors = {}, {}
        for name, column in self.fields.items():
            try:
                values[name] = column.widget.clean(row.get(name))
            except ValueError as error:
                values[name] = None
                errors[name] = str(error)
        return values, errors


@dataclass
class SourceTable:
    """A spreadsheet as uploaded: its header row and its rows, and the field each column goes to
    ("" for a column that is ignored), proposed from the headers or chosen by the user."""

    headers: list[str]
    rows: list[list]
    fields: list[str]

    @property
    def ignored(self) -> list[str]:
        """The columns that are not imported, by their header in the file."""
        return [header or "?" for header, name in zip(self.headers, self.fields, strict=True) if not name]

    def problems(self, *, cohort_chosen: bool) -> list[str]:
        """What keeps the file from being checked row by row, in the user's language: fields without a
        column, fields given twice. Empty when the mapping is usable."""
        labels = ApplicationImportResource.labels()
        mapped = [name for name in self.fields if name]
        missing = [labels[name] for name in ApplicationImportResource.REQUIRED if name not in mapped]
        for group in ApplicationImportResource.ONE_OF:
            if not any(name in mapped for name in group):
                missing.append(_(" ou ").join(labels[name] for name in group))
        if not cohort_chosen:
            missing += [labels[name] for name in ApplicationImportResource.COHORT if name not in mapped]
        doubled = sorted({labels[name] for name in mapped if mapped.count(name) > 1})
        problems = []
        if missing:
            problems.append(_("Aucune colonne pour : %(names)s.") % {"names": " ; ".join(missing)})
        if doubled:
            problems.append(_("Plusieurs colonnes pour : %(names)s.") % {"names": " ; ".join(doubled)})
        return problems

    def mapping(self) -> dict:
        """The mapping kept on the import (JSON)."""
        return {"headers": self.headers, "fields": self.fields}

    def dataset(self) -> tablib.Dataset:
        """The mapped columns only, headed by their field's internal name."""
        kept = [index for index, name in enumerate(self.fields) if name]
        dataset = tablib.Dataset(headers=[self.fields[index] for index in kept])
        for row in self.rows:
            dataset.append([row[index] if index < len(row) else "" for index in kept])
        return dataset


def columns_proposed(headers: list[str]) -> list[str]:
    """The field each header names, "" when none (KoboToolbox's own "_" columns, a "diaspora" column of
    the former template: diaspora is derived from the country of residence, and unknown columns)."""
    lookup = ApplicationImportResource.header_lookup()
    proposed, seen = [], set()
    for header in headers:
        name = lookup.get(_key(header or ""), "")
        if name in seen:  # the first column wins; the user can change it in the mapping step
            name = ""
        seen.add(name)
        proposed.append(name)
    return proposed


def spreadsheet_read(*, content: bytes, filename: str, mapping: dict | None = None) -> SourceTable:
    """Load an uploaded CSV or XLSX with its columns proposed (or taken from a kept `mapping`).

    Raises ImportFileError with a message for the user when the file cannot be used at all."""
    headers, rows = spreadsheet_rows(content=content, filename=filename)
    if mapping and mapping.get("headers") == headers:
        known = set(ApplicationImportResource.column_names())
        chosen = [name if name in known else "" for name in mapping.get("fields", [])]
        return SourceTable(headers=headers, rows=rows, fields=chosen)
    return SourceTable(headers=headers, rows=rows, fields=columns_proposed(headers))


def read_spreadsheet(
    *, content: bytes, filename: str, mapping: dict | None = None, cohort_chosen: bool = False
) -> tablib.Dataset:
    """The file's rows under their fields, for the check and the worker; raises ImportFileError when the
    file cannot be read or its columns do not give the required fields."""
    table = spreadsheet_read(content=content, filename=filename, mapping=mapping)
    problems = table.problems(cohort_chosen=cohort_chosen)
    if problems:
        raise ImportFileError(" ".join(problems))
    return table.dataset()


def import_template(*, language: str, file_format: str) -> tuple[bytes, str]:
    """The empty template to fill (CSV or XLSX), with its headers in `language`: (content, content type)."""
    headers = ApplicationImportResource.headers(language)
    if file_format == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "candidatures" if language == "fr" else "applications"
        sheet.append(headers)
        for index, header in enumerate(headers, start=1):
            sheet.cell(row=1, column=index).font = openpyxl.styles.Font(bold=True)
            sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(14, len(header) + 2)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";" if language == "fr" else ",").writerow(headers)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"


def column_mapping_rows(mapping: dict | None) -> list[tuple[str, str]]:
    """(column of the file, field's label or "" when ignored) of a kept column mapping, never its internal
    names: the import's status page and its admin page show it so."""
    mapping = mapping or {}
    labels = ApplicationImportResource.labels()
    headers, fields = mapping.get("headers") or [], mapping.get("fields") or []
    return [(header, labels.get(name, "")) for header, name in zip(headers, fields, strict=False)]
