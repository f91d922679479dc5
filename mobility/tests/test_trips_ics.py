"""The trip's agenda as an .ics file: Brussels time with its zone, one stable UID per meeting, and the
text properly escaped (a company name with a comma or a line break must not break the file)."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from accounts.models import Role
from accounts.tests.factories import UserFactory
from core.meeting_time import BRUSSELS
from partners.tests.factories import BelgianCompanyFactory, OrganisationContactFactory

from .factories import B2BMeetingFactory, TripFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip():
    return TripFactory(departs_on=datetime.date(2023, 5, 14), returns_on=datetime.date(2023, 5, 20))


def download(client, trip) -> bytes:
    client.force_login(UserFactory(roles=[Role.STAFF]))
    response = client.get(reverse("mobility:trip_ics", args=[trip.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def test_each_meeting_is_an_event_in_brussels_time_with_its_own_uid(client, trip):
    first = B2BMeetingFactory(
        trip=trip,
        starts_at=datetime.datetime(2023, 5, 16, 10, 0, tzinfo=BRUSSELS),
        ends_at=datetime.datetime(2023, 5, 16, 11, 15, tzinfo=BRUSSELS),
        place="Rue Haute 3",
        city="Bruxelles",
    )
    second = B2BMeetingFactory(
        trip=trip,
        starts_at=datetime.datetime(2023, 5, 17, 9, 0, tzinfo=datetime.UTC),  # 11:00 in Brussels
        ends_at=datetime.datetime(2023, 5, 17, 10, 0, tzinfo=datetime.UTC),
    )
    content = download(client, trip)
    text = content.decode()
    assert "DTSTART;TZID=Europe/Brussels:20230516T100000" in text
    assert "DTEND;TZID=Europe/Brussels:20230516T111500" in text
    assert "DTSTART;TZID=Europe/Brussels:20230517T110000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Brussels" in text
    events = Calendar.from_ical(content).walk("VEVENT")
    uids = {str(event["UID"]) for event in events}
    assert len(uids) == 2 and all(str(m.pk) in " ".join(uids) for m in (first, second))
    assert {str(event["LOCATION"]) for event in events} >= {"Rue Haute 3, Bruxelles"}
    # The same meeting keeps its UID from one download to the next (calendars update, not double).
    assert uids == {str(event["UID"]) for event in Calendar.from_ical(download(client, trip)).walk("VEVENT")}


def test_commas_semicolons_and_line_breaks_are_escaped(client, trip):
    company = BelgianCompanyFactory(name="Dupont, Fils; & Cie\nBruxelles")
    B2BMeetingFactory(
        trip=trip,
        organisation=company,
        contact=OrganisationContactFactory(organisation=company, full_name="Anne, Marie"),
        attendees="A\nB",
    )
    content = download(client, trip)
    text = content.decode()
    assert r"Dupont\, Fils\; & Cie\nBruxelles" in text.replace("\r\n ", "")
    assert "\nBruxelles" not in text.replace("\r\n", "")  # no raw line break inside a property
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert "Dupont, Fils; & Cie\nBruxelles" in str(event["SUMMARY"])
    assert "Anne, Marie" in str(event["DESCRIPTION"]) and "A\nB" in str(event["DESCRIPTION"])


def test_the_description_gives_the_dakar_time_beside(client, trip):
    B2BMeetingFactory(
        trip=trip,
        starts_at=datetime.datetime(2023, 5, 16, 10, 0, tzinfo=BRUSSELS),
        ends_at=datetime.datetime(2023, 5, 16, 11, 0, tzinfo=BRUSSELS),
    )
    event = Calendar.from_ical(download(client, trip)).walk("VEVENT")[0]
    assert "10:00 heure de Bruxelles (08:00 à Dakar)" in str(event["DESCRIPTION"])
