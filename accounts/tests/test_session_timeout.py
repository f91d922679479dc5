"""Sessions end ([6] item 5): after 30 minutes without a request for staff, evaluators and the committee,
after 8 hours for the others, and 12 hours after logging in whatever the activity; the person lands on the
login page with a message in their language. Password-reset links live one hour."""

import datetime
import time
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.translation.reloader import translation_file_changed

from accounts.models import Role
from accounts.tests.factories import UserFactory
from scripts.compile_translations import compile_all

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 3600


class Clock:
    """The middleware's clock, moved forward by the test."""

    def __init__(self):
        self.now = time.time()

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("accounts.middleware.time.time", side_effect=lambda: clock.now):
        yield clock


def logged_in(client, *roles):
    client.force_login(UserFactory(roles=list(roles)))
    page = reverse("accounts:password_change")
    assert client.get(page).status_code == 200  # the login started the clocks
    return page


def is_logged_out(response, page: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.STAFF, Role.EVALUATOR, Role.COMMITTEE])
def test_a_sensitive_role_is_logged_out_after_30_idle_minutes(client, clock, role):
    page = logged_in(client, role)

    clock.advance(29 * MINUTE)
    assert client.get(page).status_code == 200
    clock.advance(29 * MINUTE)  # active 29 minutes ago: still in
    assert client.get(page).status_code == 200
    clock.advance(31 * MINUTE)
    response = client.get(page)

    assert is_logged_out(response, page)
    assert response["Location"] == reverse("accounts:login") + "?next=%2Faccounts%2Fpassword%2Fchange%2F"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "Votre session a expiré après une période d&#x27;inactivité" in login_page


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.COACH, Role.REVIEWER])
def test_other_roles_stay_logged_in_for_8_idle_hours(client, clock, role):
    page = logged_in(client, role)

    clock.advance(7 * HOUR + 59 * MINUTE)
    assert client.get(page).status_code == 200
    clock.advance(8 * HOUR + MINUTE)

    assert is_logged_out(client.get(page), page)


def test_a_session_ends_12_hours_after_the_login_even_when_active(client, clock):
    page = logged_in(client, Role.ENTREPRENEUR)

    for _hour in range(11):
        clock.advance(HOUR)
        assert client.get(page).status_code == 200
    clock.advance(HOUR + MINUTE)
    response = client.get(page)

    assert is_logged_out(response, page)
    assert "durée maximale" in client.get(response["Location"]).content.decode()


@pytest.fixture
def compiled_translations():
    """The .mo files are build products (git-ignored): compile them, then drop Django's cached catalogues."""
    compile_all()
    translation_file_changed(sender=None, file_path=Path("django.mo"))


def test_the_message_is_in_the_persons_language(client, clock, compiled_translations):
    client.cookies["django_language"] = "en"
    page = logged_in(client, Role.STAFF)

    clock.advance(31 * MINUTE)
    response = client.get(page, follow=True)

    assert "Your session expired after a period of inactivity" in response.content.decode()


def test_an_idle_admin_session_goes_back_to_the_admin_login(client, clock):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    assert client.get(reverse("admin:index")).status_code == 200

    clock.advance(31 * MINUTE)
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_htmx_request_after_the_timeout_reloads_the_whole_login_page(client, clock):
    page = logged_in(client, Role.STAFF)

    clock.advance(31 * MINUTE)
    response = client.get(page, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_activity_is_written_to_the_session_at_most_once_a_minute(client, clock):
    page = logged_in(client, Role.STAFF)
    seen = client.session["pem_session_seen"]

    clock.advance(30)
    client.get(page)
    assert client.session["pem_session_seen"] == seen
    clock.advance(31)
    client.get(page)
    assert client.session["pem_session_seen"] == clock.now


def test_a_password_reset_link_is_valid_one_hour():
    user = UserFactory()
    token = default_token_generator.make_token(user)
    now = datetime.datetime.now()

    with mock.patch.object(default_token_generator, "_now", return_value=now + datetime.timedelta(minutes=59)):
        assert default_token_generator.check_token(user, token)
    with mock.patch.object(default_token_generator, "_now", return_value=now + datetime.timedelta(minutes=61)):
        assert not default_token_generator.check_token(user, token)
