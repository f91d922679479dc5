"""Throttling: five wrong passwords lock that account from that client address for 15 minutes (site and
admin), somebody elsewhere cannot lock the person out, the lock lifts by itself; pages that send e-mails
(sign-up, new link, password reset) are limited per address and per client; logs name nobody."""

import datetime
import logging
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail, Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "awa.ndiaye@example.sn"
PASSWORD = "pw-for-tests-1"
LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


def attempt(client, password: str, *, url: str = LOGIN, email: str = EMAIL, ip: str = "198.51.100.7"):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return client.get(reverse("home")).wsgi_request.user.is_authenticated


def at(moment: datetime.datetime):
    """Move django-axes' clock (the attempt time it records and compares)."""
    return mock.patch("axes.handlers.proxy.now", return_value=moment)


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN], ids=["site", "admin"])
def test_five_wrong_passwords_lock_the_account_from_that_address_for_15_minutes(client, url):
    UserFactory(email=EMAIL, roles=[Role.STAFF])
    start = timezone.now()

    with at(start):
        for _ in range(4):
            assert attempt(client, "wrong", url=url).status_code == 200
        assert attempt(client, "wrong", url=url).status_code == 429  # the fifth failure locks
        locked = attempt(client, PASSWORD, url=url)
    assert locked.status_code == 429
    assert "Trop de tentatives de connexion" in locked.content.decode()
    assert not logged_in(client)

    # Fourteen minutes later, still locked, and a failure during the lock does not prolong it.
    with at(start + datetime.timedelta(minutes=14)):
        assert attempt(client, "wrong", url=url).status_code == 429
        assert attempt(client, PASSWORD, url=url).status_code == 429
    # Past the delay the right password works again.
    with at(start + datetime.timedelta(minutes=16)):
        assert attempt(client, PASSWORD, url=url).status_code == 302
    assert logged_in(client)


def test_an_attacker_elsewhere_cannot_lock_the_person_out(client):
    UserFactory(email=EMAIL)
    attacker = Client()
    for _ in range(10):
        attempt(attacker, "guess", ip="203.0.113.66")
    assert attempt(attacker, PASSWORD, ip="203.0.113.66").status_code == 429

    assert attempt(client, PASSWORD, ip="198.51.100.7").status_code == 302
    assert logged_in(client)


def test_the_lock_counts_the_address_whatever_its_case(client):
    UserFactory(email=EMAIL)
    for variant in ["AWA.ndiaye@example.sn", "awa.NDIAYE@example.sn", "Awa.Ndiaye@Example.SN", EMAIL, EMAIL.upper()]:
        attempt(client, "wrong", email=variant)
    assert attempt(client, PASSWORD).status_code == 429


def test_the_lockout_page_is_in_english_for_an_english_reader(client):
    UserFactory(email=EMAIL)
    client.cookies["django_language"] = "en"
    for _ in range(5):
        attempt(client, "wrong")
    page = attempt(client, PASSWORD).content.decode()
    assert "Too many login attempts" in page and "15 minutes" in page


def test_logins_and_refusals_are_logged_without_addresses_or_passwords(client, caplog):
    UserFactory(email=EMAIL)
    with caplog.at_level(logging.DEBUG):
        for _ in range(6):
            attempt(client, "secret-Guess-42")
        attempt(Client(), PASSWORD, ip="192.0.2.5")
    assert "AXES" in caplog.text
    for personal in (EMAIL, "198.51.100.7", "192.0.2.5", "secret-Guess-42", PASSWORD):
        assert personal not in caplog.text


def test_twenty_requests_for_a_new_link_send_at_most_three_emails(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email=EMAIL, is_active=False, awaiting_verification=True)

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(20):
            # From several addresses, so that the limit per address is what holds.
            client.post(reverse("accounts:signup_resend"), {"email": EMAIL}, REMOTE_ADDR=f"198.51.100.{n}")

    assert len(mailoutbox) == 3
    assert OutgoingEmail.objects.filter(to=EMAIL).count() == 3


def test_twenty_sign_ups_for_one_address_send_at_most_three_emails(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email=EMAIL)
    data = {"first_name": "A", "last_name": "B", "email": EMAIL, "preferred_language": "fr"}

    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(reverse("accounts:signup"), data, REMOTE_ADDR=f"198.51.100.{n}") for n in range(20)]

    assert {response.status_code for response in responses} == {302}
    assert len(mailoutbox) == 3


def test_twenty_password_resets_for_one_address_send_at_most_three_emails(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email=EMAIL)

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(20):
            client.post(reverse("accounts:password_reset"), {"email": EMAIL}, REMOTE_ADDR=f"198.51.100.{n}")

    assert len(mailoutbox) == 3


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("accounts:signup", {"first_name": "A", "last_name": "B", "preferred_language": "fr"}),
        ("accounts:signup_resend", {}),
        ("accounts:password_reset", {}),
    ],
)
def test_one_client_sending_to_many_addresses_is_stopped_with_a_clear_message(client, name, data):
    responses = [client.post(reverse(name), {**data, "email": f"person{n}@example.org"}) for n in range(11)]

    assert all(response.status_code == 302 for response in responses[:10])
    assert responses[10].status_code == 429
    assert "Trop de demandes depuis votre connexion" in responses[10].content.decode()


@pytest.mark.parametrize("name", ["accounts:signup", "accounts:signup_resend", "accounts:password_reset"])
def test_the_answer_takes_the_same_time_whether_the_address_has_an_account_or_not(client, settings, name):
    """Each branch is held until the same moment after the request arrived (the wait is recorded, not
    slept, so that a busy test machine cannot make this flaky)."""
    settings.ACCOUNT_EMAIL_ANSWER_SECONDS = 2.0
    UserFactory(email="active@example.sn")
    UserFactory(email="pending@example.sn", is_active=False, awaiting_verification=True)
    data = {"first_name": "A", "last_name": "B", "preferred_language": "fr"}

    def wait_given(email: str) -> float:
        waits = []
        with mock.patch("accounts.throttling.time.sleep", side_effect=waits.append):
            assert client.post(reverse(name), {**data, "email": email}).status_code == 302
        assert len(waits) == 1
        return waits[0]

    waits = [wait_given(email) for email in ("nobody@example.sn", "pending@example.sn", "active@example.sn")]

    # Every branch finished its work before the floor and was held until it: all answer at 2 s.
    assert all(0 < wait < 2.0 for wait in waits), waits


def test_one_address_trying_many_accounts_is_locked_for_every_account_but_nobody_else(client, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_CLIENT = 12
    victims = [UserFactory(email=f"person{n}@example.org") for n in range(7)]
    for victim in victims[:6]:
        attempt(client, "Senegal2024", email=victim.email, ip="203.0.113.9")
        attempt(client, "Dakar2024", email=victim.email, ip="203.0.113.9")

    # Two failures per account only, yet the address is locked, even with a right password.
    assert attempt(client, PASSWORD, email=victims[6].email, ip="203.0.113.9").status_code == 429
    assert attempt(Client(), PASSWORD, email=victims[6].email, ip="198.51.100.7").status_code == 302


def test_the_client_address_is_a_valid_address_or_none(settings):
    """Login records keep the address in an address column (PostgreSQL's inet): a request built in code
    (force_login) or a malformed forwarded header must give None or a real address, never text."""
    from django.http import HttpRequest
    from django.test import RequestFactory

    from accounts.throttling import client_ip

    assert client_ip(HttpRequest()) is None
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, <script>", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="bogus, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.9"
