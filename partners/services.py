"""Writes on the people and organisations of the programmes: the Belgian company directory (companies with
their enterprise number normalised, checked and unique; their contacts; the spreadsheet import, checked in
the request and written by a worker all or nothing, as a job of core.jobs) and the alumni's peer-mentor answer."""

import hashlib
import logging
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.jobs import (
    JobStatus,
    job_claim,
    job_connection_lost,
    job_enqueue,
    job_fail,
    job_finish,
    job_heartbeat,
    job_interrupted,
)
from core.spreadsheets import ImportFileError, text_fold
from core.storage import upload_name_clean

from . import imports
from .models import CompanyImport, CompanyLanguage, Entrepreneur, Organisation, OrganisationContact, OrganisationKind
from .validators import enterprise_number_display, enterprise_number_normalise, validate_enterprise_number

logger = logging.getLogger(__name__)

#: Fields of a Belgian company that staff edit (the directory form, the import).
COMPANY_FIELDS = (
    "name", "short_name", "enterprise_number", "city", "belgian_region", "sector", "relay_agency", "languages",
    "website", "email", "description",
)  # fmt: skip
CONTACT_FIELDS = ("full_name", "position", "email", "phone", "language")


def enterprise_number_holder(*, number: str, exclude_pk: int | None = None) -> Organisation | None:
    """The organisation already registered with this enterprise number (in any format), if any."""
    digits = enterprise_number_normalise(number)
    if not digits:
        return None
    return Organisation.objects.filter(enterprise_number=digits).exclude(pk=exclude_pk).only("pk", "name").first()


def enterprise_number_taken_message(*, number: str, holder: Organisation) -> str:
    return _("Le numéro d'entreprise %(number)s est déjà celui de « %(name)s » : cette entreprise est déjà dans l'annuaire.") % {
        "number": enterprise_number_display(enterprise_number_normalise(number)),
        "name": holder.name,
    }


def _company_errors(company: Organisation) -> dict[str, list[str]]:
    """The directory's rules beyond the model's: a known language list, a free enterprise number and name."""
    errors: dict[str, list[str]] = {}
    unknown = set(company.languages or []) - set(CompanyLanguage.values)
    if unknown:
        errors["languages"] = [_("Langue inconnue.")]
    holder = enterprise_number_holder(number=company.enterprise_number, exclude_pk=company.pk)
    if holder is not None:
        errors["enterprise_number"] = [enterprise_number_taken_message(number=company.enterprise_number, holder=holder)]
    same_name = Organisation.objects.filter(name__iexact=company.name.strip(), country="BE").exclude(pk=company.pk).first()
    if company.name.strip() and same_name is not None:
        errors["name"] = [_("« %(name)s » est déjà dans l'annuaire.") % {"name": same_name.name}]
    return errors


def _company_save(company: Organisation) -> Organisation:
    company.name = company.name.strip()
    company.enterprise_number = enterprise_number_normalise(company.enterprise_number)
    company.languages = [code for code in CompanyLanguage.values if code in (company.languages or [])] + [
        code for code in (company.languages or []) if code not in CompanyLanguage.values
    ]
    errors = _company_errors(company)
    try:
        company.full_clean(exclude=list(errors) or None)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():  # a savepoint: a number taken meanwhile leaves the request usable
            company.save()
    except IntegrityError:
        holder = enterprise_number_holder(number=company.enterprise_number, exclude_pk=company.pk)
        if holder is None:
            raise
        raise ValidationError(
            {"enterprise_number": enterprise_number_taken_message(number=company.enterprise_number, holder=holder)}
        ) from None
    return company


def belgian_company_create(
    *,
    name: str,
    enterprise_number: str,
    belgian_region: str,
    city: str = "",
    sector: str = "",
    relay_agency: Organisation | None = None,
    languages: list[str] | None = None,
    short_name: str = "",
    website: str = "",
    email: str = "",
    description: str = "",
) -> Organisation:
    """A new Belgian company of the directory. Raises ValidationError (by field) on a wrong enterprise
    number, one already registered (naming the company that holds it), or a name already listed."""
    company = Organisation(
        kind=OrganisationKind.BELGIAN_COMPANY,
        country="BE",
        name=name,
        short_name=short_name,
        enterprise_number=enterprise_number,
        belgian_region=belgian_region,
        city=city.strip(),
        sector=sector,
        relay_agency=relay_agency,
        languages=list(languages or []),
        website=website,
        email=email,
        description=description,
    )
    if not enterprise_number_normalise(enterprise_number):
        raise ValidationError({"enterprise_number": _("Indiquez le numéro d'entreprise (BCE/KBO).")})
    return _company_save(company)


def belgian_company_update(*, company: Organisation, **changes) -> Organisation:
    """Change the directory fields of a Belgian company (only those of COMPANY_FIELDS)."""
    unknown = set(changes) - set(COMPANY_FIELDS)
    if unknown:
        raise TypeError(f"belgian_company_update: unknown fields {sorted(unknown)}")
    for name, value in changes.items():
        setattr(company, name, value)
    return _company_save(company)


def _contact_save(contact: OrganisationContact) -> OrganisationContact:
    contact.full_name, contact.email = contact.full_name.strip(), contact.email.strip()
    errors: dict[str, list[str]] = {}
    same = (
        OrganisationContact.objects.filter(organisation_id=contact.organisation_id, email__iexact=contact.email)
        .exclude(pk=contact.pk)
        .first()
    )
    if contact.email and same is not None:
        errors["email"] = [_("%(name)s a déjà cette adresse dans cette entreprise.") % {"name": same.full_name}]
    try:
        contact.full_clean(exclude=list(errors) or None)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    contact.save()
    return contact


def organisation_contact_add(
    *, organisation: Organisation, full_name: str, email: str, position: str = "", phone: str = "", language: str = "fr"
) -> OrganisationContact:
    """A new contact (the addressee of invitations) at an organisation; one per e-mail address."""
    return _contact_save(
        OrganisationContact(
            organisation=organisation, full_name=full_name, email=email, position=position, phone=phone, language=language
        )
    )


def organisation_contact_update(*, contact: OrganisationContact, **changes) -> OrganisationContact:
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"organisation_contact_update: unknown fields {sorted(unknown)}")
    for name, value in changes.items():
        setattr(contact, name, value)
    return _contact_save(contact)


def organisation_contact_remove(*, contact: OrganisationContact) -> None:
    """Remove a contact; invitations already sent to them keep their e-mail address (the link is kept)."""
    contact.delete()


# --------------------------------------------------------------------------------------------------
# Spreadsheet import: the check in the request, the import (all or nothing) in a worker
# --------------------------------------------------------------------------------------------------

#: How many row errors the status page lists when the re-check of a queued import fails.
ERRORS_SHOWN = 20
#: Model field -> import column, to report a model validation error under the column it came from.
COMPANY_COLUMNS = {
    "name": "name", "enterprise_number": "enterprise_number", "belgian_region": "region", "city": "city", "sector": "sector",
    "relay_agency": "relay_agency", "languages": "languages", "website": "website", "email": "email",
}  # fmt: skip
CONTACT_MODEL_COLUMNS = {
    "full_name": "contact_name", "email": "contact_email", "position": "contact_position", "phone": "contact_phone",
    "language": "contact_language",
}  # fmt: skip


@dataclass
class CompanyImportRow:
    """One row of the file as it would be imported, with its errors by column."""

    line: int  # the line number in the spreadsheet (the header is line 1)
    raw: dict
    company: Organisation
    contact: OrganisationContact | None = None
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class CompanyImportReport:
    rows: list[CompanyImportRow]
    ignored: list[str] = field(default_factory=list)
    created: list[Organisation] = field(default_factory=list)
    contacts_created: int = 0

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def invalid_rows(self) -> list[CompanyImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def contact_count(self) -> int:
        return sum(1 for row in self.rows if row.contact is not None)

    @property
    def errors_by_cell(self) -> list[tuple[int, str, str]]:
        """(line, column's header in the reader's language, message) for every error."""
        names = imports.labels()
        return [
            (row.line, names.get(column, column), message) for row in self.invalid_rows for column, message in row.errors.items()
        ]


def _model_errors(instance, columns: dict[str, str], exclude: list[str]) -> dict[str, str]:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return {columns.get(name, name): " ".join(messages) for name, messages in error.message_dict.items() if name in columns}
    return {}


def _row_read(line: int, raw: dict, reader: imports.CellReader) -> CompanyImportRow:
    errors: dict[str, str] = {}

    def cell(column: str, read=imports.CellReader.text):
        try:
            return read(raw.get(column))
        except ValueError as error:
            errors[column] = str(error)
            return None

    number = imports.CellReader.text(raw.get("enterprise_number"))
    company = Organisation(
        kind=OrganisationKind.BELGIAN_COMPANY,
        country="BE",
        name=cell("name") or "",
        enterprise_number=enterprise_number_normalise(number),
        belgian_region=cell("region", reader.region) or "",
        city=cell("city") or "",
        sector=cell("sector", reader.sector) or "",
        relay_agency=cell("relay_agency", reader.relay_agency),
        languages=cell("languages", reader.language_list) or [],
        website=cell("website", reader.website) or "",
        email=cell("email") or "",
    )
    required = str(forms.Field.default_error_messages["required"])
    for column in ("name", "enterprise_number", "region"):
        if not imports.CellReader.text(raw.get(column)):
            errors.setdefault(column, required)
    if number:
        try:
            validate_enterprise_number(number)
        except ValidationError as error:
            errors["enterprise_number"] = " ".join(error.messages)
    for column, message in _model_errors(company, COMPANY_COLUMNS, ["relay_agency", "region"]).items():
        errors.setdefault(column, message)
    contact = None
    if any(imports.CellReader.text(raw.get(column)) for column in imports.CONTACT_COLUMNS):
        contact = OrganisationContact(
            full_name=cell("contact_name") or "",
            email=cell("contact_email") or "",
            position=cell("contact_position") or "",
            phone=cell("contact_phone") or "",
            language=cell("contact_language", reader.contact_language) or "fr",
        )
        for column in ("contact_name", "contact_email"):
            if not imports.CellReader.text(raw.get(column)):
                errors.setdefault(column, required)
        for column, message in _model_errors(contact, CONTACT_MODEL_COLUMNS, ["organisation"]).items():
            errors.setdefault(column, message)
    return CompanyImportRow(line=line, raw=raw, company=company, contact=contact, errors=errors)


def belgian_companies_import_check(*, source: imports.SourceFile) -> CompanyImportReport:
    """Check every row without writing anything: cells (labels in French or English, relay agency by
    name), the enterprise number's check digits, the model rules, and duplicates inside the file and with
    the directory (enterprise number, name). Three queries whatever the number of rows."""
    reader = imports.CellReader(list(Organisation.objects.relay_agencies().order_by("name")))
    rows = [_row_read(line, raw, reader) for line, raw in enumerate(source.rows, start=2)]
    numbers = {row.company.enterprise_number for row in rows} - {""}
    holders = {
        org.enterprise_number: org
        for org in Organisation.objects.filter(enterprise_number__in=numbers).only("pk", "name", "enterprise_number")
    }
    names = {text_fold(name): name for name in Organisation.objects.filter(country="BE").values_list("name", flat=True)}
    seen_numbers: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for row in rows:
        number, name = row.company.enterprise_number, text_fold(row.company.name)
        if number and "enterprise_number" not in row.errors:
            if number in holders:
                row.errors["enterprise_number"] = enterprise_number_taken_message(number=number, holder=holders[number])
            elif number in seen_numbers:
                row.errors["enterprise_number"] = _("Même numéro d'entreprise que la ligne %(line)s.") % {
                    "line": seen_numbers[number]
                }
            else:
                seen_numbers[number] = row.line
        if name and "name" not in row.errors:
            if name in names:
                row.errors["name"] = _("« %(name)s » est déjà dans l'annuaire.") % {"name": names[name]}
            elif name in seen_names:
                row.errors["name"] = _("Même nom que la ligne %(line)s.") % {"line": seen_names[name]}
            else:
                seen_names[name] = row.line
    return CompanyImportReport(rows=rows, ignored=source.ignored)


@transaction.atomic
def belgian_companies_import(*, source: imports.SourceFile) -> CompanyImportReport:
    """Create the companies of the file and their contacts. Nothing is written when a row has an error
    (the report then lists them)."""
    report = belgian_companies_import_check(source=source)
    if not report.is_valid:
        return report
    # Every row passed the model rules above with the same values; the constraints guard the rest.
    for row in report.rows:
        row.company.save()
        report.created.append(row.company)
        if row.contact is not None:
            row.contact.organisation = row.company
            row.contact.save()
            report.contacts_created += 1
    return report


def company_import_blocking(*, sha256: str) -> CompanyImport | None:
    """The import of the same file that is queued, running or done, if any: it forbids a new one."""
    return (
        CompanyImport.objects.filter(sha256=sha256, status__in=[JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE])
        .order_by("-requested_at")
        .first()
    )


def _already_imported_error(existing: CompanyImport) -> ValidationError:
    return ValidationError(
        _("Ce fichier a déjà été envoyé le %(date)s (import « %(status)s ») : il n'est pas importé une seconde fois.")
        % {
            "date": timezone.localtime(existing.requested_at).strftime("%d/%m/%Y %H:%M"),
            "status": existing.get_status_display(),
        },
        code="already_imported",
    )


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def company_import_request(*, content: bytes, filename: str, row_count: int, by) -> CompanyImport:
    """Keep a checked file in private storage and queue its import (handed over after the commit).
    Raises ValidationError when the same content is already queued, running or imported."""
    sha256 = file_sha256(content)
    existing = company_import_blocking(sha256=sha256)
    if existing is not None:
        raise _already_imported_error(existing)
    job = CompanyImport(
        original_name=upload_name_clean(filename), sha256=sha256, row_count=row_count, requested_by=by, status=JobStatus.QUEUED
    )
    job.file.save(filename, ContentFile(content), save=False)
    try:
        job.full_clean(exclude=["file"], validate_constraints=False)
        with transaction.atomic():  # a savepoint: the constraint refusing the row leaves the request usable
            job.save()
    except IntegrityError:
        job.file.delete(save=False)
        existing = company_import_blocking(sha256=sha256)
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


def company_import_errors_summary(report: CompanyImportReport) -> str:
    if not report.rows:
        return _("Le fichier ne contient aucune ligne.")
    errors = report.errors_by_cell
    lines = [
        ngettext(
            "Le fichier n'est plus valide (l'annuaire a changé depuis la vérification) : %(count)s erreur, rien n'a été importé.",
            "Le fichier n'est plus valide (l'annuaire a changé depuis la vérification) : %(count)s erreurs, rien n'a été importé.",
            len(errors),
        )
        % {"count": len(errors)}
    ]
    lines += [
        _("Ligne %(line)s, colonne « %(column)s » : %(message)s") % {"line": line, "column": column, "message": message}
        for line, column, message in errors[:ERRORS_SHOWN]
    ]
    if len(errors) > ERRORS_SHOWN:
        more = len(errors) - ERRORS_SHOWN
        lines.append(ngettext("… et %(count)s autre erreur.", "… et %(count)s autres erreurs.", more) % {"count": more})
    return "\n".join(lines)


#: What staff read when an import fails for a reason that is not in the file (the database refused a row,
#: the storage failed…): the technical text goes to the log, never to the page.
IMPORT_FAILED_REASON = gettext_lazy(
    "L'import a échoué : aucune entreprise n'a été créée. Réessayez ou contactez l'équipe technique."
)


class _RecheckFailed(Exception):
    def __init__(self, report: CompanyImportReport):
        super().__init__("re-check failed")
        self.report = report


class _JobLost(Exception):
    """This run no longer holds the job (a later attempt took it over)."""


def company_import_execute(*, import_id: int) -> CompanyImport | None:
    """Run a queued import: claim it, re-read and re-check the file, write every row in one transaction
    (all or nothing), then record done or failed with the reason. Safe to call twice: the job framework's
    claim lets one call run it. Raises JobBusy when another live worker holds it."""
    job = job_claim(model=CompanyImport, pk=import_id)
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
            source = imports.companies_file_read(content=content, filename=job.original_name)
            with transaction.atomic():
                report = belgian_companies_import(source=source)
                if not report.is_valid:
                    raise _RecheckFailed(report)
                finished = job_finish(
                    job=job, created_count=len(report.created), contact_count=report.contacts_created, row_count=len(report.rows)
                )
                if not finished:
                    raise _JobLost()  # taken over meanwhile: roll this run's rows back
        except _JobLost:
            logger.warning("Company import %s: taken over by a later attempt, this run rolled back", job.pk)
        except _RecheckFailed as failure:
            job_fail(job=job, reason=company_import_errors_summary(failure.report), created_count=0, contact_count=0)
        except ImportFileError as error:  # the file itself: its message is written for the user
            job_fail(job=job, reason=str(error), created_count=0, contact_count=0)
        except Exception as error:  # noqa: BLE001 - any other failure: logged for the team, a plain reason for the user
            if job_connection_lost(error):  # not the file's fault: run again, the transaction was rolled back
                logger.warning("Company import %s: database connection lost (%s), run again", job.pk, error)
                job_interrupted(job=job)
            else:
                logger.exception("Company import %s failed", job.pk)
                job_fail(job=job, reason=str(IMPORT_FAILED_REASON), created_count=0, contact_count=0)
    job.refresh_from_db()
    return job


def entrepreneur_peer_mentor_update(*, entrepreneur: Entrepreneur, available: bool, topics: str) -> Entrepreneur:
    """The entrepreneur says whether, as an alumnus, they may be asked to mentor later cohorts, and on what."""
    entrepreneur.peer_mentor_available = available
    entrepreneur.peer_mentor_topics = topics.strip()
    fields = ("peer_mentor_available", "peer_mentor_topics")
    # Only the two fields written here: a profile imported with an odd phone number must not block them.
    entrepreneur.full_clean(exclude=[f.name for f in Entrepreneur._meta.fields if f.name not in fields], validate_unique=False)
    entrepreneur.save(update_fields=fields)
    return entrepreneur
