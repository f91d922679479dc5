import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.access import get_for_user_or_404, role_required
from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import Application
from cohorts.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@role_required(Role.COACH)
def coach_page(request):
    return HttpResponse("ok")


def _get(user):
    request = RequestFactory().get("/coach/page/")
    request.user = user
    return request


def test_anonymous_users_are_sent_to_the_login_page():
    response = coach_page(_get(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/coach/page/")


def test_a_user_without_the_role_gets_a_404_not_a_403():
    with pytest.raises(Http404):
        coach_page(_get(UserFactory(roles=[Role.ENTREPRENEUR])))


def test_a_user_with_the_role_gets_in():
    assert coach_page(_get(UserFactory(roles=[Role.COACH]))).status_code == 200


def test_an_inactive_user_with_the_role_does_not_get_in():
    with pytest.raises(Http404):
        coach_page(_get(UserFactory(roles=[Role.COACH], is_active=False)))


def test_an_object_outside_the_users_reach_is_a_404():
    mine = ApplicationFactory()
    theirs = ApplicationFactory()
    user = mine.entrepreneur.user

    assert get_for_user_or_404(Application, user, pk=mine.pk) == mine
    with pytest.raises(Http404):
        get_for_user_or_404(Application, user, pk=theirs.pk)


def test_email_login_is_case_insensitive(client):
    UserFactory(email="awa.diop@example.org")
    client.post(reverse("accounts:login"), {"username": "Awa.Diop@Example.org", "password": "pw-for-tests-1"})
    assert client.get(reverse("home")).wsgi_request.user.email == "awa.diop@example.org"
