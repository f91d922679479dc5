"""Writes on personal data: the retention rule for visa documents, a person's export, anonymisation.

`mobility` is the highest app that writes: it holds the most sensitive data (passports) and sees every
lower app's rows about a person. Files are deleted once the transaction commits, never before: a
rollback must not leave a row pointing at a deleted file.
"""

import datetime
import io
import json
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import OutgoingEmail, User
from coaching.models import ActionItem, CoachingSession
from cohorts.models import Application, ApplicationDocument, ApplicationTransition, Review, ReviewScore, SelectionDecision
from core.jobs import JobStatus, job_claim, job_enqueue, job_finish, job_heartbeat
from core.storage import private_storage
from partners.models import Entrepreneur

from .models import (
    Anonymisation,
    B2BMeeting,
    FollowUpCheckIn,
    MobilityPlan,
    PartnerCheckIn,
    Partnership,
    PartnershipStageChange,
    PersonalDataExport,
    RetentionRun,
    StageProposal,
    SupportNeed,
    TargetPartner,
    TripStatus,
    VisaDocument,
    VisaFile,
    VisaStatus,
    VisaStatusChange,
)
from .selectors_privacy import personal_data_files, personal_data_of

#: What replaces a free text written by or about an anonymised person (non-empty stays non-empty, so
#: that what counts "has a commitment" still counts the same).
ERASED = "—"
#: The application's answers written by the person.
FREE_TEXTS = ("motivation", "partnership_sought", "gender_commitment", "environmental_commitment", "target_markets")


def _delete_after_commit(names: list[str]) -> int:
    names = [name for name in names if name]
    storage = private_storage()

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)
    return len(names)


# --------------------------------------------------------------------------------------------------
# Retention
# --------------------------------------------------------------------------------------------------


def retention_due(*, today: datetime.date):
    """Visa files whose documents are past their retention period and not yet deleted:
    - the last completed trip returned RETENTION_DAYS_AFTER_RETURN days ago or more (and no trip is planned);
    - the visa was refused, or the file withdrawn, RETENTION_DAYS_AFTER_REFUSAL days ago or more (the
      withdrawal's date is its recorded step, else the decision's, else the submission's);
    - every trip was cancelled (none completed nor planned) and both the last one's return and the file's
      last step are RETENTION_DAYS_AFTER_RETURN days old or more.
    A file with no trip at all and neither refused nor withdrawn is kept (a trip may still be planned)."""
    returned_before = today - timedelta(days=settings.RETENTION_DAYS_AFTER_RETURN)
    refused_before = today - timedelta(days=settings.RETENTION_DAYS_AFTER_REFUSAL)
    trips = "application__trips"
    files = VisaFile.objects.filter(documents_purged_on__isnull=True).annotate(
        last_return=Max(f"{trips}__returns_on", filter=Q(**{f"{trips}__status": TripStatus.COMPLETED})),
        planned=Max(f"{trips}__returns_on", filter=Q(**{f"{trips}__status": TripStatus.PLANNED})),
        cancelled_return=Max(f"{trips}__returns_on", filter=Q(**{f"{trips}__status": TripStatus.CANCELLED})),
        last_change=Max("status_changes__changed_on"),
        withdrawn_on=Coalesce(
            Max("status_changes__changed_on", filter=Q(status_changes__to_status=VisaStatus.WITHDRAWN)),
            "decision_on",
            "submitted_on",
            Max("status_changes__changed_on"),
        ),
    )
    return files.filter(
        Q(status=VisaStatus.REFUSED, decision_on__lte=refused_before)
        | Q(status=VisaStatus.WITHDRAWN, withdrawn_on__lte=refused_before)
        | Q(last_return__lte=returned_before, planned__isnull=True)
        | (
            Q(last_return__isnull=True, planned__isnull=True, cancelled_return__lte=returned_before)
            & (Q(last_change__isnull=True) | Q(last_change__lte=returned_before))
        )
    )


def visa_file_documents_purge(*, visa_file: VisaFile, today: datetime.date) -> int:
    """Delete the passport number and scan and the documents' files of one visa file, date it; returns
    the number of files deleted. Doing it twice deletes nothing more."""
    with transaction.atomic():
        locked = VisaFile.objects.select_for_update().get(pk=visa_file.pk)
        if locked.documents_purged_on is not None:
            return 0
        # Every file kept on the visa file: uploads of staff and the entrepreneur, generated invitation
        # letters (documents too) and the passport scan.
        documents = VisaDocument.objects.filter(visa_file=locked).exclude(file="")
        names = [locked.passport_scan.name, *documents.values_list("file", flat=True)]
        documents.update(file="", original_name="")
        VisaFile.objects.filter(pk=locked.pk).update(
            passport_number="", passport_expires_on=None, passport_scan="", documents_purged_on=today
        )
        locked.history.filter(id=locked.pk).exclude(passport_scan="").update(passport_scan="")
        return _delete_after_commit(names)


def retention_schedule(*, today: datetime.date | None = None) -> RetentionRun:
    """Today's retention job, created once (beat asks several times a day; a second ask is a no-op)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        run, created = RetentionRun.objects.get_or_create(run_on=today)
        if created:
            job_enqueue(job=run)
    return run


def retention_run_execute(*, run_id: int) -> RetentionRun | None:
    """Apply the retention rule (the task's body). Claims the job first: a second delivery does nothing."""
    run = job_claim(model=RetentionRun, pk=run_id)
    if run is None:
        return None
    purged = deleted = 0
    with job_heartbeat(job=run):
        for visa_file in retention_due(today=run.run_on).order_by("pk"):
            count = visa_file_documents_purge(visa_file=visa_file, today=run.run_on)
            purged += 1
            deleted += count
        expired = PersonalDataExport.objects.filter(expires_at__lt=timezone.now()).exclude(file="")
        deleted += _delete_after_commit(list(expired.values_list("file", flat=True)))
        expired.update(file="", size=0)
    job_finish(job=run, visa_files_purged=purged, files_deleted=deleted)
    run.refresh_from_db()
    return run


# --------------------------------------------------------------------------------------------------
# A person's export
# --------------------------------------------------------------------------------------------------


def personal_data_export_request(*, user: User) -> PersonalDataExport:
    """Ask for an export of everything held on `user`. One in flight at a time: asking again while one
    is being prepared returns that one."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        pending = PersonalDataExport.objects.filter(user=user, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
        if pending is not None:
            return pending
        export = PersonalDataExport.objects.create(user=user)
        job_enqueue(job=export)
    return export


def personal_data_export_execute(*, export_id: int) -> PersonalDataExport | None:
    """Write the zip: data.json (every record, labelled in the person's language) and their files."""
    export = job_claim(model=PersonalDataExport, pk=export_id)
    if export is None:
        return None
    user = export.user
    with job_heartbeat(job=export), translation.override(user.preferred_language):
        data = personal_data_of(user=user)
        buffer = io.BytesIO()
        storage = private_storage()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
            archive.writestr("LISEZ-MOI.txt" if user.preferred_language == "fr" else "README.txt", _readme())
            for arcname, name in personal_data_files(user=user):
                try:
                    with storage.open(name, "rb") as handle:
                        archive.writestr(arcname, handle.read())
                except FileNotFoundError:
                    continue
        content = ContentFile(buffer.getvalue(), name="export.zip")
        if export.file:
            storage.delete(export.file.name)
        export.file.save("export.zip", content, save=False)
    job_finish(
        job=export,
        file=export.file.name,
        size=content.size,
        expires_at=timezone.now() + timedelta(days=settings.PERSONAL_EXPORT_DAYS),
    )
    export.refresh_from_db()
    return export


def _readme() -> str:
    return _(
        "Vos données sur la plateforme PEM, au %(date)s.\n\n"
        "data.json : votre compte, votre profil, votre entreprise, vos candidatures et leurs décisions, votre "
        "dossier visa, vos voyages, rendez-vous, partenariats et séances de coaching, sous des intitulés lisibles.\n"
        "fichiers/ : les documents que vous avez déposés.\n\n"
        "Pour faire corriger ou effacer vos données, écrivez à l'équipe du programme."
    ) % {"date": timezone.localdate().strftime("%d/%m/%Y")}


# --------------------------------------------------------------------------------------------------
# Anonymisation
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def person_anonymise(*, entrepreneur: Entrepreneur, by: User, reason: str) -> Anonymisation:
    """Erase what identifies a person and keep what the indicators count. Names, contacts, the account's
    login, passport, documents and the texts they or others wrote about them go; gender, age band,
    education, country, company, statuses, dates, scores and partnerships stay, so that every figure of
    the programme is the same after as before. Doing it twice changes nothing more."""
    entrepreneur = Entrepreneur.objects.select_for_update().get(pk=entrepreneur.pk)
    if hasattr(entrepreneur, "anonymisation"):
        return entrepreneur.anonymisation
    placeholder = f"anonyme-{entrepreneur.pk}@anonyme.invalid"
    applications = Application.objects.filter(entrepreneur=entrepreneur)
    history = Application.history.filter(id__in=applications.values("pk"))
    for field in FREE_TEXTS:
        # Empty stays empty, written stays written: criteria and counts read only whether it is there.
        applications.exclude(**{field: ""}).update(**{field: ERASED})
        history.exclude(**{field: ""}).update(**{field: ERASED})

    documents = ApplicationDocument.objects.filter(application__in=applications)
    names = list(documents.values_list("file", flat=True))
    documents.update(file="", original_name=ERASED)
    Review.objects.filter(application__in=applications).exclude(comment="").update(comment=ERASED)
    ReviewScore.objects.filter(review__application__in=applications).exclude(comment="").update(comment=ERASED)
    sessions = CoachingSession.objects.filter(application__in=applications)
    sessions.update(topics=ERASED, private_notes="")
    CoachingSession.history.filter(application_id__in=applications.values("pk")).update(topics=ERASED, private_notes="")
    # Every other text written by or about the person, and the history copies of it.
    in_applications = {"application__in": applications}
    for queryset, fields in (
        (sessions, ("action_items",)),
        (CoachingSession.history.filter(application_id__in=applications.values("pk")), ("action_items",)),
        (ActionItem.objects.filter(**in_applications), ("title",)),
        (MobilityPlan.objects.filter(**in_applications), ("objectives", "agenda_wishes", "coach_comment")),
        (TargetPartner.objects.filter(plan__application__in=applications), ("reason",)),
        (B2BMeeting.objects.filter(trip__application__in=applications), ("notes",)),
        (Partnership.objects.filter(**in_applications), ("description",)),
        (Partnership.history.filter(application_id__in=applications.values("pk")), ("description",)),
        (FollowUpCheckIn.objects.filter(**in_applications), ("notes", "support_request")),
        (PartnerCheckIn.objects.filter(partnership__application__in=applications), ("comment",)),
        (StageProposal.objects.filter(partnership__application__in=applications), ("note",)),
        (PartnershipStageChange.objects.filter(partnership__application__in=applications), ("note",)),
        (SupportNeed.objects.filter(**in_applications), ("description",)),
        (SelectionDecision.objects.filter(**in_applications), ("reason_fr", "reason_en", "override_reason")),
        (
            SelectionDecision.history.filter(application_id__in=applications.values("pk")),
            ("reason_fr", "reason_en", "override_reason"),
        ),
        (ApplicationTransition.objects.filter(**in_applications), ("note",)),
    ):
        for field in fields:
            queryset.exclude(**{field: ""}).update(**{field: ERASED})

    for visa_file in VisaFile.objects.filter(application__in=applications):
        visa_documents = VisaDocument.objects.filter(visa_file=visa_file).exclude(file="")
        names += [visa_file.passport_scan.name, *visa_documents.values_list("file", flat=True)]
        visa_documents.update(file="", note="", original_name="")
        VisaDocument.objects.filter(visa_file=visa_file).exclude(note="").update(note="")
        VisaStatusChange.objects.filter(visa_file=visa_file).exclude(note="").update(note=ERASED)
        VisaFile.objects.filter(pk=visa_file.pk).update(
            passport_number="", passport_expires_on=None, passport_scan="", refusal_details=""
        )
        visa_file.history.filter(id=visa_file.pk).update(passport_scan="", passport_expires_on=None, refusal_details="")

    # The stored names are in the programme's language, whatever the language of the staff member.
    with translation.override(settings.LANGUAGE_CODE):
        first_name, last_name = _("Personne"), _("anonymisée n° %(number)s") % {"number": entrepreneur.pk}
    user = entrepreneur.user
    if user is not None:
        OutgoingEmail.objects.filter(Q(user=user) | Q(to__iexact=user.email)).delete()
        PersonalDataExport.objects.filter(user=user).delete()  # their files go with the rows (django-cleanup)
        user.email = f"anonyme-{user.pk}@anonyme.invalid"
        user.first_name, user.last_name, user.phone = first_name, last_name, ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    else:
        OutgoingEmail.objects.filter(to__iexact=entrepreneur.email).delete()
    Entrepreneur.objects.filter(pk=entrepreneur.pk).update(
        first_name=first_name,
        last_name=last_name,
        email=placeholder,
        phone="",
        peer_mentor_available=False,
        peer_mentor_topics="",
    )
    return Anonymisation.objects.create(
        entrepreneur=entrepreneur, by=by, reason=reason, files_deleted=_delete_after_commit(names)
    )
