"""Sign-up with e-mail verification: an inactive entrepreneur account, a link valid three days that
activates and logs in once; bad links get a clear page."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import OutgoingEmail, Role
from accounts.services import email_verification_token, user_signup
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

SIGNUP = reverse("accounts:signup")


def form_data(**overrides) -> dict:
    return {
        "first_name": "Awa",
        "last_name": "Ndiaye",
        "email": "Awa.Ndiaye@Example.sn",
        "password1": "baobab-Thies-2024",
        "password2": "baobab-Thies-2024",
        "preferred_language": "en",
        **overrides,
    }


def sign_up(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(SIGNUP, form_data(**overrides))


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
    assert user.check_password("baobab-Thies-2024")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["awa.ndiaye@example.sn"]
    assert OutgoingEmail.objects.get().language == "en"
    assert "/accounts/signup/verify/" in link_in(mailoutbox[0])


def test_the_link_activates_and_logs_in_and_then_goes_to_the_call(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{SIGNUP}?next=/appels/7/", form_data())

    response = client.get(path_of(link_in(mailoutbox[0])))

    assert response.status_code == 302 and response["Location"] == "/appels/7/"
    assert User.objects.get().is_active
    assert client.get(reverse("home")).wsgi_request.user.email == "awa.ndiaye@example.sn"


def test_a_link_works_only_once(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = path_of(link_in(mailoutbox[0]))
    client.get(link)
    client.logout()

    response = client.get(link)

    assert response.status_code == 200
    assert "déjà servi" in response.content.decode()


def test_an_expired_link_shows_a_page_not_an_error(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = path_of(link_in(mailoutbox[0]))

    four_days_later = datetime.datetime.now() + datetime.timedelta(days=4)
    with mock.patch.object(email_verification_token, "_now", return_value=four_days_later):
        response = client.get(link)

    assert response.status_code == 200
    assert "expiré" in response.content.decode()
    assert not User.objects.get().is_active


def test_a_link_is_still_valid_after_two_days(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    two_days_later = datetime.datetime.now() + datetime.timedelta(days=2)
    with mock.patch.object(email_verification_token, "_now", return_value=two_days_later):
        client.get(path_of(link_in(mailoutbox[0])))
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


def test_a_duplicate_email_is_a_form_error_whatever_the_case(client):
    UserFactory(email="awa.ndiaye@example.sn")

    response = client.post(SIGNUP, form_data(email="AWA.NDIAYE@example.SN"))

    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse" in response.content.decode()
    assert User.objects.count() == 1


def racing_signup(email: str):
    """Stands for another sign-up with the same address committed between our checks and our insert
    (here it runs inside our transaction, so it is rolled back with it)."""

    def full_clean(self, *args, **kwargs):
        UserFactory(email=email)

    return mock.patch.object(User, "full_clean", full_clean)


def test_a_signup_racing_another_one_with_the_same_address_is_a_validation_error():
    with racing_signup("awa.ndiaye@example.sn"), pytest.raises(ValidationError) as caught:
        user_signup(
            first_name="Awa",
            last_name="Ndiaye",
            email="Awa.Ndiaye@Example.sn",
            password="baobab-Thies-2024",
            preferred_language="fr",
        )

    assert list(caught.value.message_dict) == ["email"]
    assert "Un compte existe déjà avec cette adresse" in caught.value.message_dict["email"][0]


def test_a_signup_racing_another_one_shows_the_form_error_not_a_500(client):
    with racing_signup("awa.ndiaye@example.sn"):
        response = client.post(SIGNUP, form_data())

    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse" in response.content.decode()
    assert response.context["form"].has_error("email", code="duplicate_email")


def test_passwords_must_match_and_be_strong(client):
    response = client.post(SIGNUP, form_data(password2="autre-chose-2024"))
    assert "ne correspondent pas" in response.content.decode()
    response = client.post(SIGNUP, form_data(password1="12345678", password2="12345678"))
    assert response.status_code == 200
    assert not User.objects.exists()


def test_an_unsafe_next_is_dropped(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{SIGNUP}?next=https://evil.example/", form_data())
    assert "evil" not in mailoutbox[0].body
    response = client.get(path_of(link_in(mailoutbox[0])))
    assert response["Location"] == reverse("home")


def test_an_unverified_person_logging_in_is_told_to_confirm(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)

    response = client.post(reverse("accounts:login"), {"username": "awa.ndiaye@example.sn", "password": "baobab-Thies-2024"})

    assert "pas encore confirmée" in response.content.decode()
    response = client.post(reverse("accounts:login"), {"username": "awa.ndiaye@example.sn", "password": "wrong"})
    assert "pas encore confirmée" not in response.content.decode()


def test_a_new_link_can_be_requested_and_the_answer_reveals_nothing(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    UserFactory(email="active@example.sn")

    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(reverse("accounts:signup_resend"), {"email": "nobody@example.sn"})
        active = client.post(reverse("accounts:signup_resend"), {"email": "active@example.sn"})
        pending = client.post(reverse("accounts:signup_resend"), {"email": "AWA.ndiaye@example.sn"})

    assert unknown["Location"] == active["Location"] == pending["Location"] == reverse("accounts:signup_done")
    assert [m.to for m in mailoutbox] == [["awa.ndiaye@example.sn"], ["awa.ndiaye@example.sn"]]
    client.get(path_of(link_in(mailoutbox[1])))
    assert User.objects.get(email="awa.ndiaye@example.sn").is_active


def test_a_logged_in_user_is_sent_on(client):
    client.force_login(UserFactory())
    assert client.get(SIGNUP).status_code == 302


def test_the_verification_email_is_in_french_by_default(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, preferred_language="fr")
    assert mailoutbox[0].subject == "Confirmez votre adresse e-mail – plateforme PEM"
    assert "Bonjour Awa" in mailoutbox[0].body
