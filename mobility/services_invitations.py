"""Writes on invitations to Belgian companies: staff (or the entrepreneur, when staff allow it) invite a
company of the mobility plan with one to three proposed slots; the company answers by personal link
(core.links) without an account: it accepts a slot (which becomes a B2B meeting through
`b2b_meeting_schedule`), declines with a reason, or names a colleague, who gets an invitation of their
own. Unanswered invitations are reminded 3 and 7 days after sending, then no more."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.emails import email_queue
from accounts.models import Role, User
from core.links import link_nonce_new, link_token_make
from partners.models import OrganisationContact

from . import partner_link as texts
from .models import (
    ANSWERED_STATUSES,
    INVITATION_LANGUAGES,
    B2BMeeting,
    DeclineReason,
    Invitation,
    InvitationSlot,
    InvitationStatus,
    MobilityPlan,
    TargetPartner,
    Trip,
    TripStatus,
)
from .selectors_invitations import LINK_PURPOSE
from .services_trips import b2b_meeting_check, b2b_meeting_schedule

#: Reminders, in days after sending, while the company has not answered.
REMINDER_DAYS = (3, 7)
MAX_SLOTS = 3


#: The code of the error raised when an invitation closed (no longer sent) before the company's answer.
NOT_OPEN_CODE = "not_open"


class InvitationAnswered(Exception):
    """The company has already answered: its link is used up."""


@dataclass(frozen=True)
class SlotSpec:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str = "Europe/Brussels"


def invitation_link(invitation: Invitation) -> str:
    """The absolute personal link of the invitation, valid LINK_MAX_AGE from now."""
    token = link_token_make(purpose=LINK_PURPOSE, pk=invitation.pk, nonce=invitation.link_nonce)
    return settings.SITE_URL.rstrip("/") + reverse("mobility:invitation_answer", kwargs={"token": token})


def invitation_may_send(*, plan: MobilityPlan, user: User) -> bool:
    """Staff invite; the entrepreneur too, on their own plan, when staff allowed it."""
    if user.has_role(Role.STAFF):
        return True
    return bool(plan.entrepreneur_may_invite and plan.application.entrepreneur.user_id == user.pk)


def planned_trip(application_id: int) -> Trip | None:
    """The trip invitations are for: the next planned one of the application."""
    return Trip.objects.filter(application_id=application_id, status=TripStatus.PLANNED).order_by("departs_on").first()


def _slots_check(trip: Trip, slots: list[SlotSpec]) -> None:
    if not 1 <= len(slots) <= MAX_SLOTS:
        raise ValidationError({"slots": _("Proposez entre un et trois créneaux.")})
    starts = [slot.starts_at for slot in slots]
    if len(set(starts)) != len(starts):
        raise ValidationError({"slots": _("Deux créneaux proposés commencent à la même heure.")})
    for slot in slots:
        try:
            b2b_meeting_check(trip=trip, starts_at=slot.starts_at, ends_at=slot.ends_at, time_zone=slot.time_zone)
        except ValidationError as error:
            raise ValidationError(
                {"slots": [message for messages in error.message_dict.values() for message in messages]}
            ) from None


@transaction.atomic
def invitation_create(
    *,
    target: TargetPartner,
    by: User,
    slots: list[SlotSpec],
    contact: OrganisationContact | None = None,
    email: str = "",
    language: str = "",
    message: str = "",
) -> Invitation:
    """A draft invitation of the plan's target company, for the application's planned trip, to the
    contact (or an e-mail address) in their language unless another is chosen."""
    plan = MobilityPlan.objects.select_related("application__entrepreneur").get(pk=target.plan_id)
    if not invitation_may_send(plan=plan, user=by):
        raise PermissionDenied
    if target.organisation_id is None:
        raise ValidationError(_("Cette entreprise n'est pas encore dans l'annuaire : ajoutez-la avant de l'inviter."))
    trip = planned_trip(plan.application_id)
    if trip is None:
        raise ValidationError(_("Aucun voyage prévu pour cette candidature : créez d'abord le voyage."))
    if contact is not None and contact.organisation_id != target.organisation_id:
        raise ValidationError({"contact": _("Ce contact ne travaille pas dans cette entreprise.")})
    email = (email or (contact.email if contact else "")).strip()
    if not email:
        raise ValidationError({"email": _("Choisissez un contact ou indiquez une adresse e-mail.")})
    language = language or (contact.language if contact else "") or settings.LANGUAGE_CODE
    if language not in dict(INVITATION_LANGUAGES):
        raise ValidationError({"language": _("Langue inconnue.")})
    if Invitation.objects.filter(
        Q(organisation_id=target.organisation_id, referred_from__isnull=True) | Q(email__iexact=email), trip=trip
    ).exists():
        raise ValidationError(_("Cette entreprise est déjà invitée pour ce voyage : renvoyez l'invitation existante si besoin."))
    _slots_check(trip, slots)
    invitation = Invitation(
        trip=trip,
        organisation_id=target.organisation_id,
        contact=contact,
        email=email,
        language=language,
        message=message.strip(),
        created_by=by,
    )
    invitation.full_clean()
    invitation.save()
    for slot in slots:
        row = InvitationSlot(invitation=invitation, starts_at=slot.starts_at, ends_at=slot.ends_at, time_zone=slot.time_zone)
        row.full_clean()
        row.save()
    return invitation


def _company_email(invitation: Invitation, template: str, **context) -> None:
    with translation.override(invitation.language):
        page = _page_context(invitation)
    email_queue(
        to=invitation.email,
        template=template,
        language=invitation.language,
        context={"invitation": invitation, "link": invitation_link(invitation), **page, **context},
    )


def _page_context(invitation: Invitation) -> dict:
    return {
        "entrepreneur_first_name": invitation.trip.application.entrepreneur.first_name,
        "company": invitation.trip.application.company,
        "slots": [texts.slot_time(slot) for slot in invitation.slots.all()],
    }


@transaction.atomic
def invitation_send(*, invitation: Invitation, by: User | None = None) -> Invitation:
    """Send (or send again) the invitation e-mail with a new personal link: the links of earlier e-mails
    stop working, and the reminders start again from now."""
    locked = (
        Invitation.objects.select_for_update(of=("self",)).select_related("trip__application__entrepreneur").get(pk=invitation.pk)
    )
    if by is not None:
        plan = (
            MobilityPlan.objects.select_related("application__entrepreneur").filter(application=locked.trip.application).first()
        )
        if plan is None or not invitation_may_send(plan=plan, user=by):
            raise PermissionDenied
    if locked.status not in (InvitationStatus.DRAFT, InvitationStatus.SENT):
        raise ValidationError(_("Cette invitation a déjà reçu une réponse : elle ne se renvoie plus."))
    locked.status, locked.sent_at, locked.link_nonce = InvitationStatus.SENT, timezone.now(), link_nonce_new()
    locked.reminders_sent, locked.last_reminded_at = 0, None
    locked.save(update_fields=["status", "sent_at", "link_nonce", "reminders_sent", "last_reminded_at"])
    _company_email(locked, "partner_link/invitation")
    return locked


def _lock_open(invitation: Invitation) -> Invitation:
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("trip__application__entrepreneur__user", "organisation")
        .get(pk=invitation.pk)
    )
    if locked.status in ANSWERED_STATUSES or locked.answered_at is not None:
        raise InvitationAnswered
    if locked.status != InvitationStatus.SENT:
        raise ValidationError(texts.NOT_OPEN, code=NOT_OPEN_CODE)
    return locked


def _answered(invitation: Invitation, status: str, fields: list[str]) -> None:
    invitation.status, invitation.answered_at = status, timezone.now()
    invitation.full_clean()
    invitation.save(update_fields=["status", "answered_at", *fields])
    _answer_notify(invitation)


def _answer_notify(invitation: Invitation) -> None:
    """The entrepreneur and the programme team learn the answer, each in their own language."""
    entrepreneur = invitation.trip.application.entrepreneur
    context = {"invitation": invitation, "entrepreneur": entrepreneur}
    if entrepreneur.user is not None:
        email_queue(to=entrepreneur.email, user=entrepreneur.user, template="invitation_answered", context=context)
    for member in User.objects.with_role(Role.STAFF).filter(is_active=True).exclude(email="").distinct():
        email_queue(to=member.email, user=member, template="invitation_answered", context={**context, "for_staff": True})


@transaction.atomic
def invitation_accept(*, invitation: Invitation, slot_id: int) -> B2BMeeting:
    """The company accepts one of the proposed slots: the meeting goes on the trip's agenda. A slot
    taken meanwhile leaves the invitation open, so that the company can pick another."""
    locked = _lock_open(invitation)
    slot = InvitationSlot.objects.filter(invitation=locked, pk=slot_id).first()
    if slot is None:
        raise ValidationError({"slot": texts.SLOT_REQUIRED})
    try:
        meeting = b2b_meeting_schedule(
            trip=locked.trip,
            organisation=locked.organisation,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            time_zone=slot.time_zone,
            city=locked.organisation.city,
            invitation=locked,
        )
    except ValidationError:
        # b2b_meeting_check names the company already met at that time: never shown to this one.
        raise ValidationError({"slot": texts.SLOT_TAKEN}, code="slot_taken") from None
    locked.chosen_slot = slot
    _answered(locked, InvitationStatus.ACCEPTED, ["chosen_slot"])
    return meeting


@transaction.atomic
def invitation_decline(*, invitation: Invitation, reason: str, details: str = "") -> Invitation:
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": texts.REASON_REQUIRED})
    details = details.strip()
    if reason == DeclineReason.OTHER and not details:
        raise ValidationError({"details": texts.DETAILS_REQUIRED})
    locked = _lock_open(invitation)
    locked.decline_reason, locked.decline_details = reason, details
    _answered(locked, InvitationStatus.DECLINED, ["decline_reason", "decline_details"])
    return locked


@transaction.atomic
def invitation_refer(*, invitation: Invitation, name: str, email: str) -> Invitation:
    """The company names a colleague: the invitation is answered ("redirected") and the colleague gets
    an invitation of their own, with the same slots, in the same language. Returns the new invitation."""
    name, email = name.strip(), email.strip()
    errors = {}
    if not name:
        errors["name"] = texts.NAME_REQUIRED
    if not email:
        errors["email"] = texts.EMAIL_REQUIRED
    if errors:
        raise ValidationError(errors)
    locked = _lock_open(invitation)
    if Invitation.objects.filter(trip=locked.trip, email__iexact=email).exists():
        raise ValidationError({"email": texts.EMAIL_ALREADY_INVITED})
    locked.referred_name, locked.referred_email = name, email
    _answered(locked, InvitationStatus.REFERRED, ["referred_name", "referred_email"])
    colleague = Invitation(
        trip=locked.trip,
        organisation=locked.organisation,
        contact=OrganisationContact.objects.filter(organisation=locked.organisation, email__iexact=email).first(),
        email=email,
        language=locked.language,
        message=locked.message,
        referred_from=locked,
        created_by=locked.created_by,
    )
    colleague.full_clean()
    colleague.save()
    InvitationSlot.objects.bulk_create(
        [
            InvitationSlot(invitation=colleague, starts_at=s.starts_at, ends_at=s.ends_at, time_zone=s.time_zone)
            for s in locked.slots.all()
        ]
    )
    return invitation_send(invitation=colleague)


def invitations_remind(*, now: datetime.datetime | None = None) -> int:
    """Remind the companies that have not answered, 3 then 7 days after sending, at most one reminder per
    invitation and run. Returns the reminders sent."""
    now = now or timezone.now()
    invitations_close_unanswered(today=timezone.localdate(now))
    return sum(invitation_remind(pk=pk, reminders_sent=n, now=now) for pk, n in invitation_reminders_due(now=now))


def invitations_close_unanswered(*, today: datetime.date) -> int:
    """Invitations still unanswered when the trip has begun are closed as "no answer": their link
    then says it has expired, and no reminder goes out."""
    return Invitation.objects.filter(status=InvitationStatus.SENT, trip__departs_on__lte=today).update(
        status=InvitationStatus.EXPIRED
    )


def invitation_reminders_due(*, now: datetime.datetime) -> list[tuple[int, int]]:
    """(invitation id, reminders sent so far) of the unanswered invitations due for a reminder."""
    first, second = (datetime.timedelta(days=days) for days in REMINDER_DAYS)
    return list(
        Invitation.objects.filter(
            status=InvitationStatus.SENT, answered_at__isnull=True, sent_at__isnull=False, trip__status=TripStatus.PLANNED
        )
        .filter(
            Q(reminders_sent=0, sent_at__lte=now - first)
            | Q(reminders_sent=1, sent_at__lte=now - second, last_reminded_at__lte=now - datetime.timedelta(days=1))
        )
        .order_by("pk")
        .values_list("pk", "reminders_sent")
    )


@transaction.atomic
def invitation_remind(*, pk: int, reminders_sent: int, now: datetime.datetime) -> bool:
    """Send reminder number `reminders_sent + 1`, claimed by a conditional UPDATE on `reminders_sent`:
    when beat fires twice or two workers read the same due list, one of them sends it."""
    claimed = Invitation.objects.filter(pk=pk, status=InvitationStatus.SENT, reminders_sent=reminders_sent).update(
        reminders_sent=reminders_sent + 1, last_reminded_at=now
    )
    if claimed != 1:
        return False
    invitation = Invitation.objects.select_related("trip__application__entrepreneur", "trip__application__company").get(pk=pk)
    _company_email(invitation, "partner_link/invitation_reminder", reminder=reminders_sent + 1)
    return True


@transaction.atomic
def mobility_plan_invitations_allow(*, plan: MobilityPlan, by: User, allowed: bool) -> MobilityPlan:
    """Staff let the entrepreneur send the invitations of their plan themself (or stop them)."""
    if not by.has_role(Role.STAFF):
        raise PermissionDenied
    MobilityPlan.objects.filter(pk=plan.pk).update(entrepreneur_may_invite=allowed)
    plan.entrepreneur_may_invite = allowed
    return plan
