import pytest

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


def test_staff_cannot_change_a_superusers_password(client, superuser):
    client.force_login(UserFactory(roles=["staff"]))

    response = client.post(
        f"/admin/accounts/user/{superuser.pk}/password/",
        {"password1": "Taken-over-2026!", "password2": "Taken-over-2026!", "usable_password": "true"},
    )

    assert response.status_code == 403
    superuser.refresh_from_db()
    assert not superuser.check_password("Taken-over-2026!")


def test_staff_cannot_edit_a_superuser_but_may_view_them(client, superuser):
    client.force_login(UserFactory(roles=["staff"]))
    response = client.post(f"/admin/accounts/user/{superuser.pk}/change/", {"email": "mine@example.org"})
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.email != "mine@example.org"


def test_staff_still_edit_ordinary_accounts_but_not_their_password(client):
    client.force_login(UserFactory(roles=["staff"]))
    colleague = UserFactory()
    assert client.get(f"/admin/accounts/user/{colleague.pk}/change/").status_code == 200
    assert client.get(f"/admin/accounts/user/{colleague.pk}/password/").status_code == 403


def test_a_superuser_may_edit_another_superuser_but_not_choose_their_password(client, superuser):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/admin/accounts/user/{superuser.pk}/change/").status_code == 200
    assert client.get(f"/admin/accounts/user/{superuser.pk}/password/").status_code == 403
