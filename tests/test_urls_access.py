"""Who may open which page. One test walks every URL pattern of the project and checks it against
EXPECTED: a new URL without an entry fails the suite, so every page declares its access."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed
from django.views.defaults import server_error

from accounts.access import role_required
from accounts.models import Role
from accounts.tests.factories import UserFactory
from accounts.tests.url_access import VISITORS, everyone, logged_in, only  # noqa: F401
from cohorts.tests.factories import CohortFactory, one_user_per_role
from scripts.compile_translations import compile_all

pytestmark = pytest.mark.django_db

#: URL prefixes with their own tests: the admin (admin tests) and Django's set_language view (below).
SKIPPED_PREFIXES = ("admin/", "i18n/")


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    """The .mo files are build products (git-ignored): compile them, then drop Django's cached catalogues."""
    compile_all()
    translation_file_changed(sender=None, file_path=Path("django.mo"))


def open_cohort(users: dict) -> dict:
    return {"pk": CohortFactory().pk}


#: url name -> expected status per visitor; "kwargs" gives the URL's parameters, as a dict or as a
#: callable that receives the users (by visitor name) and builds the objects the URL needs.
EXPECTED: dict[str, dict] = {
    "home": everyone(200),
    "cohorts:call_detail": {**everyone(200), "kwargs": open_cohort},
    "accounts:login": everyone(200),
    # Logging out is a POST since Django 5: a GET is refused for everyone.
    "accounts:logout": everyone(405),
    "accounts:password_change": logged_in(200),
    "accounts:password_change_done": logged_in(200),
    "accounts:password_reset": everyone(200),
    "accounts:password_reset_done": everyone(200),
    # An unknown token shows the "invalid link" page, to anyone.
    "accounts:password_reset_confirm": {**everyone(200), "kwargs": {"uidb64": "MQ", "token": "set-password"}},
    "accounts:password_reset_complete": everyone(200),
    # The second factor: enrolment for anyone logged in; the code screen and the recovery codes send
    # someone without an authenticator to enrolment.
    "accounts:mfa_setup": logged_in(200),
    "accounts:mfa_verify": logged_in(302),
    "accounts:mfa_recovery_codes": logged_in(302),
}


def _area_tables() -> dict[str, dict]:
    """Merge the ACCESS tables that each area keeps beside its own tests."""
    import importlib

    root = Path(__file__).resolve().parent.parent
    merged: dict[str, dict] = {}
    for path in sorted(root.glob("*/tests/url_access_*.py")):
        module = importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
        duplicated = set(module.ACCESS) & (set(merged) | set(EXPECTED))
        assert not duplicated, f"{path}: URL names declared twice: {sorted(duplicated)}"
        merged.update(module.ACCESS)
    return merged


EXPECTED.update(_area_tables())


def iter_patterns(patterns, prefix: str = "", namespace: str = ""):
    """Yield (route, url name, view callback) for every pattern, following includes."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from iter_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (f"{namespace}{pattern.name}" if pattern.name else None), pattern.callback


def project_urls() -> list[tuple[str, str | None, Callable]]:
    return [url for url in iter_patterns(get_resolver().url_patterns) if not url[0].startswith(SKIPPED_PREFIXES)]


@pytest.fixture
def users() -> dict:
    """One user per role, each with the profile their pages need."""
    return one_user_per_role()


def test_every_url_declares_and_has_its_expected_access(client, users):
    urls = project_urls()
    names = [name for _, name, _ in urls]
    unnamed = [route for route, name, _ in urls if name is None]
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    missing = sorted(set(names) - set(EXPECTED))
    assert not missing, f"Add these URL names to EXPECTED in tests/test_urls_access.py: {missing}"
    stale = sorted(set(EXPECTED) - set(names))
    assert not stale, f"EXPECTED lists URL names that no longer exist: {stale}"

    failures = []
    for _route, name, callback in urls:
        expected = EXPECTED[name]
        assert set(VISITORS) <= set(expected), f"{name}: give a status for each of {VISITORS}"
        required_roles = getattr(callback, "required_roles", None)
        if required_roles:
            # A page behind role_required must be refused (404) to every role it does not name.
            for visitor in VISITORS:
                if visitor != "anonymous" and visitor not in required_roles:
                    if expected[visitor] != 404:
                        failures.append(f"{name}: role_required{required_roles} but EXPECTED[{visitor!r}] is not 404")
        kwargs = expected.get("kwargs", {})
        for visitor in VISITORS:
            user = users[visitor]
            if user is None:
                client.logout()
            else:
                client.force_login(user)
            url = reverse(name, kwargs=kwargs(users) if callable(kwargs) else kwargs)
            status = client.get(url).status_code
            if status != expected[visitor]:
                failures.append(f"{name} ({url}) as {visitor}: {status}, expected {expected[visitor]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("owner", [Role.STAFF, Role.COACH, Role.ENTREPRENEUR, Role.COMMITTEE, Role.EVALUATOR])
def test_a_role_cannot_open_another_roles_page(owner, users):
    """role_required lets in its own role, sends visitors to the login page and answers 404 to others."""

    @role_required(owner)
    def page(request):
        return HttpResponse("ok")

    for visitor, user in users.items():
        request = RequestFactory().get("/page/")
        request.user = user or AnonymousUser()
        if user is None:
            response = page(request)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
        elif visitor == owner:
            assert page(request).status_code == 200
        else:
            with pytest.raises(Http404):
                page(request)


def test_switching_to_english_shows_the_site_in_english(client):
    home_fr = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in home_fr
    assert "Se connecter" in home_fr

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})

    assert response.status_code == 302
    home_en = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in home_en
    assert "Log in" in home_en
    assert "Se connecter" not in home_en


def test_the_language_switcher_marks_the_current_language(client):
    html = client.get(reverse("home")).content.decode()

    assert 'value="fr" lang="fr"' in html
    assert html.count('aria-current="true"') == 1
    assert html.index('aria-current="true"') > html.index('value="fr"')


def test_unknown_pages_answer_404_in_the_visitors_language(client):
    assert "Page introuvable" in client.get("/no-such-page/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(("language", "text"), [("fr", "Erreur du serveur"), ("en", "Server error")])
def test_the_500_page_needs_no_database_nor_context(language, text, django_assert_num_queries):
    request = RequestFactory().get("/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert text in html
    assert f'<html lang="{language}">' in html


def test_password_reset_sends_a_link_that_sets_a_new_password(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(email="awa@example.sn")

    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is queued, handed over after the commit
        response = client.post(reverse("accounts:password_reset"), {"email": "AWA@example.sn"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.subject == "PEM : choisir un nouveau mot de passe"
    assert "awa@example.sn" in email.body
    link = next(line for line in email.body.splitlines() if "/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Baobab-2024-Dakar", "new_password2": "Baobab-2024-Dakar"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Baobab-2024-Dakar")


def test_logging_in_by_e_mail_lands_on_the_home_page(client):
    UserFactory(email="coach@example.sn", roles=[Role.COACH])

    response = client.post(reverse("accounts:login"), {"username": "coach@example.sn", "password": "pw-for-tests-1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    logout = client.post(reverse("accounts:logout"))
    assert logout.status_code == 302
