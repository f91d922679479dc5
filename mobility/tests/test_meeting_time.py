"""B2B meeting times carry their zone: Brussels, with Dakar's time beside it, in the admin and wherever a
meeting is named."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from core.meeting_time import BRUSSELS, meeting_time
from mobility.tests.factories import B2BMeetingFactory

#: 9:00 in Brussels in summer (UTC+2) is 7:00 in Dakar (UTC+0).
NINE_IN_BRUSSELS = datetime.datetime(2024, 6, 12, 9, 0, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "12 juin 2024, 09:00 heure de Bruxelles (07:00 à Dakar)"),
        ("en", "12 June 2024, 09:00 Brussels time (07:00 in Dakar)"),
    ],
)
def test_a_meeting_time_is_shown_in_brussels_with_dakar_beside_it(language, expected):
    with translation.override(language):
        assert meeting_time(NINE_IN_BRUSSELS) == expected
        assert Template("{% load meeting_time %}{{ t|meeting_time }}").render(Context({"t": NINE_IN_BRUSSELS})) == expected


def test_the_dakar_date_is_given_when_it_is_another_day():
    half_past_midnight = datetime.datetime(2024, 1, 10, 0, 30, tzinfo=BRUSSELS)  # 23:30 the day before in Dakar

    with translation.override("fr"):
        assert meeting_time(half_past_midnight) == "10 janvier 2024, 00:30 heure de Bruxelles (9 janvier 23:30 à Dakar)"


@pytest.mark.django_db
def test_the_admin_lists_meetings_with_both_times(client):
    meeting = B2BMeetingFactory(starts_at=NINE_IN_BRUSSELS)
    admin = UserFactory(is_staff=True, is_superuser=True, preferred_language="fr")
    client.force_login(admin)

    listing = client.get(reverse("admin:mobility_b2bmeeting_changelist")).content.decode()
    trip = client.get(reverse("admin:mobility_trip_change", args=[meeting.trip_id])).content.decode()

    assert "09:00 heure de Bruxelles (07:00 à Dakar)" in listing
    assert "09:00 heure de Bruxelles (07:00 à Dakar)" in trip
    assert str(meeting).endswith("12 juin 2024, 09:00 heure de Bruxelles (07:00 à Dakar)")
