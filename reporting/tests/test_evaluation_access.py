"""The evaluation pages' access table (url_access_evaluation.ACCESS), checked on its own: the
project-wide tests/test_urls_access.py checks it with every other area's table."""

import pytest
from django.urls import reverse

from accounts.tests.url_access import VISITORS
from cohorts.tests.factories import one_user_per_role
from reporting.tests.url_access_evaluation import ACCESS

pytestmark = pytest.mark.django_db


@pytest.fixture
def users() -> dict:
    return one_user_per_role()


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_evaluation_page_answers_each_visitor_as_declared(client, users, name):
    expected = ACCESS[name]
    failures = []
    for visitor in VISITORS:
        user = users[visitor]
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        kwargs = expected.get("kwargs", {})
        url = reverse(name, kwargs=kwargs(users) if callable(kwargs) else kwargs)
        status = client.get(url).status_code
        if status != expected[visitor]:
            failures.append(f"{visitor}: {status}, expected {expected[visitor]}")
    assert not failures, failures
