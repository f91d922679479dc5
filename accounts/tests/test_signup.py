"""Sign-up with e-mail verification: an inactive entrepreneur account without a password, a link valid
three days with which the holder of the mailbox chooses the password, once; nobody is logged in by the
link; bad links get a clear page; the answer is the same whether the address has an account or not."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import OutgoingEmail, Role
from accounts.services import email_verification_token
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

SIGNUP = reverse("accounts:signup")


def form_data(**overrides) -> dict:
    return {
        "first_name": "Awa",
        "last_name": "Ndiaye",
        "email": "Awa.Ndiaye@Example.sn",
        "preferred_language": "en",
        **overrides,
    }


def sign_up(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(SIGNUP, form_data(**overrides))


PASSWORD = "baobab-Thies-2024"


def complete(client, link: str, password: str = PASSWORD, **overrides):
    """Open the verification link and choose the password on the page it shows."""
    return client.post(
        link, {"first_name": "Awa", "last_name": "Ndiaye", "password1": password, "password2": password, **overrides}
    )


def main_text(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_signing_up_creates_an_inactive_entrepreneur_and_emails_a_link(client, mailoutbox, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get()
    assert user.email == "awa.ndiaye@example.sn"
    assert (user.first_name, user.last_name, user.preferred_language) == ("Awa", "Ndiaye", "en")
    assert not user.is_active
    assert user.role_names == {Role.ENTREPRENEUR}
    assert user.awaiting_verification and not user.has_usable_password()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["awa.ndiaye@example.sn"]
    assert OutgoingEmail.objects.get().language == "en"
    assert "/accounts/signup/verify/" in link_in(mailoutbox[0])


def test_the_link_lets_the_owner_choose_the_password_then_log_in_and_go_to_the_call(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{SIGNUP}?next=/appels/7/", form_data())
    link = path_of(link_in(mailoutbox[0]))

    assert "Choisir mon mot de passe" in client.get(link).content.decode()
    response = complete(client, link, last_name="Ndiaye Sarr")

    login_url = reverse("accounts:login")
    assert response.status_code == 302 and response["Location"] == f"{login_url}?next=%2Fappels%2F7%2F"
    user = User.objects.get()
    assert user.is_active and not user.awaiting_verification and user.last_name == "Ndiaye Sarr"
    # The link logged nobody in: the person logs in with the password they chose.
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    response = client.post(f"{login_url}?next=/appels/7/", {"username": "awa.ndiaye@example.sn", "password": PASSWORD})
    assert response["Location"] == "/appels/7/"


def test_a_link_works_only_once(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = path_of(link_in(mailoutbox[0]))
    complete(client, link)

    response = client.get(link)
    assert response.status_code == 200
    assert "déjà servi" in response.content.decode()
    complete(client, link, password="autre-Mot-2024x")
    assert User.objects.get().check_password(PASSWORD)


def test_a_weak_or_mismatched_password_is_a_form_error_and_activates_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = path_of(link_in(mailoutbox[0]))

    assert "ne correspondent pas" in complete(client, link, password2="autre-chose-2024").content.decode()
    assert complete(client, link, password="12345678").status_code == 200
    assert not User.objects.get().is_active


def test_an_expired_link_shows_a_page_not_an_error(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = path_of(link_in(mailoutbox[0]))

    four_days_later = datetime.datetime.now() + datetime.timedelta(days=4)
    with mock.patch.object(email_verification_token, "_now", return_value=four_days_later):
        response = client.get(link)
        complete(client, link)

    assert response.status_code == 200
    assert "expiré" in response.content.decode()
    assert not User.objects.get().is_active


def test_a_link_is_still_valid_after_two_days_whatever_the_reset_links_lifetime(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    sign_up(client, django_capture_on_commit_callbacks)
    two_days_later = datetime.datetime.now() + datetime.timedelta(days=2)
    with mock.patch.object(email_verification_token, "_now", return_value=two_days_later):
        complete(client, path_of(link_in(mailoutbox[0])))
    assert User.objects.get().is_active


@pytest.mark.parametrize(
    "tamper",
    [
        lambda path: path[:-3] + ("aaa/" if not path.endswith("aaa/") else "bbb/"),  # token altered
        lambda path: re.sub(r"verify/[^/]+/", "verify/OTk5OTk/", path),  # another user id
        lambda path: re.sub(r"verify/[^/]+/", "verify/%%%/", path),  # garbage id
    ],
)
def test_a_tampered_link_shows_a_page_not_an_error(tamper, client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)

    response = client.get(tamper(path_of(link_in(mailoutbox[0]))))

    assert response.status_code == 200
    assert "pas valable" in response.content.decode()
    assert not User.objects.get().is_active


def test_a_password_reset_token_does_not_verify_an_account(client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = UserFactory(is_active=False)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    client.get(reverse("accounts:signup_verify", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}))
    user.refresh_from_db()
    assert not user.is_active


def test_an_address_with_an_account_gets_the_same_page_and_an_email_saying_so(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="awa.ndiaye@example.sn", first_name="Awa", preferred_language="fr")

    existing = sign_up(client, django_capture_on_commit_callbacks, email="AWA.NDIAYE@example.SN")
    existing_page = main_text(client.get(existing["Location"]).content.decode())
    new = sign_up(client, django_capture_on_commit_callbacks, email="moussa@example.sn")
    new_page = main_text(client.get(new["Location"]).content.decode())

    assert existing.status_code == new.status_code == 302 and existing["Location"] == new["Location"]
    assert existing_page.replace("awa.ndiaye@example.sn", "X") == new_page.replace("moussa@example.sn", "X")
    assert [m.to for m in mailoutbox] == [["awa.ndiaye@example.sn"], ["moussa@example.sn"]]
    assert "vous en avez déjà un" in mailoutbox[0].body and "/accounts/password/reset/" in mailoutbox[0].body
    owner.refresh_from_db()
    assert owner.check_password("pw-for-tests-1") and owner.first_name == "Awa"


def test_a_signup_racing_another_one_with_the_same_address_is_no_error(client):
    def racing_save(self, *args, **kwargs):
        raise IntegrityError("user_email_ci_unique")

    with mock.patch.object(User, "save", racing_save):
        response = client.post(SIGNUP, form_data())

    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup_done")


def test_an_unsafe_next_is_dropped(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{SIGNUP}?next=https://evil.example/", form_data())
    assert "evil" not in mailoutbox[0].body
    response = complete(client, path_of(link_in(mailoutbox[0])))
    assert response["Location"] == reverse("accounts:login")


def test_an_unverified_signup_cannot_log_in_at_all(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)

    response = client.post(reverse("accounts:login"), {"username": "awa.ndiaye@example.sn", "password": ""})
    assert not response.wsgi_request.user.is_authenticated


def test_a_new_link_can_be_requested_and_the_answer_reveals_nothing(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    UserFactory(email="active@example.sn")

    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(reverse("accounts:signup_resend"), {"email": "nobody@example.sn"})
        active = client.post(reverse("accounts:signup_resend"), {"email": "active@example.sn"})
        pending = client.post(reverse("accounts:signup_resend"), {"email": "AWA.ndiaye@example.sn"})

    assert unknown["Location"] == active["Location"] == pending["Location"] == reverse("accounts:signup_done")
    assert [m.to for m in mailoutbox] == [["awa.ndiaye@example.sn"], ["awa.ndiaye@example.sn"]]
    complete(client, path_of(link_in(mailoutbox[1])))
    assert User.objects.get(email="awa.ndiaye@example.sn").is_active


def test_a_logged_in_user_is_sent_on(client):
    client.force_login(UserFactory())
    assert client.get(SIGNUP).status_code == 302


def test_the_verification_email_is_in_french_by_default(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, preferred_language="fr")
    assert mailoutbox[0].subject == "Confirmez votre adresse e-mail – plateforme PEM"
    assert "Bonjour Awa" in mailoutbox[0].body


def test_sign_ups_left_unverified_expire_and_free_the_address(settings):
    from accounts.services import signups_expire, user_signup

    user_signup(first_name="A", last_name="B", email="late@example.sn", preferred_language="fr")
    stale = User.objects.get(email="late@example.sn")
    fresh_signup = UserFactory(email="fresh@example.sn", is_active=False, awaiting_verification=True)
    deactivated = UserFactory(email="gone@example.sn", is_active=False)  # not a sign-up: kept
    User.objects.filter(pk__in=[stale.pk, deactivated.pk]).update(
        date_joined=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=4)
    )

    assert signups_expire() == 1
    assert signups_expire() == 0
    assert set(User.objects.values_list("email", flat=True)) == {fresh_signup.email, deactivated.email}
    assert "accounts.signups_expire" in [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
