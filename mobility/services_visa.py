"""Writes on visa files: open one with its checklist, add and remove its private documents (the same
checks as an application's documents), set the passport number (encrypted, never logged), move it
along its timeline (each move recorded with its date), and have invitation letters drawn as PDF from
the invitations Belgian companies accepted."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from cohorts.models import Application
from cohorts.services.apply import upload_checked
from core.jobs import JobRetry, job_claim, job_enqueue, job_fail, job_finish, job_heartbeat
from core.pdf import PdfRenderError, pdf_render
from core.storage import stored_row_delete, stored_row_save, upload_name_clean

from .models import (
    LETTER_FILE_PURGED_CODE,
    VISA_TRANSITIONS,
    B2BMeeting,
    Invitation,
    InvitationLetter,
    InvitationStatus,
    RefusalReason,
    VisaDocument,
    VisaDocumentKind,
    VisaFile,
    VisaStatus,
    VisaStatusChange,
)

logger = logging.getLogger(__name__)

#: Statuses in which the entrepreneur may still add or remove their own documents.
OWNER_EDITABLE = (VisaStatus.PREPARING, VisaStatus.SUBMITTED, VisaStatus.APPOINTMENT, VisaStatus.APPEAL)


def _lock(visa_file: VisaFile) -> VisaFile:
    return VisaFile.objects.select_for_update().get(pk=visa_file.pk)


def _ensure_may_edit(visa_file: VisaFile, by: User) -> None:
    if visa_file.documents_purged_on is not None:
        raise ValidationError(_("Les pièces de ce dossier ont été effacées au terme de leur conservation."), code="purged")
    if by.has_role(Role.STAFF):
        return
    if visa_file.application.entrepreneur.user_id != by.pk:
        raise PermissionDenied
    if visa_file.status not in OWNER_EDITABLE:
        raise ValidationError(_("Ce dossier est clos : ses pièces ne se modifient plus."), code="closed")


# --------------------------------------------------------------------------------------------------
# Opening a file
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def visa_file_open(*, application: Application, by: User, consulate=None) -> tuple[VisaFile, bool]:
    """The application's visa file, created once (preparing; its first step recorded). Its checklist is
    the programme's requirements for its consulate (selectors_visa.visa_checklist)."""
    Application.objects.select_for_update().filter(pk=application.pk).first()
    existing = VisaFile.objects.filter(application=application).first()
    if existing is not None:
        return existing, False
    visa_file = VisaFile(application=application, consulate=consulate)
    visa_file.full_clean()
    visa_file.save()
    VisaStatusChange.objects.create(
        visa_file=visa_file, from_status="", to_status=VisaStatus.PREPARING, changed_on=timezone.localdate(), by=by
    )
    return visa_file, True


# --------------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def visa_document_upload(*, visa_file: VisaFile, kind: str, upload: UploadedFile, by: User, note: str = "") -> VisaDocument:
    """Store one document in the private storage under a random name: a PDF without active content
    or a picture (re-encoded), at most 10 MB, judged by its content. The file is removed again if the
    row cannot be written."""
    if kind not in VisaDocumentKind.values:
        raise ValidationError(_("Choisissez le type de pièce."), code="kind")
    locked = _lock(visa_file)
    _ensure_may_edit(locked, by)
    stored, content_type = upload_checked(upload)
    now = timezone.now()
    document = VisaDocument(
        visa_file=locked,
        kind=kind,
        is_received=True,
        received_on=timezone.localdate(now),
        note=note[:250],
        original_name=upload_name_clean(upload.name),
        content_type=content_type,
        size=stored.size,
        uploaded_by=by,
        uploaded_at=now,
    )
    stored_row_save(document, "file", stored)  # upload_to gives a random name
    return document


@transaction.atomic
def visa_document_remove(*, document: VisaDocument, by: User) -> None:
    """Remove a document; its file is deleted once the removal is committed."""
    _ensure_may_edit(_lock(document.visa_file), by)
    if not by.has_role(Role.STAFF) and document.uploaded_by_id != by.pk:
        raise PermissionDenied
    stored_row_delete(document, "file")


# --------------------------------------------------------------------------------------------------
# Passport number
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def visa_passport_set(*, visa_file: VisaFile, number: str, expires_on: datetime.date | None, by: User) -> VisaFile:
    """Record the passport number (encrypted in the row, absent from the history, never logged: only
    its masked form is ever shown again)."""
    cleaned = "".join(number.split()).upper()
    if not cleaned.isalnum() or not 6 <= len(cleaned) <= 20:
        raise ValidationError(
            {"number": _("Un numéro de passeport compte de 6 à 20 lettres et chiffres.")}, code="passport_number"
        )
    locked = _lock(visa_file)
    if locked.documents_purged_on is not None:
        raise ValidationError(_("Les pièces de ce dossier ont été effacées au terme de leur conservation."), code="purged")
    locked.passport_number = cleaned
    locked.passport_expires_on = expires_on
    locked.full_clean()
    locked._change_reason = _("Passeport enregistré")
    locked.save(update_fields=["passport_number", "passport_expires_on"])
    logger.info("visa file %s: passport recorded by user %s", locked.pk, by.pk)
    return locked


# --------------------------------------------------------------------------------------------------
# The timeline
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def visa_status_change(
    *,
    visa_file: VisaFile,
    to_status: str,
    on: datetime.date,
    by: User,
    refusal_reason: str = "",
    refusal_details: str = "",
    note: str = "",
    appointment_on: datetime.date | None = None,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    consulate=None,
) -> VisaFile:
    """Move the file one step along its timeline (VISA_TRANSITIONS), dated `on`, and record the move.
    Dates stay in order (never before the previous step, never in the future); a refusal needs its
    reason; an appeal follows a refusal only."""
    locked = _lock(visa_file)
    errors: dict[str, list[str]] = {}
    if to_status not in VisaStatus.values:
        raise ValidationError({"to_status": _("Étape inconnue.")}, code="unknown_status")
    if to_status not in VISA_TRANSITIONS.get(locked.status, ()):
        if to_status == VisaStatus.APPEAL:
            message = _("Un recours ne s'introduit qu'après un refus.")
        elif to_status in (VisaStatus.GRANTED, VisaStatus.REFUSED, VisaStatus.APPOINTMENT):
            message = _("Le dossier doit d'abord être déposé auprès du consulat.")
        else:
            message = _("Cette étape ne peut pas suivre « %(status)s ».") % {"status": locked.get_status_display()}
        raise ValidationError({"to_status": message}, code="invalid_transition")
    if on > timezone.localdate():
        errors.setdefault("on", []).append(_("La date ne peut pas être dans le futur."))
    last = locked.status_changes.order_by("-changed_on", "-pk").values_list("changed_on", flat=True).first()
    if last is not None and on < last:
        errors.setdefault("on", []).append(
            _("La date ne peut pas précéder l'étape précédente (%(date)s).") % {"date": last.strftime("%d/%m/%Y")}
        )
    if to_status == VisaStatus.REFUSED and refusal_reason not in RefusalReason.values:
        errors.setdefault("refusal_reason", []).append(_("Indiquez le motif du refus."))
    if to_status == VisaStatus.GRANTED and valid_from and valid_until and valid_until < valid_from:
        errors.setdefault("valid_until", []).append(_("La fin de validité précède son début."))
    if errors:
        raise ValidationError(errors, code="invalid")

    from_status = locked.status
    locked.status = to_status
    if to_status == VisaStatus.SUBMITTED:
        locked.submitted_on = on
        if consulate is not None:
            locked.consulate = consulate
        if appointment_on is not None:
            locked.appointment_on = appointment_on
    elif to_status == VisaStatus.APPOINTMENT:
        locked.appointment_on = on
    elif to_status == VisaStatus.GRANTED:
        locked.decision_on = on
        locked.valid_from, locked.valid_until = valid_from, valid_until
    elif to_status == VisaStatus.REFUSED:
        locked.decision_on = on
        locked.refusal_reason, locked.refusal_details = refusal_reason, refusal_details
    elif to_status == VisaStatus.APPEAL:
        locked.appeal_on = on
    try:
        locked.full_clean()
    except ValidationError as error:
        raise ValidationError({"on": error.messages}, code="invalid") from error
    locked._change_reason = str(VisaStatus(to_status).label)
    locked.save()
    VisaStatusChange.objects.create(
        visa_file=locked, from_status=from_status, to_status=to_status, changed_on=on, by=by, note=note[:500]
    )
    return locked


# --------------------------------------------------------------------------------------------------
# Invitation letters
# --------------------------------------------------------------------------------------------------


def accepted_invitations(*, visa_file: VisaFile):
    """The invitations of the file's application that a Belgian company accepted, with what a letter needs."""
    return (
        Invitation.objects.filter(trip__application_id=visa_file.application_id, status=InvitationStatus.ACCEPTED)
        .select_related("organisation", "contact", "trip")
        .order_by("pk")
    )


#: Why no letter is drawn for a file whose documents were deleted at the end of their retention.
LETTERS_PURGED_MESSAGE = gettext_lazy(
    "Les pièces de ce dossier ont été effacées au terme de leur conservation : aucune nouvelle lettre ne peut y être ajoutée."
)


@transaction.atomic
def invitation_letters_request(*, visa_file: VisaFile, by: User) -> list[InvitationLetter]:
    """One letter job per accepted invitation that has none yet (asking twice makes no second letter).
    None once the file's documents were purged: a letter would bring them back."""
    if _lock(visa_file).documents_purged_on is not None:
        raise ValidationError(LETTERS_PURGED_MESSAGE, code="purged")
    created = []
    for invitation in accepted_invitations(visa_file=visa_file).filter(letter__isnull=True):
        try:
            with transaction.atomic():
                letter = InvitationLetter.objects.create(visa_file=visa_file, invitation=invitation, requested_by=by)
        except IntegrityError:
            continue  # asked at the same time by someone else
        job_enqueue(job=letter)
        created.append(letter)
    return created


def _meeting_of(invitation: Invitation) -> datetime.datetime | None:
    meeting = B2BMeeting.objects.filter(invitation=invitation).order_by("starts_at").first()
    if meeting is not None:
        return meeting.starts_at
    return invitation.counter_proposal_at or invitation.proposed_at


def invitation_letter_html(*, letter: InvitationLetter) -> str:
    invitation = letter.invitation
    application = letter.visa_file.application
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "mobility/visa/letter.html",
            {
                "invitation": invitation,
                "organisation": invitation.organisation,
                "contact": invitation.contact,
                "entrepreneur": application.entrepreneur,
                "company": application.company,
                "meeting_at": _meeting_of(invitation),
                "consulate": letter.visa_file.consulate,
                "today": timezone.localdate(),
            },
        )


def invitation_letter_execute(*, letter_id: int) -> InvitationLetter | None:
    """Draw the letter (the task's body). Claimed first: a second delivery does nothing; the PDF is
    rendered with no transaction open, then attached once."""
    letter = job_claim(model=InvitationLetter, pk=letter_id)
    if letter is None:
        return None
    letter = InvitationLetter.objects.select_related(
        "invitation__organisation", "invitation__contact", "visa_file__application__entrepreneur", "visa_file__consulate"
    ).get(pk=letter.pk)
    if letter.document_id is not None:
        job_finish(job=letter)
        return letter
    if letter.visa_file.documents_purged_on is not None:
        job_fail(job=letter, reason=LETTER_FILE_PURGED_CODE)
        letter.refresh_from_db()
        return letter
    with job_heartbeat(job=letter):
        try:
            pdf = pdf_render(html=invitation_letter_html(letter=letter))
        except PdfRenderError as error:
            job_fail(job=letter, reason=str(error))
            letter.refresh_from_db()
            return letter
    storage_name = None
    try:
        with transaction.atomic():
            locked = InvitationLetter.objects.select_for_update().get(pk=letter.pk)
            if locked.document_id is not None:
                job_finish(job=letter)
                return locked
            if _lock(letter.visa_file).documents_purged_on is not None:  # purged while the PDF was drawn
                job_fail(job=letter, reason=LETTER_FILE_PURGED_CODE)
                locked.refresh_from_db()
                return locked
            now = timezone.now()
            document = VisaDocument(
                visa_file_id=letter.visa_file_id,
                kind=VisaDocumentKind.INVITATION,
                is_received=True,
                received_on=timezone.localdate(now),
                note=(_("Lettre générée : %(company)s") % {"company": letter.invitation.organisation})[:250],
                original_name=f"invitation-{letter.invitation.organisation.name}.pdf"[:255],
                content_type="application/pdf",
                size=len(pdf),
                uploaded_by=letter.requested_by,
                uploaded_at=now,
            )
            document.file.save("letter", ContentFile(pdf), save=False)
            storage_name = document.file.name
            document.full_clean(exclude=["file"])
            document.save()
            if not job_finish(job=letter, document=document):
                raise JobRetry("lost the job")
    except Exception as error:
        if storage_name:
            VisaDocument._meta.get_field("file").storage.delete(storage_name)
        if isinstance(error, JobRetry):
            return None  # another attempt holds the job now; it attaches its own letter
        raise
    letter.refresh_from_db()
    return letter
