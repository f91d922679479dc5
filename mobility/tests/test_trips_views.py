"""The trip pages: staff's trip page and forms (bad input keeps what was typed), the lists (constant
queries), the entrepreneur's own trip and the .ics downloads."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationFactory
from core.meeting_time import BRUSSELS
from mobility.models import B2BMeeting, TripCost
from partners.tests.factories import BelgianCompanyFactory, EntrepreneurFactory

from .factories import B2BMeetingFactory, TripCostFactory, TripFactory

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2023, 5, day, hour, minute, tzinfo=BRUSSELS)


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    return client


@pytest.fixture
def trip():
    return TripFactory(departs_on=datetime.date(2023, 5, 14), returns_on=datetime.date(2023, 5, 20))


def meeting_post(company, **changes) -> dict:
    return {
        "organisation": company.pk,
        "contact": "",
        "day": "2023-05-16",
        "start": "10:30",
        "end": "11:30",
        "time_zone": "Europe/Brussels",
        "city": "Liège",
        "place": "Quai de la Batte 10",
        "attendees": "Awa Ndiaye ; M. Dupont",
        **changes,
    }


def test_staff_adds_a_meeting_typed_in_brussels_time(staff_client, trip):
    company = BelgianCompanyFactory()
    response = staff_client.post(reverse("mobility:meeting_add", args=[trip.pk]), meeting_post(company))
    assert response.status_code == 302
    meeting = B2BMeeting.objects.get(trip=trip)
    assert (meeting.starts_at, meeting.ends_at) == (at(16, 10, 30), at(16, 11, 30))
    assert meeting.attendees == "Awa Ndiaye ; M. Dupont"


def test_a_time_typed_in_dakar_time_is_stored_as_that_instant(staff_client, trip):
    company = BelgianCompanyFactory()
    staff_client.post(reverse("mobility:meeting_add", args=[trip.pk]), meeting_post(company, time_zone="Africa/Dakar"))
    meeting = B2BMeeting.objects.get(trip=trip)
    assert meeting.starts_at == at(16, 12, 30)  # 10:30 in Dakar (UTC) is 12:30 in Brussels in May


def test_an_overlapping_meeting_is_refused_and_the_form_keeps_the_input(staff_client, trip):
    B2BMeetingFactory(
        trip=trip, organisation=BelgianCompanyFactory(name="Brasserie Dupont"), starts_at=at(16, 10), ends_at=at(16, 11)
    )
    company = BelgianCompanyFactory()
    response = staff_client.post(reverse("mobility:meeting_add", args=[trip.pk]), meeting_post(company))
    assert response.status_code == 200
    page = response.content.decode()
    assert "chevauche le rendez-vous avec Brasserie Dupont" in page
    assert 'value="Quai de la Batte 10"' in page and 'value="10:30"' in page and "Awa Ndiaye ; M. Dupont" in page
    assert B2BMeeting.objects.filter(trip=trip).count() == 1


def test_a_meeting_that_ends_before_it_starts_is_refused_under_the_end(staff_client, trip):
    response = staff_client.post(
        reverse("mobility:meeting_add", args=[trip.pk]), meeting_post(BelgianCompanyFactory(), start="11:00", end="10:00")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end"]


def test_garbage_in_the_meeting_form_is_a_message_not_a_500(staff_client, trip):
    response = staff_client.post(
        reverse("mobility:meeting_add", args=[trip.pk]),
        meeting_post(BelgianCompanyFactory(), day="16/13/2023", start="25:99", time_zone="Mars/Olympus", organisation="x"),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"day", "start", "time_zone", "organisation"}


def test_staff_edits_a_meeting_and_records_its_outcome(staff_client, trip):
    meeting = B2BMeetingFactory(trip=trip, starts_at=at(16, 10), ends_at=at(16, 11))
    response = staff_client.post(
        reverse("mobility:meeting_edit", args=[meeting.pk]), meeting_post(meeting.organisation, start="10:00", end="12:00")
    )
    assert response.status_code == 302
    response = staff_client.post(
        reverse("mobility:meeting_outcome", args=[meeting.pk]),
        {
            "interest_level": "high",
            "outcome": "follow_up",
            "next_step": "Offre",
            "next_step_owner": "company",
            "next_step_due": "",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.ends_at, meeting.interest_level, meeting.next_step_owner) == (at(16, 12), "high", "company")


def test_an_inconsistent_outcome_is_refused_and_kept(staff_client, trip):
    meeting = B2BMeetingFactory(trip=trip)
    response = staff_client.post(
        reverse("mobility:meeting_outcome", args=[meeting.pk]),
        {"interest_level": "high", "outcome": "no_interest", "next_step": "Relancer en juin"},
    )
    assert response.status_code == 200
    assert "Relancer en juin" in response.content.decode()
    assert response.context["form"].errors["interest_level"]


def test_a_cost_in_cfa_francs_shows_in_euros_on_the_trip_page(staff_client, trip):
    response = staff_client.post(
        reverse("mobility:cost_add", args=[trip.pk]),
        {"category": "per_diem", "amount": "405000", "currency": "XOF", "date": "", "note": "9 jours"},
    )
    assert response.status_code == 302
    assert TripCost.objects.get(trip=trip).amount_eur == Decimal("617.42")
    page = staff_client.get(reverse("mobility:trip_detail", args=[trip.pk])).content.decode()
    assert "405\u202f000\xa0FCFA" in page or "405 000\xa0FCFA" in page or "405\xa0000\xa0FCFA" in page
    assert "617\xa0€" in page


def test_an_unknown_currency_is_refused_and_the_amount_kept(staff_client, trip):
    response = staff_client.post(
        reverse("mobility:cost_add", args=[trip.pk]), {"category": "flight", "amount": "650", "currency": "USD", "note": "Vol"}
    )
    assert response.status_code == 200
    assert "Devise inconnue" in response.content.decode()
    assert 'value="650"' in response.content.decode()
    assert not TripCost.objects.exists()


def test_staff_removes_a_cost(staff_client):
    cost = TripCostFactory()
    assert staff_client.post(reverse("mobility:cost_remove", args=[cost.pk])).status_code == 302
    assert not TripCost.objects.exists()


def test_a_trip_outside_the_window_is_refused_on_the_form(staff_client):
    from cohorts.tests.factories import CohortFactory

    cohort = CohortFactory(travel_starts_on=datetime.date(2023, 5, 1), travel_ends_on=datetime.date(2023, 5, 31))
    application = ApplicationFactory(cohort=cohort, status="selected", submitted=True)
    data = {
        "application": application.pk,
        "mission": "",
        "departs_on": "2023-06-10",
        "returns_on": "2023-06-20",
        "cities": "Namur",
    }
    response = staff_client.post(reverse("mobility:trip_create"), data)
    assert response.status_code == 200
    assert "fenêtre de voyage" in response.content.decode()
    assert 'value="Namur"' in response.content.decode()
    data.update(departs_on="2023-05-10", returns_on="2023-05-09")
    response = staff_client.post(reverse("mobility:trip_create"), data)
    assert "Le retour ne peut pas précéder le départ." in response.content.decode()
    data.update(departs_on="2023-05-10", returns_on="2023-05-20")
    assert staff_client.post(reverse("mobility:trip_create"), data).status_code == 302


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _trips_with_meetings_and_costs(n: int) -> None:
    for _ in range(n):
        trip = TripFactory()
        B2BMeetingFactory(trip=trip)
        TripCostFactory(trip=trip)


def test_the_trip_list_takes_the_same_queries_for_3_and_30_trips(staff_client, django_assert_num_queries):
    url = reverse("mobility:trip_list")
    _trips_with_meetings_and_costs(3)
    # the request's savepoint and its release (ATOMIC_REQUESTS), session, user, user's groups; the count;
    # cohorts and missions for the filter form; the page of trips (meeting count and costs as subqueries)
    first = _queries(staff_client, url)
    assert first == 9
    _trips_with_meetings_and_costs(27)
    with django_assert_num_queries(first):
        staff_client.get(url)


def test_the_meeting_list_takes_the_same_queries_for_3_and_30_meetings(staff_client, django_assert_num_queries):
    url = reverse("mobility:meeting_list")
    for _ in range(3):
        B2BMeetingFactory()
    # the request's savepoint and its release, session, user, user's groups; the count; programmes, cohorts
    # and missions for the filters; the page's meeting ids (date order); those meetings with their company,
    # contact, entrepreneur and cohort joined
    first = _queries(staff_client, url)
    assert first == 11
    for _ in range(27):
        B2BMeetingFactory()
    with django_assert_num_queries(first):
        staff_client.get(url)


def test_the_trip_page_takes_the_same_queries_for_3_and_30_meetings(staff_client, trip, django_assert_num_queries):
    url = reverse("mobility:trip_detail", args=[trip.pk]) + "?vue=semaine"
    for day in (15, 16, 17):
        B2BMeetingFactory(trip=trip, starts_at=at(day, 9), ends_at=at(day, 10))
    TripCostFactory(trip=trip)
    # the request's savepoint and its release, session, user, user's groups; the trip with its figures;
    # its meetings (company and contact joined); its costs
    first = _queries(staff_client, url)
    assert first == 8
    for n in range(27):
        B2BMeetingFactory(trip=trip, starts_at=at(14 + n % 6, 11 + n // 6), ends_at=at(14 + n % 6, 11 + n // 6, 45))
        TripCostFactory(trip=trip, currency="XOF", amount=Decimal("10000"))
    with django_assert_num_queries(first):
        staff_client.get(url)


def test_the_meeting_list_filters_by_cohort_and_day(staff_client):
    kept = B2BMeetingFactory(starts_at=at(16, 10), ends_at=at(16, 11))
    B2BMeetingFactory(
        trip=TripFactory(application=ApplicationFactory(cohort=kept.trip.application.cohort)),
        starts_at=at(18, 10),
        ends_at=at(18, 11),
    )
    B2BMeetingFactory(starts_at=at(16, 10), ends_at=at(16, 11))
    response = staff_client.get(
        reverse("mobility:meeting_list"),
        {"cohort": kept.trip.application.cohort_id, "starts_from": "2023-05-16", "starts_until": "2023-05-16"},
    )
    assert list(response.context["page"].object_list) == [kept]


def test_the_entrepreneur_sees_their_own_trip_and_agenda_only(client):
    mine = B2BMeetingFactory(organisation=BelgianCompanyFactory(name="Chocolaterie Mine"))
    B2BMeetingFactory(organisation=BelgianCompanyFactory(name="Brasserie Autre"))
    client.force_login(mine.trip.application.entrepreneur.user)
    page = client.get(reverse("mobility:my_trip")).content.decode()
    assert "Chocolaterie Mine" in page and "Brasserie Autre" not in page
    assert "heure de Bruxelles" in page and "à Dakar" in page
    assert reverse("mobility:meeting_edit", args=[mine.pk]) not in page
    assert client.get(reverse("mobility:my_trip_ics", args=[mine.trip_id])).status_code == 200


def test_another_entrepreneur_gets_a_404_for_the_agenda_file(client):
    trip = TripFactory()
    client.force_login(EntrepreneurFactory().user)
    assert client.get(reverse("mobility:my_trip_ics", args=[trip.pk])).status_code == 404
    assert "Aucun voyage" in client.get(reverse("mobility:my_trip")).content.decode()


@pytest.mark.parametrize("role", [Role.COACH, Role.COMMITTEE, Role.EVALUATOR, Role.REVIEWER])
def test_other_roles_get_a_404_on_the_trip_page_and_its_file(client, role):
    trip = TripFactory()
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("mobility:trip_detail", args=[trip.pk])).status_code == 404
    assert client.get(reverse("mobility:trip_ics", args=[trip.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    trip = TripFactory()
    for name in ("mobility:trip_detail", "mobility:trip_ics", "mobility:my_trip_ics"):
        response = client.get(reverse(name, args=[trip.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
