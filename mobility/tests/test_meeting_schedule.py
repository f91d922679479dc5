"""Scheduling a B2B meeting: within the trip, after its start, never over another meeting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.meeting_time import BRUSSELS
from mobility.services_trips import b2b_meeting_schedule
from partners.tests.factories import BelgianCompanyFactory

from .factories import TripFactory

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2023, 5, day, hour, minute, tzinfo=BRUSSELS)


@pytest.fixture
def trip():
    return TripFactory(departs_on=datetime.date(2023, 5, 14), returns_on=datetime.date(2023, 5, 20))


def test_a_meeting_is_stored_as_an_instant_with_its_zone(trip):
    meeting = b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(16, 10), ends_at=at(16, 11))
    meeting.refresh_from_db()
    assert meeting.starts_at == at(16, 10)
    assert meeting.starts_at.astimezone(datetime.UTC).hour == 8  # 10:00 in Brussels in May is 08:00 UTC
    assert meeting.time_zone == "Europe/Brussels"


@pytest.mark.parametrize(
    ("starts", "ends", "field", "code"),
    [
        (at(16, 11), at(16, 10), "ends_at", "ends_before_start"),
        (at(13, 10), at(13, 11), "starts_at", "outside_trip"),
        (at(20, 23, 30), at(21, 0, 30), "starts_at", "outside_trip"),
        (at(16, 10, 30), at(16, 11, 30), "starts_at", "overlap"),
        (at(16, 9, 30), at(16, 12), "starts_at", "overlap"),
    ],
)
def test_bad_times_are_refused_with_a_message_on_the_field(trip, starts, ends, field, code):
    b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(16, 10), ends_at=at(16, 11))
    with pytest.raises(ValidationError) as caught:
        b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=starts, ends_at=ends)
    assert field in caught.value.message_dict
    assert caught.value.error_dict[field][0].code == code
    assert trip.meetings.count() == 1


def test_back_to_back_meetings_do_not_overlap(trip):
    b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(16, 10), ends_at=at(16, 11))
    b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(16, 11), ends_at=at(16, 12))
    assert trip.meetings.count() == 2


def test_another_trip_s_meeting_at_the_same_time_is_no_conflict(trip):
    other = TripFactory(departs_on=trip.departs_on, returns_on=trip.returns_on)
    b2b_meeting_schedule(trip=other, organisation=BelgianCompanyFactory(), starts_at=at(16, 10), ends_at=at(16, 11))
    b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(16, 10), ends_at=at(16, 11))
    assert timezone.is_aware(trip.meetings.get().starts_at)
