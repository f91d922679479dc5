"""Staff writes: importing applications collected offline (a spreadsheet, e.g. a KoboToolbox export).

All or nothing: every row is checked first (by column), and the file is written in one transaction
only when no row has an error. Re-importing the same file creates nothing: an application that
already exists for the same e-mail and cohort is reported as an error on its row.

The check runs in the request; the import itself runs in a Celery worker (`application_import_request`
queues an `ApplicationImport`, `application_import_execute` runs it), in bulk."""

import datetime
import hashlib
import logging
from dataclasses import dataclass, field

import tablib
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from core.jobs import job_claim, job_connection_lost, job_enqueue, job_fail, job_finish, job_heartbeat, job_interrupted
from core.spreadsheets import ImportFileError
from core.storage import private_storage, upload_name_clean
from partners.models import Company, Entrepreneur, LegalForm, Region, age_band_of, turnover_band_of

from ..eligibility import failed_criteria, profile_of
from ..models import (
    Application,
    ApplicationImport,
    ApplicationSource,
    ApplicationStatus,
    ApplicationTransition,
    Cohort,
    ImportStatus,
)
from ..resources import ApplicationImportResource, _fold, read_spreadsheet

logger = logging.getLogger(__name__)

#: How many row errors the status page lists when the re-check of a queued import fails.
ERRORS_SHOWN = 20

#: Model field -> import column, to report a model validation error under the column it came from.
ENTREPRENEUR_COLUMNS = {
    "first_name": "prenom", "last_name": "nom", "email": "email", "gender": "genre", "age_band": "tranche_age",
    "education": "niveau_etudes", "country_of_residence": "pays_residence",
}  # fmt: skip
COMPANY_COLUMNS = {
    "name": "entreprise", "legal_form": "forme_juridique", "ninea": "ninea", "is_formal": "formelle",
    "sector": "secteur", "region": "region", "year_founded": "annee_creation", "turnover_band": "chiffre_affaires",
    "employees": "employes", "has_export_experience": "experience_export", "country": "region",
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
    #: Defaults applied to this row (field -> what was taken), reported by the check.
    defaults: dict[str, str] = field(default_factory=dict)


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

    @property
    def errors_by_cell(self) -> list[tuple[int, str, str]]:
        """(line, field's header in the reader's language, message) for every error."""
        labels = ApplicationImportResource.labels()
        return [(row.line, labels.get(name, name), message) for row in self.invalid_rows for name, message in row.errors.items()]

    @property
    def defaults_applied(self) -> list[str]:
        """One sentence per default the check applied, with how many rows it concerns."""
        counts: dict[str, int] = {}
        for row in self.rows:
            for sentence in row.defaults.values():
                counts[sentence] = counts.get(sentence, 0) + 1
        return [
            ngettext("%(sentence)s (%(count)s ligne)", "%(sentence)s (%(count)s lignes)", count)
            % {"sentence": sentence, "count": count}
            for sentence, count in counts.items()
        ]


def _entrepreneur_from(values: dict) -> Entrepreneur:
    return Entrepreneur(
        first_name=values["prenom"],
        last_name=values["nom"],
        email=values["email"],
        gender=values["genre"],
        age_band=values["tranche_age"],
        education=values["niveau_etudes"],
        country_of_residence=values["pays_residence"] or "",
    )


def _company_from(values: dict) -> Company:
    formal = values["formelle"]
    return Company(
        name=values["entreprise"],
        legal_form=values["forme_juridique"],
        ninea=values["ninea"],
        is_formal=formal if formal is not None else values["forme_juridique"] not in (LegalForm.INFORMAL, LegalForm.UNSPECIFIED),
        sector=values["secteur"],
        region=values.get("region_row"),
        country=values.get("company_country") or "",
        year_founded=values["annee_creation"] or 0,
        turnover_band=values["chiffre_affaires"],
        turnover_xof=values.get("chiffre_affaires_montant"),
        employees=values["employes"] or 0,
        has_export_experience=bool(values["experience_export"]),
    )


def _regions_by_name() -> dict[tuple[str, str], Region]:
    """Every region by (country code, folded name in French, in English, or internal code): one query."""
    table = {}
    for region in Region.objects.all():
        for name in (region.code, region.name_fr, region.name_en):
            if name:
                table[(region.country.code, _fold(name))] = region
    return table


def _place_row(row: "ImportRow", regions: dict[tuple[str, str], Region]) -> None:
    """Resolve the row's region among those of its programme's country, and where the person lives and
    the company is: by default the programme's country; a company with no region is abroad."""
    values = row.values
    origin = row.cohort.programme.origin_country
    values["pays_residence"] = values.get("pays_residence") or origin.code
    text = values.get("region") or ""
    values["region_row"] = regions.get((origin.code, _fold(text))) if text else None
    if text and values["region_row"] is None:
        row.errors.setdefault(
            "region", _("« %(value)s » n'est pas une région de : %(country)s.") % {"value": text, "country": origin.name}
        )
    values["company_country"] = origin.code if text else values["pays_residence"]
    if not text and values["company_country"] == origin.code and "region" not in row.errors:
        row.errors["region"] = _("Indiquez la région (l'entreprise est située : %(country)s).") % {"country": origin.name}


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


def _required_errors(row: ImportRow, *, cohort_chosen: bool) -> None:
    """An empty required value is an error on its cell (in a group, on the group's first field)."""
    values, resource = row.values, ApplicationImportResource
    required = str(forms.Field.default_error_messages["required"])
    for name in resource.REQUIRED:
        if values.get(name) in (None, ""):
            row.errors.setdefault(name, required)
    for group in resource.ONE_OF:
        if all(values.get(name) in (None, "") for name in group):
            labels = resource.labels()
            message = _("Indiquez : %(names)s.") % {"names": _(" ou ").join(labels[name] for name in group)}
            row.errors.setdefault(group[0], message)
    if not cohort_chosen:
        for name in resource.COHORT:
            if values.get(name) in (None, ""):
                row.errors.setdefault(name, required)


def _programmes_by_name(cohorts: list[Cohort]) -> dict[str, list[Cohort]]:
    """Cohorts by their programme's folded code and name."""
    table: dict[str, list[Cohort]] = {}
    for cohort in cohorts:
        programme = cohort.programme
        for name in {programme.code, programme.name} - {None, ""}:
            table.setdefault(_fold(name), []).append(cohort)
    return table


def _derive_values(row: ImportRow, *, default_day: datetime.date) -> None:
    """Stored values from what people keep: a band from an exact turnover, an age band from a year of
    birth (at the submission year), the defaults for a missing submission date and legal form."""
    values = row.values
    if values.get("date_soumission") is None and "date_soumission" not in row.errors:
        values["date_soumission"] = default_day
        row.defaults["date_soumission"] = _("date de dépôt absente : %(date)s retenu") % {
            "date": formats.date_format(default_day, "SHORT_DATE_FORMAT")
        }
    if not values.get("forme_juridique") and "forme_juridique" not in row.errors:
        values["forme_juridique"] = LegalForm.UNSPECIFIED
        row.defaults["forme_juridique"] = _("forme juridique absente : « %(label)s » retenue") % {
            "label": LegalForm.UNSPECIFIED.label
        }
    amount = values.get("chiffre_affaires_montant")
    if amount is not None:
        values["chiffre_affaires"] = turnover_band_of(amount)
        row.defaults["chiffre_affaires"] = _("tranche de chiffre d'affaires déduite du montant exact, qui est enregistré")
    born = values.get("annee_naissance")
    if born is not None and not values.get("tranche_age"):
        day = values.get("date_soumission") or default_day
        age = day.year - born
        if age < 15:
            row.errors.setdefault("annee_naissance", _("Né·e en %(year)s : moins de 15 ans au dépôt.") % {"year": born})
        else:
            values["tranche_age"] = age_band_of(age)
            row.defaults["tranche_age"] = _("tranche d'âge déduite de l'année de naissance, à la date de dépôt")


def _default_day(cohort: Cohort | None) -> datetime.date:
    """The submission date of a row that gives none: today, or the call's closing day once it is past."""
    today = timezone.localdate()
    if cohort is None:
        return today
    return min(today, timezone.localdate(cohort.call_closes_at))


def applications_import_check(*, dataset: tablib.Dataset, cohort: Cohort | None = None) -> ImportReport:
    """Check every row without writing anything: values by field, the cohort (the row's, else `cohort`
    chosen for the whole file), the model rules, duplicates inside the file and applications that already
    exist. Defaults and conversions (age band, turnover band) are applied and reported. A fixed number
    of queries."""
    resource = ApplicationImportResource()
    rows = []
    for line, raw in enumerate(dataset.dict, start=2):
        values, errors = resource.clean_row(dict(raw))
        row = ImportRow(line=line, values=values, errors=errors)
        _required_errors(row, cohort_chosen=cohort is not None)
        rows.append(row)

    all_cohorts = list(Cohort.objects.select_related("programme"))
    programmes = _programmes_by_name(all_cohorts)
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

    regions = _regions_by_name()
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        values = row.values
        if values.get("programme") and values.get("cohorte") is not None and "cohorte" not in row.errors:
            candidates = programmes.get(_fold(values["programme"]), [])
            row.cohort = next((found for found in candidates if found.number == values["cohorte"]), None)
            if row.cohort is None:
                row.errors["cohorte"] = _("Aucune cohorte n° %(number)s dans le programme « %(name)s ».") % {
                    "number": values["cohorte"],
                    "name": values["programme"],
                }
        elif not values.get("programme") and values.get("cohorte") is None and cohort is not None:
            row.cohort = cohort
        _derive_values(row, default_day=_default_day(row.cohort))
        if row.cohort is not None:
            _place_row(row, regions)
        date = values.get("date_soumission")
        if isinstance(date, datetime.date) and date > timezone.localdate():
            row.errors["date_soumission"] = _("La date de dépôt est dans le futur.")
        for column, message in _model_errors(_entrepreneur_from(values), ENTREPRENEUR_COLUMNS, ["user", "company"]).items():
            row.errors.setdefault(column, message)
        # The region was looked up among the regions read once above (`_place_row`): validating the
        # foreign key again would cost one query per row.
        excluded = ["incubator", "region"] if row.cohort is not None else ["incubator", "region", "country"]
        for column, message in _model_errors(_company_from(values), COMPANY_COLUMNS, excluded).items():
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
                row.errors.setdefault("email", _("Même e-mail et même cohorte que la ligne %(line)s.") % {"line": seen[key]})
            else:
                seen[key] = row.line
    return ImportReport(rows=rows, known_entrepreneurs=entrepreneurs, known_nineas=known_nineas)


def _submitted_at(day: datetime.date) -> datetime.datetime:
    # Noon, local time: the day stays the same in any time zone the programme works in.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@dataclass
class _Planned:
    """A valid row resolved to the entrepreneur and company it will be filed under (new or existing)."""

    row: ImportRow
    entrepreneur: Entrepreneur
    company: Company


@transaction.atomic
def applications_import(*, dataset: tablib.Dataset, by: User, cohort: Cohort | None = None) -> ImportReport:
    """Create the entrepreneurs (without account), companies and applications of the file, submit
    each application at its collection date and screen it on the cohort's criteria.

    Nothing is written when a row has an error (the report then lists them). Existing entrepreneurs
    (same e-mail, any case) and companies (same NINEA) are reused, not modified.

    The rows are written in bulk, a constant number of queries for the whole file, with what the
    one-by-one path (`application_transition` to submitted, then `application_screen`) leaves: the
    same statuses, dates, screening profile and failed criteria (the same `profile_of` and
    `failed_criteria`), two dated transitions, and three history rows per application (created as a
    draft, submitted, screened), attributed to the person who imported the file."""
    report = applications_import_check(dataset=dataset, cohort=cohort)
    if not report.is_valid:
        return report
    # The rows were validated above (model rules included, with the same values), so the instances
    # are saved without a second full_clean(): that would cost one query per foreign key and row.
    planned = _import_plan(report)
    new_companies = {id(item.company): item.company for item in planned if item.company.pk is None}
    Company.objects.bulk_create(list(new_companies.values()))
    for item in planned:
        item.entrepreneur.company = item.entrepreneur.company  # the company's new primary key
    new_entrepreneurs = {id(item.entrepreneur): item.entrepreneur for item in planned if item.entrepreneur.pk is None}
    Entrepreneur.objects.bulk_create(list(new_entrepreneurs.values()))
    report.created = _applications_screened_create(planned=planned, by=by)
    return report


def _import_plan(report: ImportReport) -> list[_Planned]:
    """Each row's entrepreneur and company: an existing one (same e-mail; same NINEA, or the
    entrepreneur's company of the same name) or a new, unsaved one shared by the rows that name it."""
    entrepreneurs: dict[str, Entrepreneur] = dict(report.known_entrepreneurs)
    companies: dict[str, Company] = {company.ninea: company for company in Company.objects.filter(ninea__in=report.known_nineas)}
    planned = []
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
        if values["ninea"]:
            companies[values["ninea"]] = company
        if entrepreneur is None:
            entrepreneur = _entrepreneur_from(values)
            entrepreneur.company = company
        entrepreneurs[email] = entrepreneur
        planned.append(_Planned(row=row, entrepreneur=entrepreneur, company=company))
    return planned


def _applications_screened_create(*, planned: list[_Planned], by: User) -> list[Application]:
    """The applications of the planned rows, submitted on their collection day and screened now, with
    their transitions and history, in four bulk inserts and one query per cohort for its criteria."""
    now = timezone.now()
    criteria = {
        cohort.pk: list(cohort.criteria.filter(is_active=True))
        for cohort in {item.row.cohort.pk: item.row.cohort for item in planned}.values()
    }
    applications, steps = [], []
    for item in planned:
        values, row = item.row.values, item.row
        submitted_at = _submitted_at(values["date_soumission"])
        application = Application(
            cohort=row.cohort,
            entrepreneur=item.entrepreneur,
            company=item.company,
            source=ApplicationSource.IMPORT,
            motivation=values["motivation"],
            partnership_sought=values["partenariat_recherche"],
            target_markets=values["marches_vises"][:250],
            gender_commitment=values["engagement_genre"],
            environmental_commitment=values["engagement_environnemental"],
            submitted_at=submitted_at,
        )
        profile = profile_of(
            entrepreneur=item.entrepreneur,
            company=item.company,
            on=submitted_at.date(),
            origin_country=row.cohort.programme.origin_country,
            environmental_commitment=application.environmental_commitment,
        )
        failed = failed_criteria(criteria[row.cohort.pk], profile)
        screened = ApplicationStatus.INELIGIBLE if failed else ApplicationStatus.ELIGIBLE
        note = _("Critères non remplis : %(labels)s") % {"labels": ", ".join(f["label"] for f in failed)} if failed else ""
        application.status, application.status_changed_at = screened, now
        application.is_eligible, application.eligibility_checked_at = not failed, now
        application.profile_snapshot, application.failed_criteria = profile, failed
        applications.append(application)
        steps.append((row.line, submitted_at, screened, note[:500]))
    Application.objects.bulk_create(applications)
    transitions, history = [], []
    Historical = Application.history.model
    fields = [f.attname for f in Application._meta.concrete_fields]
    for application, (line, submitted_at, screened, note) in zip(applications, steps, strict=True):
        submitted_note = _("Collecte hors ligne importée")
        transitions += [
            ApplicationTransition(
                application=application,
                from_status=ApplicationStatus.DRAFT,
                to_status=ApplicationStatus.SUBMITTED,
                at=submitted_at,
                by=by,
                note=submitted_note,
            ),
            ApplicationTransition(
                application=application, from_status=ApplicationStatus.SUBMITTED, to_status=screened, at=now, by=by, note=note
            ),
        ]
        final = {name: getattr(application, name) for name in fields}
        as_draft = {
            **final,
            "status": ApplicationStatus.DRAFT,
            "submitted_at": None,
            "is_eligible": None,
            "eligibility_checked_at": None,
            "profile_snapshot": {},
            "failed_criteria": [],
        }
        as_submitted = {
            **as_draft,
            "status": ApplicationStatus.SUBMITTED,
            "submitted_at": submitted_at,
            "status_changed_at": submitted_at,
        }
        for state, kind, reason in (
            (as_draft, "+", _("Import d'un fichier (ligne %(line)s)") % {"line": line}),
            (as_submitted, "~", submitted_note),
            (final, "~", note or f"{ApplicationStatus.SUBMITTED} → {screened}"),
        ):
            history.append(
                Historical(**state, history_date=now, history_type=kind, history_change_reason=reason, history_user=by)
            )
    ApplicationTransition.objects.bulk_create(transitions)
    Historical.objects.bulk_create(history)
    return applications


# --------------------------------------------------------------------------------------------------
# The import as a background job
# --------------------------------------------------------------------------------------------------


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def application_import_blocking(*, sha256: str) -> ApplicationImport | None:
    """The import of the same file that is queued, running or done, if any: it forbids a new one."""
    return (
        ApplicationImport.objects.filter(sha256=sha256, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.DONE])
        .order_by("-requested_at")
        .first()
    )


def _already_imported_error(existing: ApplicationImport) -> ValidationError:
    return ValidationError(
        _("Ce fichier a déjà été envoyé le %(date)s (import « %(status)s ») : il n'est pas importé une seconde fois.")
        % {
            "date": timezone.localtime(existing.requested_at).strftime("%d/%m/%Y %H:%M"),
            "status": existing.get_status_display(),
        },
        code="already_imported",
    )


def application_import_request(
    *,
    content: bytes,
    filename: str,
    row_count: int,
    by: User,
    column_mapping: dict | None = None,
    cohort: Cohort | None = None,
) -> ApplicationImport:
    """Keep a checked file in private storage and queue its import (run after the commit).

    Raises ValidationError when the same content is already queued, running or imported: checked
    first, and the database constraint settles two requests racing each other."""
    sha256 = file_sha256(content)
    existing = application_import_blocking(sha256=sha256)
    if existing is not None:
        raise _already_imported_error(existing)
    job = ApplicationImport(
        original_name=upload_name_clean(filename),
        sha256=sha256,
        row_count=row_count,
        requested_by=by,
        status=ImportStatus.QUEUED,
        column_mapping=column_mapping or {},
        cohort=cohort,
    )
    job.file.save(filename, ContentFile(content), save=False)
    try:
        job.full_clean(exclude=["file"], validate_constraints=False)
        with transaction.atomic():  # a savepoint: the constraint refusing the row leaves the request usable
            job.save()
    except IntegrityError:
        job.file.delete(save=False)
        existing = application_import_blocking(sha256=sha256)
        raise (
            _already_imported_error(existing)
            if existing is not None
            else ValidationError(_("Ce fichier vient d'être envoyé par ailleurs."), code="already_imported")
        ) from None
    except ValidationError:
        job.file.delete(save=False)
        raise

    job_enqueue(job=job)
    return job


class ImportRecheckFailed(Exception):
    """The rows no longer pass the check when the worker runs them (the database changed meanwhile)."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__("re-check failed")


def import_errors_summary(report: ImportReport) -> str:
    """The row and column errors of a report, one per line, for the status page."""
    if not report.rows:
        return _("Le fichier ne contient aucune ligne de candidature.")
    errors = [(row.line, column, message) for row in report.invalid_rows for column, message in row.errors.items()]
    lines = [
        ngettext(
            "Le fichier n'est plus valide (les données ont changé depuis la vérification) : %(count)s erreur, rien n'a été importé.",
            "Le fichier n'est plus valide (les données ont changé depuis la vérification) : %(count)s erreurs, rien n'a été importé.",
            len(errors),
        )
        % {"count": len(errors)}
    ]
    labels = ApplicationImportResource.labels()
    lines += [
        _("Ligne %(line)s, colonne « %(column)s » : %(message)s")
        % {"line": line, "column": labels.get(column, column), "message": message}
        for line, column, message in errors[:ERRORS_SHOWN]
    ]
    if len(errors) > ERRORS_SHOWN:
        more = len(errors) - ERRORS_SHOWN
        lines.append(ngettext("… et %(count)s autre erreur.", "… et %(count)s autres erreurs.", more) % {"count": more})
    return "\n".join(lines)


def application_import_execute(*, import_id: int) -> ApplicationImport | None:
    """Run a queued import: claim it, re-read and re-check the file, write every row in one
    transaction (all or nothing), then record done or failed with the reason.

    Safe to call twice (a redelivered task): the job framework's claim lets one call run it; a job whose
    worker died (no heartbeat for the stale bound; its transaction was rolled back with it) is claimed
    again. Raises JobBusy when another live worker holds it."""
    job = job_claim(model=ApplicationImport, pk=import_id)
    if job is None:
        return None
    by = job.requested_by
    language = by.preferred_language if by is not None else None
    with translation.override(language or translation.get_language()), job_heartbeat(job=job):
        try:
            with job.file.open("rb") as handle:  # slow I/O before the transaction
                content = handle.read()
            if file_sha256(content) != job.sha256:
                raise ImportFileError(_("Le fichier enregistré ne correspond plus à celui qui a été vérifié."))
            dataset = read_spreadsheet(
                content=content,
                filename=job.original_name,
                mapping=job.column_mapping or None,
                cohort_chosen=job.cohort_id is not None,
            )
            with transaction.atomic():
                report = applications_import(dataset=dataset, by=by, cohort=job.cohort)
                if not report.is_valid:
                    raise ImportRecheckFailed(report)
                if not job_finish(job=job, created_count=len(report.created), row_count=len(report.rows)):
                    raise JobLost()  # taken over meanwhile: roll this run's rows back
        except JobLost:
            logger.warning("Application import %s: taken over by a later attempt, this run rolled back", job.pk)
        except ImportRecheckFailed as failure:
            _import_failed(job, import_errors_summary(failure.report))
        except Exception as error:  # noqa: BLE001 - any failure is recorded for the user, nothing was written
            if job_connection_lost(error):  # not the file's fault: run again, the transaction was rolled back
                logger.warning("Application import %s: database connection lost (%s), run again", job.pk, error)
                job_interrupted(job=job)
            elif isinstance(error, ImportFileError):  # the file itself: its message is written for the user
                _import_failed(job, str(error))
            else:  # the trace to the log; the person reads a plain reason in their language
                logger.exception("Application import %s failed", job.pk)
                _import_failed(job, str(IMPORT_FAILED_REASON))
    job.refresh_from_db()
    return job


class JobLost(Exception):
    """This run no longer holds the job (a later attempt took it over)."""


#: What staff read when an import fails for a reason that is not in the file (the database refused a row,
#: the stored file is unreadable…): the technical text goes to the log, never to the page.
IMPORT_FAILED_REASON = gettext_lazy(
    "L'import a échoué : aucune candidature n'a été créée. Réessayez ou contactez l'équipe technique."
)


def _import_failed(job: ApplicationImport, error: str) -> None:
    job_fail(job=job, reason=error or _("Erreur inconnue."), created_count=0)


# --------------------------------------------------------------------------------------------------
# Files checked but never confirmed
# --------------------------------------------------------------------------------------------------

#: Where an uploaded file waits (private storage) between the check and the confirmation.
PENDING_IMPORT_DIR = "imports/pending"
#: How long an unconfirmed file is kept: the person had a day to confirm it.
PENDING_IMPORT_KEPT = datetime.timedelta(days=1)


def pending_import_files_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the uploaded files that were never confirmed and are older than PENDING_IMPORT_KEPT; the
    number deleted. Idempotent (a file already gone is skipped), so beat may run it twice. A confirmed
    file was moved to the import's own file, and an import's file is never under this folder."""
    storage = private_storage()
    limit = (now or timezone.now()) - PENDING_IMPORT_KEPT
    try:
        _folders, names = storage.listdir(PENDING_IMPORT_DIR)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{PENDING_IMPORT_DIR}/{name}"
        try:
            if storage.get_modified_time(path) < limit:
                storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # removed meanwhile (confirmed, or another run)
            continue
    if deleted:
        logger.info("Removed %s unconfirmed import file(s) older than %s", deleted, PENDING_IMPORT_KEPT)
    return deleted
