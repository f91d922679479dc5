"""French by default whatever the browser says; a person's choice sticks, on the device and the account."""

import pytest

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_french_until_someone_chooses(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "fr"


def test_the_switcher_changes_the_language_and_remembers_it_on_the_account(client):
    user = UserFactory(preferred_language="fr")
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert client.get("/accounts/password/change/").headers["Content-Language"] == "en"


def test_a_logged_in_user_gets_their_preferred_language_on_a_new_device(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)  # a fresh client has no language cookie
    assert client.get("/accounts/password/change/").headers["Content-Language"] == "en"


def test_an_unknown_language_is_ignored(client):
    user = UserFactory(preferred_language="fr")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "fr"
