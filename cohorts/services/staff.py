"""Staff writes: importing applications collected offline (a spreadsheet, e.g. a KoboToolbox export).

All or nothing: every row is checked first (by column), and the file is written in one transaction
only when no row has an error. Re-importing the same file creates nothing: an application that
already exists for the same e-mail and cohort is reported as an error on its row."""

import datetime
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from partners.models import Company, Entrepreneur, LegalForm

from ..models import Application, ApplicationSource, ApplicationStatus, Cohort
from ..resources import ApplicationImportResource
from . import application_screen, application_transition

#: Model field -> import column, to report a model validation error under the column it came from.
ENTREPRENEUR_COLUMNS = {
    "first_name": "prenom", "last_name": "nom", "email": "email", "gender": "genre", "age_band": "tranche_age",
    "education": "niveau_etudes", "is_diaspora": "diaspora", "country_of_residence": "pays_residence",
}  # fmt: skip
COMPANY_COLUMNS = {
    "name": "entreprise", "legal_form": "forme_juridique", "ninea": "ninea", "is_formal": "formelle",
    "sector": "secteur", "region": "region", "year_founded": "annee_creation", "turnover_band": "chiffre_affaires",
    "employees": "employes", "has_export_experience": "experience_export", "country": "pays_residence",
}  # fmt: skip


@dataclass
class ImportRow:
    """One row of the file as it would be imported, with its errors by column."""

    line: int  # the line number in the spreadsheet (the header is line 1)
    values: dict
    errors: dict[str, str] = field(default_factory=dict)
    cohort: Cohort | None = None
    entrepreneur_exists: bool = False
    company_exists: bool = False


@dataclass
class ImportReport:
    rows: list[ImportRow]
    created: list[Application] = field(default_factory=list)
    #: What the check found already in the database: entrepreneurs by lower-cased e-mail, NINEAs.
    known_entrepreneurs: dict[str, Entrepreneur] = field(default_factory=dict)
    known_nineas: set[str] = field(default_factory=set)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return sum(len(row.errors) for row in self.rows)

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


def _entrepreneur_from(values: dict) -> Entrepreneur:
    return Entrepreneur(
        first_name=values["prenom"],
        last_name=values["nom"],
        email=values["email"],
        gender=values["genre"],
        age_band=values["tranche_age"],
        education=values["niveau_etudes"],
        is_diaspora=bool(values["diaspora"]),
        country_of_residence=(values["pays_residence"] or "SN").upper(),
    )


def _company_from(values: dict) -> Company:
    formal = values["formelle"]
    return Company(
        name=values["entreprise"],
        legal_form=values["forme_juridique"],
        ninea=values["ninea"],
        is_formal=formal if formal is not None else values["forme_juridique"] != LegalForm.INFORMAL,
        sector=values["secteur"],
        region=values["region"],
        year_founded=values["annee_creation"] or 0,
        turnover_band=values["chiffre_affaires"],
        employees=values["employes"] or 0,
        has_export_experience=bool(values["experience_export"]),
    )


def _model_errors(instance, columns: dict[str, str], exclude: list[str]) -> dict[str, str]:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return {
            columns.get(name, name): " ".join(messages)
            for name, messages in error.message_dict.items()
            if name in columns or name == "__all__"
        }
    return {}


def applications_import_check(*, dataset: tablib.Dataset) -> ImportReport:
    """Check every row without writing anything: values by column, the cohort, the model rules,
    duplicates inside the file and applications that already exist. A fixed number of queries."""
    resource = ApplicationImportResource()
    rows = []
    for line, raw in enumerate(dataset.dict, start=2):
        values, errors = resource.clean_row(dict(raw))
        rows.append(ImportRow(line=line, values=values, errors=errors))

    cohorts = {(cohort.programme.code.lower(), cohort.number): cohort for cohort in Cohort.objects.select_related("programme")}
    emails = {str(row.values.get("email") or "").lower() for row in rows} - {""}
    entrepreneurs = {
        entrepreneur.email_lower: entrepreneur
        for entrepreneur in Entrepreneur.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("company")
    }
    existing = set(
        Application.objects.annotate(email_lower=Lower("entrepreneur__email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", "cohort_id")
    )
    nineas = {row.values.get("ninea") for row in rows} - {"", None}
    known_nineas = set(Company.objects.filter(ninea__in=nineas).values_list("ninea", flat=True))

    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        values = row.values
        if values.get("programme") and values.get("cohorte") is not None and "cohorte" not in row.errors:
            row.cohort = cohorts.get((values["programme"].lower(), values["cohorte"]))
            if row.cohort is None:
                row.errors["cohorte"] = _("Aucune cohorte n° %(number)s dans le programme « %(code)s ».") % {
                    "number": values["cohorte"],
                    "code": values["programme"],
                }
        date = values.get("date_soumission")
        if isinstance(date, datetime.date) and date > timezone.localdate():
            row.errors["date_soumission"] = _("La date de dépôt est dans le futur.")
        for column, message in _model_errors(_entrepreneur_from(values), ENTREPRENEUR_COLUMNS, ["user", "company"]).items():
            row.errors.setdefault(column, message)
        for column, message in _model_errors(_company_from(values), COMPANY_COLUMNS, ["incubator"]).items():
            row.errors.setdefault(column, message)
        email = str(values.get("email") or "").lower()
        row.entrepreneur_exists = email in entrepreneurs
        row.company_exists = bool(values.get("ninea")) and values["ninea"] in known_nineas
        if row.cohort and email:
            key = (email, row.cohort.pk)
            if key in existing:
                row.errors.setdefault(
                    "email", _("Une candidature de %(email)s existe déjà pour cette cohorte.") % {"email": values["email"]}
                )
            elif key in seen:
                row.errors.setdefault(
                    "email", _("Même e-mail et même cohorte que la ligne %(line)s.") % {"line": seen[key]}
                )
            else:
                seen[key] = row.line
    return ImportReport(rows=rows, known_entrepreneurs=entrepreneurs, known_nineas=known_nineas)


def _submitted_at(day: datetime.date) -> datetime.datetime:
    # Noon, local time: the day stays the same in any time zone the programme works in.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@transaction.atomic
def applications_import(*, dataset: tablib.Dataset, by: User) -> ImportReport:
    """Create the entrepreneurs (without account), companies and applications of the file, submit
    each application at its collection date and screen it on the cohort's criteria.

    Nothing is written when a row has an error (the report then lists them). Existing entrepreneurs
    (same e-mail, any case) and companies (same NINEA) are reused, not modified."""
    report = applications_import_check(dataset=dataset)
    if not report.is_valid:
        return report
    # The rows were validated above (model rules included, with the same values), so the instances
    # are saved without a second full_clean(): that would cost one query per foreign key and row.
    entrepreneurs: dict[str, Entrepreneur] = dict(report.known_entrepreneurs)
    companies: dict[str, Company] = {
        company.ninea: company for company in Company.objects.filter(ninea__in=report.known_nineas)
    }
    for row in report.rows:
        values = row.values
        email = values["email"].lower()
        entrepreneur = entrepreneurs.get(email)
        company = companies.get(values["ninea"]) if values["ninea"] else None
        if company is None and entrepreneur is not None and entrepreneur.company_id:
            same_name = entrepreneur.company.name.strip().lower() == values["entreprise"].lower()
            company = entrepreneur.company if same_name else None
        if company is None:
            company = _company_from(values)
            company.save()
        if values["ninea"]:
            companies[values["ninea"]] = company
        if entrepreneur is None:
            entrepreneur = _entrepreneur_from(values)
            entrepreneur.company = company
            entrepreneur.save()
        entrepreneurs[email] = entrepreneur
        application = Application(
            cohort=row.cohort,
            entrepreneur=entrepreneur,
            company=company,
            status=ApplicationStatus.DRAFT,
            source=ApplicationSource.IMPORT,
            motivation=values["motivation"],
            partnership_sought=values["partenariat_recherche"],
        )
        application._change_reason = _("Import d'un fichier (ligne %(line)s)") % {"line": row.line}
        application.save()
        application_transition(
            application=application,
            to_status=ApplicationStatus.SUBMITTED,
            by=by,
            note=_("Collecte hors ligne importée"),
            at=_submitted_at(values["date_soumission"]),
        )
        application_screen(application=application, by=by)
        report.created.append(application)
    return report
