"""The admin back office stays safe with hostile input: a NUL character in a list's search or filter is a
400 (PostgreSQL cannot compare text holding NUL: it was a 500)."""

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tests.test_admin import REGISTERED, ROW_FACTORIES, _url

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=[Role.STAFF], is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("query", ["q=%00", "q=abc%00def", "status=%00", "%00=1"])
def test_a_nul_character_in_a_list_search_or_filter_is_a_bad_request(staff_client, model, query):
    ROW_FACTORIES[model]()

    response = staff_client.get(f"{_url(model, 'changelist')}?{query}")

    assert response.status_code == 400


def test_a_nul_character_is_refused_on_the_site_pages_too_with_a_page_in_the_readers_language(client):
    response = client.get("/?next=%00")
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "Invalid request" in client.get("/accounts/login/?q=%00").content.decode()
