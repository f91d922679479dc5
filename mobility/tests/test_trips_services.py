"""Trips, their costs and their meetings' outcomes, through the services every page uses."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cohorts.tests.factories import ApplicationFactory, CohortFactory
from core.meeting_time import BRUSSELS
from mobility.models import MeetingOutcome, TripStatus
from mobility.services_trips import (
    b2b_meeting_cancel,
    b2b_meeting_outcome_record,
    b2b_meeting_schedule,
    b2b_meeting_update,
    trip_cancel,
    trip_complete,
    trip_cost_add,
    trip_create,
    trip_update,
)
from partners.tests.factories import BelgianCompanyFactory

from .factories import EconomicMissionFactory, PartnershipFactory, TripFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2023, 5, day, hour, minute, tzinfo=BRUSSELS)


@pytest.fixture
def application():
    cohort = CohortFactory(travel_starts_on=D(2023, 5, 1), travel_ends_on=D(2023, 6, 30))
    return ApplicationFactory(cohort=cohort, submitted=True)


def code_of(caught, field: str) -> str:
    return caught.value.error_dict[field][0].code


def test_a_return_before_the_departure_is_refused(application):
    with pytest.raises(ValidationError) as caught:
        trip_create(application=application, departs_on=D(2023, 5, 20), returns_on=D(2023, 5, 19))
    assert code_of(caught, "returns_on") == "returns_before_departure"


def test_a_trip_inside_the_cohort_window_is_created(application):
    trip = trip_create(application=application, departs_on=D(2023, 5, 2), returns_on=D(2023, 5, 12), cities="Gand")
    assert trip.status == TripStatus.PLANNED and trip.cities == "Gand"


def test_a_trip_outside_the_cohort_window_is_refused_with_the_window_in_the_message(application):
    with pytest.raises(ValidationError) as caught:
        trip_create(application=application, departs_on=D(2023, 6, 25), returns_on=D(2023, 7, 5))
    assert code_of(caught, "departs_on") == "outside_window"
    assert "30/06/2023" in caught.value.message_dict["departs_on"][0]


def test_a_trip_follows_its_mission_give_or_take_the_travel_days(application):
    mission = EconomicMissionFactory(programme=application.cohort.programme, starts_on=D(2023, 5, 15), ends_on=D(2023, 5, 19))
    trip = trip_create(application=application, mission=mission, departs_on=D(2023, 5, 13), returns_on=D(2023, 5, 21))
    assert trip.mission == mission
    with pytest.raises(ValidationError) as caught:
        trip_create(application=application, mission=mission, departs_on=D(2023, 5, 2), returns_on=D(2023, 5, 12))
    assert code_of(caught, "departs_on") == "outside_mission"
    assert mission.title in caught.value.message_dict["departs_on"][0]


def test_a_mission_of_another_programme_is_refused(application):
    with pytest.raises(ValidationError) as caught:
        trip_create(
            application=application, mission=EconomicMissionFactory(), departs_on=D(2023, 5, 15), returns_on=D(2023, 5, 18)
        )
    assert code_of(caught, "mission") == "other_programme"


def test_new_dates_must_keep_the_agenda_inside_the_trip(application):
    trip = trip_create(application=application, departs_on=D(2023, 5, 14), returns_on=D(2023, 5, 20))
    b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(19, 10), ends_at=at(19, 11))
    with pytest.raises(ValidationError) as caught:
        trip_update(trip=trip, departs_on=D(2023, 5, 14), returns_on=D(2023, 5, 18))
    assert code_of(caught, "departs_on") == "meetings_outside"
    trip_update(trip=trip, departs_on=D(2023, 5, 15), returns_on=D(2023, 5, 22), cities="Liège")
    trip.refresh_from_db()
    assert (trip.departs_on, trip.cities) == (D(2023, 5, 15), "Liège")


def test_a_trip_is_completed_or_cancelled_once():
    trip = TripFactory()
    trip_complete(trip=trip, today=D(2023, 6, 1))
    with pytest.raises(ValidationError):
        trip_cancel(trip=trip)
    trip.refresh_from_db()
    assert trip.status == TripStatus.COMPLETED


def test_a_trip_that_has_not_started_is_not_completed():
    with pytest.raises(ValidationError):
        trip_complete(trip=TripFactory(), today=D(2023, 5, 1))


def test_a_cost_in_cfa_francs_is_converted_at_the_fixed_parity():
    trip = TripFactory()
    cost = trip_cost_add(trip=trip, category="per_diem", amount=Decimal("655957"), currency="XOF")
    cost.refresh_from_db()
    assert cost.amount_eur == Decimal("1000.00")
    other = trip_cost_add(trip=trip, category="per_diem", amount=Decimal("100000"), currency="XOF")
    other.refresh_from_db()
    assert other.amount_eur == Decimal("152.45")  # 100,000 / 655.957, to the cent
    euros = trip_cost_add(trip=trip, category="flight", amount=Decimal("650"), currency="EUR")
    euros.refresh_from_db()
    assert euros.amount_eur == Decimal("650.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "USD"}, "currency"),
        ({"currency": ""}, "currency"),
        ({"category": "party"}, "category"),
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-5")}, "amount"),
    ],
)
def test_a_bad_cost_is_refused_on_its_field(changes, field):
    data = {"category": "flight", "amount": Decimal("650"), "currency": "EUR", **changes}
    with pytest.raises(ValidationError) as caught:
        trip_cost_add(trip=TripFactory(), **data)
    assert field in caught.value.message_dict


def test_a_meeting_moved_is_checked_against_the_others_not_itself():
    trip = TripFactory()
    company = BelgianCompanyFactory()
    first = b2b_meeting_schedule(trip=trip, organisation=company, starts_at=at(16, 10), ends_at=at(16, 11))
    b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(16, 14), ends_at=at(16, 15))
    b2b_meeting_update(meeting=first, organisation=company, starts_at=at(16, 10, 30), ends_at=at(16, 11, 30), place="Rue Haute 3")
    first.refresh_from_db()
    assert first.starts_at == at(16, 10, 30) and first.place == "Rue Haute 3"
    with pytest.raises(ValidationError) as caught:
        b2b_meeting_update(meeting=first, organisation=company, starts_at=at(16, 14, 30), ends_at=at(16, 15, 30))
    assert code_of(caught, "starts_at") == "overlap"


def test_a_contact_of_another_company_is_refused():
    from partners.tests.factories import OrganisationContactFactory

    with pytest.raises(ValidationError) as caught:
        b2b_meeting_schedule(
            trip=TripFactory(),
            organisation=BelgianCompanyFactory(),
            contact=OrganisationContactFactory(),
            starts_at=at(16, 10),
            ends_at=at(16, 11),
        )
    assert "contact" in caught.value.message_dict


def test_no_interest_is_the_outcome_no_interest():
    meeting = b2b_meeting_schedule(
        trip=TripFactory(), organisation=BelgianCompanyFactory(), starts_at=at(16, 10), ends_at=at(16, 11)
    )
    b2b_meeting_outcome_record(meeting=meeting, interest_level="none")
    meeting.refresh_from_db()
    assert meeting.outcome == MeetingOutcome.NO_INTEREST
    with pytest.raises(ValidationError) as caught:
        b2b_meeting_outcome_record(meeting=meeting, interest_level="high", outcome="no_interest")
    assert "interest_level" in caught.value.message_dict


def test_an_outcome_with_a_next_step_names_who_carries_it():
    meeting = b2b_meeting_schedule(
        trip=TripFactory(), organisation=BelgianCompanyFactory(), starts_at=at(16, 10), ends_at=at(16, 11)
    )
    with pytest.raises(ValidationError) as caught:
        b2b_meeting_outcome_record(meeting=meeting, interest_level="high", next_step="Envoyer une offre")
    assert "next_step_owner" in caught.value.message_dict
    b2b_meeting_outcome_record(
        meeting=meeting,
        interest_level="high",
        outcome="follow_up",
        next_step="Envoyer une offre",
        next_step_owner="entrepreneur",
        next_step_due=D(2023, 6, 1),
    )
    meeting.refresh_from_db()
    assert (meeting.interest_level, meeting.next_step_owner) == ("high", "entrepreneur")


def test_the_outcome_waits_for_the_meeting():
    meeting = b2b_meeting_schedule(
        trip=TripFactory(), organisation=BelgianCompanyFactory(), starts_at=at(16, 10), ends_at=at(16, 11)
    )
    with pytest.raises(ValidationError):
        b2b_meeting_outcome_record(meeting=meeting, interest_level="low", now=at(15, 10))


def test_a_meeting_held_or_that_led_to_a_partnership_is_not_cancelled():
    trip = TripFactory()
    held = b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(16, 10), ends_at=at(16, 11))
    b2b_meeting_outcome_record(meeting=held, interest_level="low")
    with pytest.raises(ValidationError):
        b2b_meeting_cancel(meeting=held)
    linked = b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(17, 10), ends_at=at(17, 11))
    PartnershipFactory(application=trip.application, organisation=linked.organisation, meeting=linked)
    with pytest.raises(ValidationError):
        b2b_meeting_cancel(meeting=linked)
    free = b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(18, 10), ends_at=at(18, 11))
    b2b_meeting_cancel(meeting=free)
    assert list(trip.meetings.order_by("pk")) == [held, linked]


def test_a_cancelled_trip_takes_no_new_meeting():
    trip = TripFactory(status=TripStatus.CANCELLED)
    with pytest.raises(ValidationError):
        b2b_meeting_schedule(trip=trip, organisation=BelgianCompanyFactory(), starts_at=at(16, 10), ends_at=at(16, 11))
