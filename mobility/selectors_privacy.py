"""Reads on personal data: everything the platform holds on one person, labelled for that person (the
fields' names and choices in their language, never internal codes), the files they own, the visa files
due for deletion, the privacy pages' lists."""

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from coaching.models import CoachingSession
from cohorts.models import Application, ApplicationDocument
from core.bilingual import text_in
from partners.models import Entrepreneur

from .models import (
    Anonymisation,
    B2BMeeting,
    FollowUpCheckIn,
    MobilityPlan,
    Partnership,
    PersonalDataExport,
    RetentionRun,
    SupportNeed,
    TargetPartner,
    Trip,
    VisaDocument,
    VisaFile,
    VisaStatusChange,
)

#: Never exported: secrets and internal bookkeeping of the account.
_SKIPPED = {"id", "password", "is_superuser", "is_staff", "is_fictitious", "user", "entrepreneur", "application"}


def _value(instance: models.Model, field: models.Field):
    if field.choices:
        return getattr(instance, f"get_{field.name}_display")()
    value = getattr(instance, field.name)
    if isinstance(field, models.FileField):
        return value.name.rsplit("/", 1)[-1] if value else ""
    if isinstance(field, models.ForeignKey):
        return str(value) if value is not None else ""
    if hasattr(value, "name") and field.get_internal_type() == "CountryField":
        return str(value.name)
    return value


def _record(instance: models.Model | None, *, exclude: tuple[str, ...] = ()) -> dict:
    """One row as {field label: readable value}, in the active language."""
    if instance is None:
        return {}
    record = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SKIPPED or field.name in exclude or field.name.endswith(("_fr", "_en")):
            continue
        label = str(field.verbose_name)
        record[label[:1].upper() + label[1:]] = _value(instance, field)
    return record


def _plan_record(application) -> dict:
    plan = MobilityPlan.objects.filter(application=application).first()
    if plan is None:
        return {}
    return {
        **_record(plan, exclude=("validated_by",)),
        str(TargetPartner._meta.verbose_name_plural).capitalize(): [
            _record(target, exclude=("plan",)) for target in plan.targets.select_related("organisation")
        ],
    }


def _applications(entrepreneur: Entrepreneur | None) -> QuerySet[Application]:
    if entrepreneur is None:
        return Application.objects.none()
    return Application.objects.filter(entrepreneur=entrepreneur).select_related("cohort__programme", "company")


def personal_data_of(*, user: User) -> dict:
    """Everything held on `user` and their entrepreneur profile, with readable labels (active language)."""
    entrepreneur = Entrepreneur.objects.filter(user=user).select_related("company").first()
    applications = []
    for application in _applications(entrepreneur):
        decision = getattr(application, "decision", None)
        visa_file = VisaFile.objects.filter(application=application).first()
        applications.append(
            {
                **_record(application, exclude=("failed_criteria", "profile_snapshot", "current_step", "language", "source")),
                str(Application._meta.get_field("cohort").verbose_name).capitalize(): text_in(application.cohort, "name"),
                _("Documents"): [
                    _record(document, exclude=("file",))
                    for document in ApplicationDocument.objects.filter(application=application)
                ],
                _("Décision"): (
                    {
                        **_record(decision, exclude=("reason", "override_reason", "decided_by", "notified_by")),
                        _("Motif"): text_in(decision, "reason"),
                    }
                    if decision
                    else {}
                ),
                str(VisaFile._meta.verbose_name).capitalize(): {
                    # The passport number leaves the platform masked, even to its holder (a zip travels).
                    **_record(visa_file, exclude=("passport_number",)),
                    **(
                        {
                            str(
                                VisaFile._meta.get_field("passport_number").verbose_name
                            ).capitalize(): visa_file.passport_number_masked
                        }
                        if visa_file
                        else {}
                    ),
                    str(VisaStatusChange._meta.verbose_name_plural).capitalize(): [
                        _record(change, exclude=("visa_file", "by"))
                        for change in VisaStatusChange.objects.filter(visa_file=visa_file)
                    ]
                    if visa_file
                    else [],
                    str(VisaDocument._meta.verbose_name_plural).capitalize(): [
                        _record(document) for document in VisaDocument.objects.filter(visa_file=visa_file)
                    ]
                    if visa_file
                    else [],
                },
                str(MobilityPlan._meta.verbose_name).capitalize(): _plan_record(application),
                str(Trip._meta.verbose_name_plural).capitalize(): [
                    {
                        **_record(trip),
                        str(B2BMeeting._meta.verbose_name_plural).capitalize(): [
                            _record(meeting) for meeting in B2BMeeting.objects.filter(trip=trip).select_related("organisation")
                        ],
                    }
                    for trip in Trip.objects.filter(application=application)
                ],
                str(Partnership._meta.verbose_name_plural).capitalize(): [
                    _record(partnership, exclude=("meeting",))
                    for partnership in Partnership.objects.filter(application=application).select_related("organisation")
                ],
                str(CoachingSession._meta.verbose_name_plural).capitalize(): [
                    _record(session, exclude=("event", "private_notes"))  # the coach's notes are not the person's
                    for session in CoachingSession.objects.filter(application=application).select_related("coach__user")
                ],
                str(FollowUpCheckIn._meta.verbose_name_plural).capitalize(): [
                    _record(check_in) for check_in in FollowUpCheckIn.objects.filter(application=application)
                ],
                str(SupportNeed._meta.verbose_name_plural).capitalize(): [
                    _record(need, exclude=("check_in",)) for need in SupportNeed.objects.filter(application=application)
                ],
            }
        )
    return {
        str(User._meta.verbose_name).capitalize(): _record(
            user, exclude=("last_login", "groups", "user_permissions", "is_active")
        ),
        str(Entrepreneur._meta.verbose_name).capitalize(): _record(entrepreneur, exclude=("company",)),
        str(Entrepreneur._meta.get_field("company").verbose_name).capitalize(): _record(
            entrepreneur.company if entrepreneur else None, exclude=("is_fictitious", "incubator")
        ),
        str(Application._meta.verbose_name_plural).capitalize(): applications,
    }


def personal_data_files(*, user: User) -> list[tuple[str, str]]:
    """(name in the zip, stored name) of every file the person gave: application and visa documents."""
    entrepreneur = Entrepreneur.objects.filter(user=user).first()
    applications = _applications(entrepreneur)
    files = []
    for document in ApplicationDocument.objects.filter(application__in=applications).exclude(file=""):
        files.append((f"fichiers/{document.pk}-{_safe(document.original_name)}", document.file.name))
    for visa_file in VisaFile.objects.filter(application__in=applications).exclude(passport_scan=""):
        files.append((f"fichiers/passeport-{visa_file.pk}", visa_file.passport_scan.name))
    for document in VisaDocument.objects.filter(visa_file__application__in=applications).exclude(file=""):
        files.append((f"fichiers/visa-{document.pk}-{document.kind}", document.file.name))
    return files


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[-80:] or "document"


def exports_of(*, user: User) -> QuerySet[PersonalDataExport]:
    return PersonalDataExport.objects.filter(user=user)[:5]


def retention_runs() -> QuerySet[RetentionRun]:
    return RetentionRun.objects.all()[:10]


def anonymisations() -> QuerySet[Anonymisation]:
    return Anonymisation.objects.select_related("entrepreneur", "by")[:20]


def people_search(*, query: str) -> QuerySet[Entrepreneur]:
    """Entrepreneurs whose name or e-mail contains `query` (staff's personal-data page)."""
    query = (query or "").replace("\x00", "").strip()
    if len(query) < 2:
        return Entrepreneur.objects.none()
    return (
        Entrepreneur.objects.filter(
            models.Q(first_name__icontains=query) | models.Q(last_name__icontains=query) | models.Q(email__icontains=query)
        )
        .select_related("anonymisation", "user")
        .order_by("last_name", "first_name")[:30]
    )
