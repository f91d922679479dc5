"""An economic mission's title, written by staff, in French and English: each page shows the reader's
language, or the other one marked with its language, never silently the other (core.bilingual)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from accounts.tests.factories import UserFactory
from mobility.forms_trips import TripForm
from mobility.services_trips import trip_create

from .factories import EconomicMissionFactory, TripFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    return client


@pytest.fixture
def trip():
    mission = EconomicMissionFactory(title_fr="Mission économique à Bruxelles", title_en="Economic mission to Brussels")
    return TripFactory(
        mission=mission,
        application__cohort__programme=mission.programme,
        departs_on=datetime.date(2023, 5, 14),
        returns_on=datetime.date(2023, 5, 20),
    )


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("fr", "Mission économique à Bruxelles", "Economic mission to Brussels"),
        ("en", "Economic mission to Brussels", "Mission économique à Bruxelles"),
    ],
)
def test_the_trip_list_and_page_show_the_title_in_the_readers_language(staff_client, trip, language, shown, hidden):
    staff_client.cookies["django_language"] = language
    for url in (reverse("mobility:trip_list"), reverse("mobility:trip_detail", args=[trip.pk])):
        html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert shown in html and hidden not in html, url


def test_a_title_written_in_french_only_is_marked_on_an_english_page(staff_client, trip):
    trip.mission.title_en = ""
    trip.mission.save()
    staff_client.cookies["django_language"] = "en"

    html = staff_client.get(reverse("mobility:trip_detail", args=[trip.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<span lang="fr" class="other-language">Mission économique à Bruxelles</span>' in html
    assert "in French" in html


def test_the_mission_menu_and_the_date_error_name_the_mission_in_the_readers_language(trip):
    with translation.override("en"):
        choices = [label for _value, label in TripForm(trip=trip).fields["mission"].choices]
        assert "Economic mission to Brussels" in choices
        with pytest.raises(ValidationError) as refused:
            trip_create(
                application=trip.application,
                mission=trip.mission,
                departs_on=datetime.date(2023, 7, 1),
                returns_on=datetime.date(2023, 7, 5),
                by=None,
            )
    assert "Economic mission to Brussels" in str(refused.value)
    assert "Mission économique" not in str(refused.value)
