"""Writes of the application wizard: start a draft once per cohort, save each step, add and remove
documents checked by their content, and submit exactly once before the deadline."""

import hashlib
import io
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.emails import email_queue
from accounts.models import User
from core.storage import stored_row_delete, stored_row_save, upload_name_clean
from partners.models import Company, Entrepreneur

from ..models import Application, ApplicationDocument, ApplicationStatus, Cohort
from ..selectors_apply import LAST_STEP, application_missing_fields
from . import application_screen, application_transition

MAX_DOCUMENT_SIZE = 10 * 1024 * 1024

#: The first bytes of each accepted kind of file; the name and the browser's content type are never trusted.
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

ENTREPRENEUR_FIELDS = ("gender", "age_band", "education", "country_of_residence", "phone")
COMPANY_FIELDS = (
    "name",
    "legal_form",
    "ninea",
    "rccm",
    "is_formal",
    "sector",
    "country",
    "region",
    "city",
    "year_founded",
    "turnover_band",
    "employees",
    "has_export_experience",
    "description",
)
APPLICATION_FIELDS = {
    3: ("partnership_types", "partnership_sought", "target_markets", "motivation"),
    4: ("gender_commitment", "environmental_commitment"),
}


class ApplicationIncomplete(ValidationError):
    """Submission refused: `missing` lists, per step number, what is still to be filled."""

    def __init__(self, missing: dict[int, list[str]]):
        self.missing = missing
        super().__init__(_("Votre candidature est incomplète."), code="incomplete")


def document_content_type(file: IO[bytes]) -> str | None:
    """The content type read from the file's first bytes (PDF, JPEG or PNG), else None.
    Images must also decode, so that a PNG header glued on something else is refused."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    content_type = next((kind for magic, kind in MAGIC_NUMBERS if head.startswith(magic)), None)
    if content_type and content_type.startswith("image/"):
        from PIL import Image

        try:
            with Image.open(file) as image:
                image.verify()
        except Exception:  # noqa: BLE001 - any decoding error means "not a usable image"
            content_type = None
        finally:
            file.seek(0)
    return content_type


#: PDF names that make a document act when opened: scripts, automatic actions, programs, attached files.
ACTIVE_PDF_NAMES = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/OpenAction",
        "/Launch",
        "/AA",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/SubmitForm",
        "/ImportData",
    }
)


def pdf_problem(file: IO[bytes]) -> str | None:
    """Why a PDF may not be shown in a browser (it does not parse, or it carries scripts, automatic
    actions or attached files), else None. Every object reachable from the trailer is inspected."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            return _("Les PDF protégés par un mot de passe ne sont pas acceptés.")
        if len(reader.pages) < 1:
            raise ValueError("no page")
        stack, seen = [reader.trailer], set()
        while stack:
            node = stack.pop()
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key in seen:
                    continue
                seen.add(key)
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                if ACTIVE_PDF_NAMES.intersection(str(name) for name in node.keys()) or node.get("/S") in (
                    "/JavaScript",
                    "/Launch",
                ):
                    return _(
                        "Ce PDF contient du JavaScript, des actions automatiques ou des fichiers joints : enregistrez-le à nouveau en PDF simple (« Imprimer en PDF ») puis déposez-le."
                    )
                stack.extend(node.values())
            elif isinstance(node, ArrayObject):
                stack.extend(node)
    except Exception:  # noqa: BLE001 - anything pypdf cannot read is "not a PDF"
        return _(
            "Ce fichier commence comme un PDF mais n'en est pas un lisible : enregistrez-le à nouveau en PDF puis déposez-le."
        )
    finally:
        file.seek(0)
    return None


def image_reencoded(file: IO[bytes], content_type: str) -> ContentFile:
    """The picture decoded and encoded again, so that nothing hidden before or after it is stored."""
    from PIL import Image

    file.seek(0)
    buffer = io.BytesIO()
    with Image.open(file) as image:
        image.load()
        if content_type == "image/jpeg":
            image = image.convert("RGB") if image.mode not in ("RGB", "L", "CMYK") else image
            image.save(buffer, format="JPEG", quality=90)
        else:
            image.save(buffer, format="PNG")
    file.seek(0)
    return ContentFile(buffer.getvalue())


def _ensure_editable(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError(_("Cette candidature a déjà été soumise : elle ne peut plus être modifiée."), code="submitted")
    if timezone.now() >= application.cohort.call_closes_at:
        raise ValidationError(_("L'appel est clos : la candidature ne peut plus être modifiée."), code="closed")


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort", "entrepreneur", "company")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_start(*, cohort: Cohort, user: User) -> tuple[Application, bool]:
    """The user's application to `cohort`: created as a draft the first time, returned as is afterwards
    (the unique entrepreneur+cohort constraint makes a second "start" resume the first). Returns
    (application, created). The Entrepreneur row is created for the account when it has none yet."""
    entrepreneur = _entrepreneur_for(user)
    existing = Application.objects.filter(entrepreneur=entrepreneur, cohort=cohort).first()
    if existing is not None:
        return existing, False
    if not cohort.is_open:
        raise ValidationError(_("Cet appel n'est pas ouvert aux candidatures."), code="closed")
    application, created = Application.objects.get_or_create(
        entrepreneur=entrepreneur,
        cohort=cohort,
        defaults={"company": entrepreneur.company, "language": user.preferred_language, "current_step": 1},
    )
    return application, created


def _entrepreneur_for(user: User) -> Entrepreneur:
    """The account's Entrepreneur: the linked one, else an offline-collected one with the same (verified)
    e-mail and no account yet, else a new one whose profile the first step fills."""
    entrepreneur = Entrepreneur.objects.select_for_update().filter(user=user).first()
    if entrepreneur is not None:
        return entrepreneur
    entrepreneur = Entrepreneur.objects.select_for_update().filter(email__iexact=user.email).first()
    if entrepreneur is not None:
        if entrepreneur.user_id is not None:
            raise ValidationError(
                _("Un autre compte est déjà rattaché à ce profil d'entrepreneur·e. Contactez l'équipe du programme."),
                code="entrepreneur_taken",
            )
        entrepreneur.user = user
        entrepreneur.save(update_fields=["user"])
        return entrepreneur
    entrepreneur = Entrepreneur(user=user, first_name=user.first_name, last_name=user.last_name, email=user.email)
    # The profile (gender, age band, education) is asked at step 1; the submission checks it is there.
    entrepreneur.full_clean(exclude=["gender", "age_band", "education", "company"])
    entrepreneur.save()
    return entrepreneur


def _company_to_edit(*, base: Company | None, application: Application) -> tuple[Company, Company | None]:
    """The Company row that step 2 of a draft writes to, and the row it was copied from (else None).

    A Company row is shared: the founder's, and every application started from it. An application that
    left the draft stage (submitted, reviewed, selected, travelled…) must keep the answers it was judged
    on, since the cohort's figures are computed from them. So when `base` is used by another application
    that is not a draft, it is left unchanged ("frozen") and the new answers go to a copy of it. Drafts
    keep sharing the founder's current row: they have not been judged yet.

    The copy keeps the NINEA too (it identifies the legal entity; several rows of one founder may share
    it), and becomes the founder's current company."""
    if base is None:
        return Company(), None
    frozen = Application.objects.filter(company=base).exclude(pk=application.pk).exclude(status=ApplicationStatus.DRAFT).exists()
    if not frozen:
        return base, None
    copy = Company.objects.get(pk=base.pk)
    copy.pk = None
    copy._state.adding = True
    return copy, base


def _company_place_clean(company: Company, *, origin_country) -> None:
    """A company in the programme's country is in one of its regions; a company abroad has no region."""
    if str(company.country) != str(origin_country):
        company.region = None
    elif company.region is None or str(company.region.country) != str(origin_country):
        raise ValidationError(
            {"region": _("Choisissez une région de : %(country)s.") % {"country": origin_country.name}}, code="region"
        )


@transaction.atomic
def application_save_step(*, application: Application, step: int, data: dict, by: User) -> Application:
    """Save one step of the wizard on the draft (answers of steps 1 to 4; documents have their own
    functions) and move the resume point forward. Refused once submitted or after the deadline."""
    locked = _lock(application)
    _ensure_editable(locked)
    if step == 1:
        entrepreneur = locked.entrepreneur
        for name in ENTREPRENEUR_FIELDS:
            if name in data:
                setattr(entrepreneur, name, data[name])
        entrepreneur.first_name = by.first_name or entrepreneur.first_name
        entrepreneur.last_name = by.last_name or entrepreneur.last_name
        entrepreneur.full_clean(exclude=["company"])
        entrepreneur.save()
    elif step == 2:
        # The founder's row is locked so that two drafts of the same person saving step 2 at once are
        # serialised (both could otherwise copy the same company).
        entrepreneur = Entrepreneur.objects.select_for_update().get(pk=locked.entrepreneur_id)
        base = entrepreneur.company or locked.company
        company, _frozen = _company_to_edit(base=base, application=locked)
        for name in COMPANY_FIELDS:
            if name in data:
                setattr(company, name, data[name])
        _company_place_clean(company, origin_country=locked.cohort.programme.origin_country)
        company.full_clean()
        company.save()
        locked.company = company
        if entrepreneur.company_id != company.pk:
            entrepreneur.company = company
            entrepreneur.save(update_fields=["company"])
        locked.entrepreneur = entrepreneur
    elif step in APPLICATION_FIELDS:
        for name in APPLICATION_FIELDS[step]:
            if name in data:
                setattr(locked, name, data[name])
    elif not 1 <= step <= LAST_STEP:
        raise ValidationError(_("Étape inconnue."), code="unknown_step")
    locked.current_step = max(locked.current_step, min(step + 1, LAST_STEP))
    locked.full_clean(exclude=["entrepreneur", "cohort", "company"])
    locked.save()
    return locked


def upload_checked(upload: UploadedFile) -> tuple[IO[bytes], str]:
    """The one rule for a private document uploaded anywhere (applications, visa files, partnerships): not
    empty, at most MAX_DOCUMENT_SIZE, a PDF without active content or a picture, judged by its content (never
    by its name or the browser's type). Returns what to store (pictures re-encoded) and its content type."""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    if upload.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(_("Le fichier dépasse 10 Mo."), code="too_large")
    content_type = document_content_type(upload)
    if content_type is None:
        raise ValidationError(_("Seuls les fichiers PDF, JPEG ou PNG sont acceptés."), code="file_type")
    if content_type == "application/pdf":
        problem = pdf_problem(upload)
        if problem:
            raise ValidationError(problem, code="unsafe_pdf")
        return upload, content_type
    return image_reencoded(upload, content_type), content_type


def document_checked(upload: UploadedFile) -> tuple[str, IO[bytes], str]:
    """`upload_checked`, with the SHA-256 of what is stored: the sniffed content type, what to store and
    its digest; a ValidationError says what is wrong."""
    stored, content_type = upload_checked(upload)
    digest = hashlib.sha256()
    for chunk in stored.chunks():
        digest.update(chunk)
    stored.seek(0)
    return content_type, stored, digest.hexdigest()


@transaction.atomic
def application_document_add(*, application: Application, kind: str, upload: UploadedFile, by: User) -> ApplicationDocument:
    """Store one document of a draft in the private storage under a random name, with its sniffed
    content type, size and SHA-256. Only PDF, JPEG and PNG of at most 10 MB are accepted."""
    locked = _lock(application)
    _ensure_editable(locked)
    content_type, stored, sha256 = document_checked(upload)
    document = ApplicationDocument(
        application=locked,
        kind=kind,
        original_name=upload_name_clean(upload.name),
        content_type=content_type,
        size=stored.size,
        sha256=sha256,
        uploaded_by=by,
    )
    stored_row_save(document, "file", stored)  # upload_to gives a random name
    return document


@transaction.atomic
def application_document_remove(*, document: ApplicationDocument, by: User) -> None:
    """Remove a document from a draft; its file is deleted once the removal is committed."""
    _ensure_editable(_lock(document.application))
    stored_row_delete(document, "file")


@transaction.atomic
def application_submit(
    *, application: Application, by: User, declaration_accepted: bool, follow_up_consent: bool | None = None
) -> bool:
    """Submit a draft: exactly once (the row is locked; an application already submitted is left as is
    and False returned), before the deadline, with the declaration and every required answer. Then the
    eligibility screening runs and the confirmation e-mail is queued. Returns whether this call submitted."""
    locked = _lock(application)
    if locked.status != ApplicationStatus.DRAFT:
        return False
    now = timezone.now()
    if now >= locked.cohort.call_closes_at:
        raise ValidationError(
            _("La date limite de dépôt (%(deadline)s) est dépassée : la candidature ne peut plus être soumise.")
            % {"deadline": date_format(timezone.localtime(locked.cohort.call_closes_at), "DATETIME_FORMAT")},
            code="closed",
        )
    missing = application_missing_fields(locked)
    if not declaration_accepted:
        missing[LAST_STEP] = [_("la déclaration sur l'honneur")]
    if missing:
        raise ApplicationIncomplete(missing)
    locked.declaration_accepted_at = now
    if follow_up_consent is not None:
        locked.follow_up_consent = follow_up_consent
    locked.save(update_fields=["declaration_accepted_at", "follow_up_consent", "updated_at"])
    application_transition(application=locked, to_status=ApplicationStatus.SUBMITTED, by=by, at=now)
    application_screen(application=locked, by=None)
    user = locked.entrepreneur.user or by
    email_queue(
        to=user.email,
        user=user,
        template="application_submitted",
        language=user.preferred_language,
        context={
            "name": locked.entrepreneur.first_name,
            "cohort_name": locked.cohort.label(user.preferred_language),
            "reference": locked.pk,
            "submitted_at": locked.submitted_at,
            "status_path": reverse("cohorts:application_detail", kwargs={"pk": locked.pk}),
        },
    )
    for field in ("status", "status_changed_at", "submitted_at", "declaration_accepted_at", "is_eligible", "follow_up_consent"):
        setattr(application, field, getattr(locked, field))
    return True
