"""The pre-account takeover of issue [6], end to end: an attacker signs up first with the victim's address
and a password of their choosing; the victim later signs up too and opens the link. The attacker's
password never opens the account and the attacker never reads the victim's application."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cohorts.models import Application
from cohorts.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db

VICTIM = "awa.ndiaye@example.sn"
ATTACKER_PASSWORD = "attaquant-Choisi-2024"
VICTIM_PASSWORD = "baobab-Thies-2024"


def sign_up(client, capture, email: str, **extra):
    with capture(execute=True):
        return client.post(
            reverse("accounts:signup"),
            {"first_name": "Awa", "last_name": "Ndiaye", "email": email, "preferred_language": "fr", **extra},
        )


def links_to(mailoutbox, email: str) -> list[str]:
    return [
        re.search(r"(/accounts/signup/verify/\S+)", m.body).group(1)
        for m in mailoutbox
        if m.to == [email] and "/signup/verify/" in m.body
    ]


def log_in(client, email: str, password: str) -> bool:
    client.post(reverse("accounts:login"), {"username": email, "password": password})
    return client.get(reverse("home")).wsgi_request.user.is_authenticated


@pytest.mark.parametrize("victim_signs_up_again", [True, False], ids=["victim-signs-up-again", "victim-uses-first-link"])
def test_an_attacker_who_signed_up_first_with_the_victims_address_gets_nothing(
    mailoutbox, django_capture_on_commit_callbacks, victim_signs_up_again
):
    attacker, victim = Client(), Client()
    capture = django_capture_on_commit_callbacks

    # The attacker signs up with the victim's address and a password (a field the form no longer has).
    sign_up(attacker, capture, VICTIM, password1=ATTACKER_PASSWORD, password2=ATTACKER_PASSWORD)
    account = User.objects.get(email=VICTIM)
    assert not account.is_active and not account.has_usable_password()
    assert not log_in(attacker, VICTIM, ATTACKER_PASSWORD)

    # Days later the victim signs up (or opens the link they did not ask for) and chooses a password.
    if victim_signs_up_again:
        sign_up(victim, capture, VICTIM)
    link = links_to(mailoutbox, VICTIM)[-1]
    response = victim.post(
        link, {"first_name": "Awa", "last_name": "Ndiaye", "password1": VICTIM_PASSWORD, "password2": VICTIM_PASSWORD}
    )
    assert response.status_code == 302
    assert not victim.get(reverse("home")).wsgi_request.user.is_authenticated  # the link logged nobody in
    assert log_in(victim, VICTIM, VICTIM_PASSWORD)

    # The victim applies to a call.
    cohort = CohortFactory()
    victim.post(reverse("cohorts:application_start", kwargs={"cohort_pk": cohort.pk}))
    application = Application.objects.get(entrepreneur__user__email=VICTIM)

    # The attacker: their password fails, every link of the mailbox is dead, the application is out of reach.
    assert not log_in(attacker, VICTIM, ATTACKER_PASSWORD)
    for old_link in links_to(mailoutbox, VICTIM):
        attacker.post(
            old_link,
            {"first_name": "X", "last_name": "Y", "password1": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD},
        )
    assert not log_in(attacker, VICTIM, ATTACKER_PASSWORD)
    account.refresh_from_db()
    assert account.check_password(VICTIM_PASSWORD) and (account.first_name, account.last_name) == ("Awa", "Ndiaye")
    # Even with an account of their own, the attacker cannot open the victim's application.
    sign_up(attacker, capture, "attacker@example.org")
    attacker.post(
        links_to(mailoutbox, "attacker@example.org")[-1],
        {"first_name": "Eve", "last_name": "X", "password1": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD},
    )
    assert log_in(attacker, "attacker@example.org", ATTACKER_PASSWORD)
    for name in ("application_detail", "application_resume"):
        assert attacker.get(reverse(f"cohorts:{name}", kwargs={"pk": application.pk})).status_code == 404
