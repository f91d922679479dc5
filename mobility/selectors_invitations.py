"""Reads on invitations to Belgian companies: the staff list and the one definition of the response
figures (response rate, median days to answer) that the invitations page and the indicators share."""

import datetime
import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.crypto import constant_time_compare

from cohorts.models import Cohort
from core.links import LinkInvalid, link_token_read
from partners.models import Organisation

from .models import ANSWERED_STATUSES, Invitation, InvitationSlot, InvitationStatus, MobilityPlan, Trip, TripStatus
from .services_trips import b2b_meeting_check

LINK_PURPOSE = "invitation"
#: How long a personal link stays valid after the e-mail that carries it (a reminder carries a fresh one).
LINK_MAX_AGE = datetime.timedelta(days=30)

#: How the response figures can be grouped: the key read on each invitation.
RESPONSE_GROUPS = {"relay_agency": "organisation__relay_agency", "cohort": "trip__application__cohort"}


def _labels(by: str, keys: list) -> dict:
    if by == "cohort":
        return {pk: str(cohort) for pk, cohort in Cohort.objects.select_related("programme").in_bulk(keys).items()}
    return {pk: agency.short_name or agency.name for pk, agency in Organisation.objects.in_bulk(keys).items()}


@dataclass
class ResponseStats:
    """One group's figures. An invitation counts once sent (drafts count nowhere); it is answered once
    the company accepted, declined, proposed another slot or named a colleague."""

    key: int | None = None
    label: str = ""
    sent: int = 0
    answered: int = 0
    accepted: int = 0
    response_rate: Decimal | None = None
    median_days: Decimal | None = None


def _rate(answered: int, sent: int) -> Decimal | None:
    if not sent:
        return None
    return (Decimal(answered) / Decimal(sent) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _median(days: list[float]) -> Decimal | None:
    return Decimal(str(statistics.median(days))).quantize(Decimal("0.1")) if days else None


def invitation_response_stats(invitations: QuerySet[Invitation], *, by: str | None = None) -> list[ResponseStats]:
    """Response rate (in %, one decimal) and median days from sending to answer (one decimal) of
    `invitations`, overall (one row) or per relay agency / cohort (`by`, rows sorted by label, the
    companies without relay agency last). One query, and one more for the groups' names."""
    fields = ["status", "sent_at", "answered_at"] + ([RESPONSE_GROUPS[by]] if by is not None else [])
    rows = list(invitations.exclude(status=InvitationStatus.DRAFT).order_by().values_list(*fields))
    return _stats_of_rows(rows, by=by, key_at=3)


def invitation_response_stats_all(invitations: QuerySet[Invitation]) -> dict[str, list[ResponseStats]]:
    """`invitation_response_stats` overall, per relay agency and per cohort from one reading of the
    invitations (the staff list shows the three: reading the rows three times cost as much as the page)."""
    fields = ["status", "sent_at", "answered_at", RESPONSE_GROUPS["relay_agency"], RESPONSE_GROUPS["cohort"]]
    rows = list(invitations.exclude(status=InvitationStatus.DRAFT).order_by().values_list(*fields))
    return {
        "overall": _stats_of_rows(rows, by=None, key_at=None),
        "relay_agency": _stats_of_rows(rows, by="relay_agency", key_at=3),
        "cohort": _stats_of_rows(rows, by="cohort", key_at=4),
    }


def _stats_of_rows(rows: list[tuple], *, by: str | None, key_at: int | None) -> list[ResponseStats]:
    """The figures of (status, sent_at, answered_at, ...) rows, grouped by the value at `key_at`."""
    groups: dict = {}
    days: dict = {}
    for row in rows:
        status, sent_at, answered_at = row[:3]
        key = row[key_at] if by is not None else None
        stats = groups.setdefault(key, ResponseStats(key=key))
        stats.sent += 1
        if status in ANSWERED_STATUSES:
            stats.answered += 1
        if status == InvitationStatus.ACCEPTED:
            stats.accepted += 1
        if sent_at is not None and answered_at is not None:
            days.setdefault(key, []).append((answered_at - sent_at).total_seconds() / 86400)
    for key, stats in groups.items():
        stats.response_rate = _rate(stats.answered, stats.sent)
        stats.median_days = _median(days.get(key, []))
    if by is None:
        return [groups.get(None, ResponseStats())]
    labels = _labels(by, [key for key in groups if key is not None])
    for key, stats in groups.items():
        stats.label = labels.get(key, "")
    return sorted(groups.values(), key=lambda s: (s.key is None, s.label.lower()))


def invitations_for_staff_list(*, cohort_id: int | None = None, status: str = "", relay_agency_id: int | None = None):
    """The staff list's invitations (filters optional), newest sending first, with what each row shows."""
    invitations = Invitation.objects.all()
    if cohort_id:
        invitations = invitations.filter(trip__application__cohort_id=cohort_id)
    if status:
        invitations = invitations.filter(status=status)
    if relay_agency_id:
        invitations = invitations.filter(organisation__relay_agency_id=relay_agency_id)
    return invitations


def invitations_list_rows(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    return invitations.select_related(
        "organisation__relay_agency", "contact", "trip__application__entrepreneur", "trip__application__cohort"
    ).order_by("-sent_at", "-pk")


def plan_invitations(plan: MobilityPlan, *, trip: Trip | None = None) -> dict[int, list[Invitation]]:
    """The invitations of a plan's application (those of `trip` only, when given), per organisation id
    (two queries; the colleagues named in an answer are listed under their company too)."""
    invitations = Invitation.objects.filter(trip__application_id=plan.application_id)
    if trip is not None:
        invitations = invitations.filter(trip=trip)
    invitations = invitations.select_related("contact", "chosen_slot").prefetch_related("slots").order_by("pk")
    result: dict[int, list[Invitation]] = {}
    for invitation in invitations:
        result.setdefault(invitation.organisation_id, []).append(invitation)
    return result


def invitation_for_token(token: str) -> Invitation:
    """The open invitation a personal link opens, or LinkInvalid: "tampered" (not ours, or retired by a
    newer e-mail), "expired" (too old, or the invitation closed without answer), "used" (answered)."""
    target = link_token_read(purpose=LINK_PURPOSE, token=token, max_age=LINK_MAX_AGE)
    invitation = (
        Invitation.objects.select_related(
            "organisation", "trip__application__entrepreneur", "trip__application__company", "trip__application__mobility_plan"
        )
        .prefetch_related("slots")
        .filter(pk=target.pk)
        .first()
    )
    if invitation is None or not constant_time_compare(invitation.link_nonce, target.nonce):
        raise LinkInvalid("tampered")
    if invitation.status in ANSWERED_STATUSES or invitation.answered_at is not None:
        raise LinkInvalid("used")
    if invitation.status == InvitationStatus.EXPIRED or invitation.trip.status != TripStatus.PLANNED:
        raise LinkInvalid("expired")
    if invitation.status != InvitationStatus.SENT:
        raise LinkInvalid("tampered")
    return invitation


def slot_is_free(slot: InvitationSlot, trip: Trip) -> bool:
    """Whether the trip's agenda still has room for this slot (one query)."""
    try:
        b2b_meeting_check(trip=trip, starts_at=slot.starts_at, ends_at=slot.ends_at, time_zone=slot.time_zone)
    except ValidationError:
        return False
    return True
