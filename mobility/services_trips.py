"""Writes on trips, their costs and their B2B meetings. A meeting is scheduled only through
`b2b_meeting_schedule` (and moved only through `b2b_meeting_update`), which every way of creating one uses
(staff's agenda, an accepted invitation), so the same rules hold: it ends after it starts, falls within
the trip, and does not overlap another meeting of the trip. A trip lies inside its cohort's travel window
or around its economic mission; its costs are kept in the currency paid, converted to euros by the
database at the programme's fixed parity."""

import datetime
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from cohorts.models import Application, Currency
from core.bilingual import plain_text_in
from partners.models import Organisation, OrganisationContact

from .models import (
    MEETING_TIME_ZONES,
    B2BMeeting,
    EconomicMission,
    InterestLevel,
    Invitation,
    InvitationStatus,
    MeetingOutcome,
    NextStepOwner,
    Trip,
    TripCost,
    TripCostCategory,
    TripStatus,
)
from .services_follow_up import check_ins_schedule


def _overlapping(*, trip: Trip, starts_at: datetime.datetime, ends_at: datetime.datetime, exclude_pk: int | None):
    meetings = B2BMeeting.objects.filter(trip=trip, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude_pk is not None:
        meetings = meetings.exclude(pk=exclude_pk)
    return meetings.select_related("organisation").order_by("starts_at").first()


def b2b_meeting_check(
    *,
    trip: Trip,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    time_zone: str,
    exclude_pk: int | None = None,
) -> None:
    """ValidationError (keyed by field) when a meeting at these times cannot be on this trip."""
    if time_zone not in dict(MEETING_TIME_ZONES):
        raise ValidationError({"time_zone": ValidationError(_("Fuseau horaire inconnu."), code="unknown_time_zone")})
    if ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": ValidationError(_("La fin du rendez-vous doit suivre son début."), code="ends_before_start")}
        )
    zone = zoneinfo.ZoneInfo(time_zone)
    first_day, last_day = starts_at.astimezone(zone).date(), ends_at.astimezone(zone).date()
    if first_day < trip.departs_on or last_day > trip.returns_on:
        raise ValidationError(
            {
                "starts_at": ValidationError(
                    _("Le rendez-vous doit avoir lieu pendant le voyage (du %(departs)s au %(returns)s).")
                    % {
                        "departs": formats.date_format(trip.departs_on, "SHORT_DATE_FORMAT"),
                        "returns": formats.date_format(trip.returns_on, "SHORT_DATE_FORMAT"),
                    },
                    code="outside_trip",
                )
            }
        )
    other = _overlapping(trip=trip, starts_at=starts_at, ends_at=ends_at, exclude_pk=exclude_pk)
    if other is not None:
        raise ValidationError(
            {
                "starts_at": ValidationError(
                    _("Ce créneau chevauche le rendez-vous avec %(company)s (%(start)s–%(end)s).")
                    % {
                        "company": other.organisation.name,
                        "start": formats.time_format(other.starts_at.astimezone(zone), "TIME_FORMAT"),
                        "end": formats.time_format(other.ends_at.astimezone(zone), "TIME_FORMAT"),
                    },
                    code="overlap",
                )
            }
        )


@transaction.atomic
def b2b_meeting_schedule(
    *,
    trip: Trip,
    organisation: Organisation,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    time_zone: str = "Europe/Brussels",
    city: str = "",
    place: str = "",
    invitation: Invitation | None = None,
    contact: OrganisationContact | None = None,
    attendees: str = "",
    by: User | None = None,
) -> B2BMeeting:
    """Put a meeting on a trip's agenda. The trip row is locked so that two meetings scheduled at the
    same moment (staff and an invitation answered by link) cannot both take one slot."""
    locked = Trip.objects.select_for_update().get(pk=trip.pk)
    _trip_open_for_meetings(locked)
    _contact_check(organisation=organisation, contact=contact)
    b2b_meeting_check(trip=locked, starts_at=starts_at, ends_at=ends_at, time_zone=time_zone)
    meeting = B2BMeeting(
        trip=locked,
        organisation=organisation,
        invitation=invitation,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        city=city,
        place=place,
        contact=contact,
        attendees=attendees,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def _trip_open_for_meetings(trip: Trip) -> None:
    if trip.status == TripStatus.CANCELLED:
        raise ValidationError(_("Ce voyage est annulé : son agenda ne change plus."), code="trip_cancelled")


def _contact_check(*, organisation: Organisation, contact: OrganisationContact | None) -> None:
    if contact is not None and contact.organisation_id != organisation.pk:
        raise ValidationError(
            {"contact": ValidationError(_("Ce contact ne travaille pas dans cette entreprise."), code="contact_elsewhere")}
        )


@transaction.atomic
def b2b_meeting_update(
    *,
    meeting: B2BMeeting,
    organisation: Organisation,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    time_zone: str = "Europe/Brussels",
    city: str = "",
    place: str = "",
    contact: OrganisationContact | None = None,
    attendees: str = "",
    by: User | None = None,
) -> B2BMeeting:
    """Move or correct a meeting: the same checks as scheduling it, the meeting itself left out of the
    overlap test."""
    locked = Trip.objects.select_for_update().get(pk=meeting.trip_id)
    _trip_open_for_meetings(locked)
    _contact_check(organisation=organisation, contact=contact)
    b2b_meeting_check(trip=locked, starts_at=starts_at, ends_at=ends_at, time_zone=time_zone, exclude_pk=meeting.pk)
    meeting.organisation = organisation
    meeting.contact = contact
    meeting.starts_at, meeting.ends_at, meeting.time_zone = starts_at, ends_at, time_zone
    meeting.city, meeting.place, meeting.attendees = city, place, attendees
    meeting.full_clean()
    meeting.save()
    return meeting


def b2b_meeting_outcome_record(
    *,
    meeting: B2BMeeting,
    interest_level: str,
    outcome: str = "",
    next_step: str = "",
    next_step_owner: str = "",
    next_step_due: datetime.date | None = None,
    notes: str | None = None,
    by: User | None = None,
    now: datetime.datetime | None = None,
) -> B2BMeeting:
    """What came of a meeting, once it has begun: the company's interest, the result the indicators read
    (`outcome`), and the next step with who carries it and by when. "No interest" is told once: an
    interest level of none is the outcome "no interest"."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if meeting.starts_at > now:
        raise ValidationError(_("Le résultat se note après le rendez-vous."), code="not_yet_held")
    if interest_level not in InterestLevel.values:
        errors["interest_level"] = _("Choisissez le niveau d'intérêt.")
    if outcome and outcome not in MeetingOutcome.values:
        errors["outcome"] = _("Résultat inconnu.")
    if interest_level == InterestLevel.NONE:
        if outcome not in ("", MeetingOutcome.NO_INTEREST):
            errors["outcome"] = _("Sans intérêt de l'entreprise, le résultat est « Pas d'intérêt ».")
        outcome = MeetingOutcome.NO_INTEREST
    elif outcome == MeetingOutcome.NO_INTEREST:
        errors["interest_level"] = _("« Pas d'intérêt » va avec un niveau d'intérêt « Aucun ».")
    if next_step and not next_step_owner:
        errors["next_step_owner"] = _("Dites qui porte la prochaine étape.")
    if next_step_owner and next_step_owner not in NextStepOwner.values:
        errors["next_step_owner"] = _("Responsable inconnu.")
    if (next_step_owner or next_step_due) and not next_step:
        errors["next_step"] = _("Décrivez la prochaine étape.")
    if next_step_due and next_step_due < meeting.starts_at.astimezone(zoneinfo.ZoneInfo(meeting.time_zone)).date():
        errors["next_step_due"] = _("L'échéance ne peut précéder le rendez-vous.")
    if errors:
        raise ValidationError(errors)
    meeting.interest_level, meeting.outcome = interest_level, outcome
    meeting.next_step, meeting.next_step_owner, meeting.next_step_due = next_step, next_step_owner, next_step_due
    fields = ["interest_level", "outcome", "next_step", "next_step_owner", "next_step_due"]
    if notes is not None:
        meeting.notes = notes
        fields.append("notes")
    meeting.full_clean()
    meeting.save(update_fields=fields)
    return meeting


def b2b_meeting_cancel(*, meeting: B2BMeeting, by: User | None = None) -> None:
    """Take a meeting off the agenda. One that took place (its result is noted) or that led to a
    partnership stays: it counts in the programme's figures."""
    if meeting.outcome or meeting.interest_level:
        raise ValidationError(_("Ce rendez-vous a eu lieu (son résultat est noté) : il ne s'annule plus."), code="held")
    if meeting.partnerships.exists():
        raise ValidationError(_("Un partenariat est issu de ce rendez-vous : il ne s'annule pas."), code="partnership")
    if meeting.invitation_id is not None and meeting.invitation.status == InvitationStatus.ACCEPTED:
        # The company accepted this slot by its link (and a visa invitation letter may name it): moving or
        # keeping it is agreed with the company, the agenda does not drop it alone.
        raise ValidationError(
            _(
                "L'entreprise a accepté ce créneau par son invitation : modifiez l'heure du rendez-vous avec elle plutôt que de l'annuler."
            ),
            code="accepted_invitation",
        )
    meeting.delete()


# --------------------------------------------------------------------------------------------------
# Trips
# --------------------------------------------------------------------------------------------------

#: Travellers fly in before an economic mission and out after it: a trip may start or end this many
#: days outside the mission's dates.
MISSION_TRAVEL_DAYS = 3


def _short(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def trip_check(
    *,
    application: Application,
    departs_on: datetime.date,
    returns_on: datetime.date,
    mission: EconomicMission | None,
    trip: Trip | None = None,
) -> None:
    """ValidationError (keyed by field) when a trip with these dates cannot be: a return before the
    departure, dates outside the chosen mission (give or take the travel days) or, without a mission,
    outside the cohort's travel window; an existing trip whose meetings would fall outside its new dates."""
    if returns_on < departs_on:
        raise ValidationError(
            {"returns_on": ValidationError(_("Le retour ne peut pas précéder le départ."), code="returns_before_departure")}
        )
    cohort = application.cohort
    if mission is not None:
        if mission.programme_id != cohort.programme_id:
            raise ValidationError(
                {"mission": ValidationError(_("Cette mission appartient à un autre programme."), code="other_programme")}
            )
        earliest = mission.starts_on - datetime.timedelta(days=MISSION_TRAVEL_DAYS)
        latest = mission.ends_on + datetime.timedelta(days=MISSION_TRAVEL_DAYS)
        if departs_on < earliest or returns_on > latest or departs_on > mission.ends_on or returns_on < mission.starts_on:
            raise ValidationError(
                {
                    "departs_on": ValidationError(
                        _(
                            "Le voyage doit accompagner la mission « %(mission)s » (du %(starts)s au %(ends)s) : "
                            "départ et retour entre le %(earliest)s et le %(latest)s."
                        )
                        % {
                            "mission": plain_text_in(mission, "title"),
                            "starts": _short(mission.starts_on),
                            "ends": _short(mission.ends_on),
                            "earliest": _short(earliest),
                            "latest": _short(latest),
                        },
                        code="outside_mission",
                    )
                }
            )
    elif cohort.travel_starts_on and cohort.travel_ends_on:
        if departs_on < cohort.travel_starts_on or returns_on > cohort.travel_ends_on:
            raise ValidationError(
                {
                    "departs_on": ValidationError(
                        _(
                            "Le voyage doit se tenir dans la fenêtre de voyage de la cohorte, du %(starts)s au %(ends)s "
                            "(ou choisissez une mission économique)."
                        )
                        % {"starts": _short(cohort.travel_starts_on), "ends": _short(cohort.travel_ends_on)},
                        code="outside_window",
                    )
                }
            )
    if trip is not None and trip.pk:
        meetings = trip.meetings.only("starts_at", "ends_at", "time_zone")
        outside = sum(
            1
            for m in meetings
            if m.starts_at.astimezone(zoneinfo.ZoneInfo(m.time_zone)).date() < departs_on
            or m.ends_at.astimezone(zoneinfo.ZoneInfo(m.time_zone)).date() > returns_on
        )
        if outside:
            raise ValidationError(
                {
                    "departs_on": ValidationError(
                        ngettext(
                            "%(n)d rendez-vous de l'agenda tomberait hors de ces dates : déplacez-le ou annulez-le d'abord.",
                            "%(n)d rendez-vous de l'agenda tomberaient hors de ces dates : déplacez-les ou annulez-les d'abord.",
                            outside,
                        )
                        % {"n": outside},
                        code="meetings_outside",
                    )
                }
            )


def trip_create(
    *,
    application: Application,
    departs_on: datetime.date,
    returns_on: datetime.date,
    mission: EconomicMission | None = None,
    cities: str = "",
    by: User | None = None,
) -> Trip:
    trip_check(application=application, departs_on=departs_on, returns_on=returns_on, mission=mission)
    trip = Trip(application=application, mission=mission, departs_on=departs_on, returns_on=returns_on, cities=cities)
    trip.full_clean()
    trip.save()
    return trip


@transaction.atomic
def trip_update(
    *,
    trip: Trip,
    departs_on: datetime.date,
    returns_on: datetime.date,
    mission: EconomicMission | None = None,
    cities: str = "",
    by: User | None = None,
) -> Trip:
    """Change a planned trip's dates, mission or cities; its meetings must still fit inside."""
    locked = Trip.objects.select_for_update().select_related("application__cohort").get(pk=trip.pk)
    if locked.status != TripStatus.PLANNED:
        raise ValidationError(_("Seul un voyage prévu se modifie."), code="not_planned")
    trip_check(application=locked.application, departs_on=departs_on, returns_on=returns_on, mission=mission, trip=locked)
    locked.departs_on, locked.returns_on, locked.mission, locked.cities = departs_on, returns_on, mission, cities
    locked.full_clean()
    locked.save(update_fields=["departs_on", "returns_on", "mission", "cities"])
    return locked


def _trip_status_set(*, trip: Trip, to: str) -> Trip:
    # A conditional update: two clicks (or two people) cannot both move the trip.
    changed = Trip.objects.filter(pk=trip.pk, status=TripStatus.PLANNED).update(status=to)
    if not changed:
        raise ValidationError(_("Ce voyage n'est plus prévu : son statut ne change plus."), code="not_planned")
    trip.status = to
    return trip


def trip_complete(*, trip: Trip, by: User | None = None, today: datetime.date | None = None) -> Trip:
    """The trip took place: it now counts as a mobility made (mobility.selectors.travelled_application_ids)."""
    today = today or timezone.localdate()
    if trip.departs_on > today:
        raise ValidationError(_("Un voyage qui n'a pas commencé ne peut pas être marqué effectué."), code="not_started")
    with transaction.atomic():
        trip = _trip_status_set(trip=trip, to=TripStatus.COMPLETED)
        # The follow-up check-ins after the return (once, however often this runs; the daily beat also
        # schedules any completed trip that has none).
        check_ins_schedule(trip=trip)
    return trip


def trip_cancel(*, trip: Trip, by: User | None = None) -> Trip:
    """The trip will not take place: its unanswered invitations close with it (their links then say
    they have expired, and no reminder goes out)."""
    with transaction.atomic():
        trip = _trip_status_set(trip=trip, to=TripStatus.CANCELLED)
        Invitation.objects.filter(trip=trip, status=InvitationStatus.SENT).update(status=InvitationStatus.EXPIRED)
    return trip


# --------------------------------------------------------------------------------------------------
# Costs
# --------------------------------------------------------------------------------------------------


def trip_cost_add(
    *,
    trip: Trip,
    category: str,
    amount: Decimal,
    currency: str,
    date: datetime.date | None = None,
    note: str = "",
    by: User | None = None,
) -> TripCost:
    """A cost in euros or CFA francs; its euro amount is the database's (cohorts.models.to_eur_expression)."""
    errors: dict[str, str] = {}
    if currency not in Currency.values:
        errors["currency"] = _("Devise inconnue : les coûts se saisissent en euros ou en francs CFA.")
    if category not in TripCostCategory.values:
        errors["category"] = _("Catégorie de coût inconnue.")
    if amount is None or amount <= 0:
        errors["amount"] = _("Le montant doit être positif.")
    if errors:
        raise ValidationError(errors)
    cost = TripCost(trip=trip, category=category, amount=amount, currency=currency, date=date, note=note)
    cost.full_clean()
    cost.save()
    return cost


def trip_cost_remove(*, cost: TripCost, by: User | None = None) -> None:
    cost.delete()
