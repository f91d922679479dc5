"""Writes on trips and their B2B meetings. A meeting is scheduled only through `b2b_meeting_schedule`,
which every way of creating one uses (staff's agenda, an accepted invitation), so the same rules hold:
it ends after it starts, falls within the trip, and does not overlap another meeting of the trip."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import User
from partners.models import Organisation

from .models import MEETING_TIME_ZONES, B2BMeeting, Invitation, Trip


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
    by: User | None = None,
) -> B2BMeeting:
    """Put a meeting on a trip's agenda. The trip row is locked so that two meetings scheduled at the
    same moment (staff and an invitation answered by link) cannot both take one slot."""
    locked = Trip.objects.select_for_update().get(pk=trip.pk)
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
    )
    meeting.full_clean()
    meeting.save()
    return meeting
