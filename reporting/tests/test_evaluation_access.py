"""The evaluation pages' access table (url_access_evaluation.ACCESS), checked on its own: the
project-wide tests/test_urls_access.py checks it with every other area's table."""

import pytest
from django.urls import reverse

from reporting.tests.url_access_evaluation import ACCESS
from tests.test_urls_access import users  # noqa: F401 (the fixture: one user per role)
from tests.url_access import VISITORS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_evaluation_page_answers_each_visitor_as_declared(client, users, name):  # noqa: F811
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
