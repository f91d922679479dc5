"""Hypothesis-driven fuzzing of what anyone can send: every query parameter the views read (found in their
source: `request.GET.get("x")`, and the fields of the forms and filter sets built from `request.GET`), the
public forms (log-in, sign-up, password reset, language switch, the application wizard's steps) and the
tokens in public links. Never a 500, and nothing typed comes back as live HTML.

Run time is kept for CI by the "hostile" profile (HOSTILE_EXAMPLES examples per target, no deadline);
`HOSTILE_PROFILE=hostile-long` runs ten times more."""

import functools
import inspect
import os
import re
import sys
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.urls import get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from cohorts.tests.factories import ApplicationFactory, CohortFactory, one_user_per_role
from tests.test_urls_access import iter_patterns

pytestmark = pytest.mark.django_db

HOSTILE_EXAMPLES = 12
for _name, _factor in (("hostile", 1), ("hostile-long", 10)):
    settings.register_profile(
        _name,
        max_examples=HOSTILE_EXAMPLES * _factor,
        deadline=None,
        derandomize=_factor == 1,  # CI: the same examples every run; the long profile explores
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
FUZZ = settings.get_profile(os.environ.get("HOSTILE_PROFILE", "hostile"))

MARKER = "<script>alert(7)</script>"

#: Values chosen by hand, mixed with generated text: out of range numbers, SQL and HTML, odd Unicode.
NASTY = (
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999",
    "1e309",
    "NaN",
    "²",
    "١٢",
    "1.5",
    "' OR '1'='1' --",
    "1; DROP TABLE cohorts_application",
    MARKER,
    '"><img src=x onerror=alert(8)>',
    "{{ 7*7 }}",
    "%(x)s",
    "../../etc/passwd",
    "\u202e\ufeff\u200b",
    "e\u0301",
    "🙂" * 50,
    "a" * 5000,
    "",
    " ",
    "\x00",
    "\x1b[31m",
    "2024-02-30",
    "semaine",
    "xlsx",
    "true",
)
#: Raw, already-encoded pieces of a query string: invalid UTF-8, an encoded surrogate, a lone percent.
RAW = ("%ff%fe", "%ED%A0%80", "%", "%zz", "%C0%AF")

#: Parameters every list page is tried with, read or not (a page must ignore what it does not know).
COMMON = ("page", "sort", "q", "cohort", "programme", "format", "vue", "status")

values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))


# --------------------------------------------------------------------------------------------------
# Which pages read which parameters
# --------------------------------------------------------------------------------------------------


def query_parameters(callback) -> set[str]:
    """The query parameters the view's module reads: `request.GET.get("x")` / `["x"]` / `.getlist("x")`,
    and the fields of each form or filter set built from `request.GET` there."""
    return _module_parameters(inspect.unwrap(callback).__module__)


@functools.cache
def _module_parameters(module_name: str) -> frozenset[str]:
    module = sys.modules[module_name]
    source = inspect.getsource(module)
    names = set(re.findall(r"request\.GET(?:\.get|\.getlist)?[\(\[]\s*[\"'](\w+)[\"']", source))
    for class_name in re.findall(r"(\w+)\(\s*request\.GET", source):
        klass = getattr(module, class_name, None)
        fields = getattr(klass, "base_filters", None) or getattr(klass, "base_fields", None) or {}
        names |= set(fields)
    return frozenset(names)


def test_the_enumeration_finds_the_parameters_of_the_list_pages():
    """The enumeration is what makes a new parameter fuzzed: it must see the filter sets and the forms."""
    found = {name: query_parameters(callback) for _route, name, callback in iter_patterns(get_resolver().url_patterns)}
    assert {"page", "format", "status", "cohort"} <= found["cohorts:application_list"]
    assert {"vue", "page"} <= found["mobility:meeting_list"]
    assert {"q", "page"} <= found["mobility:directory"]
    assert "next" in found["accounts:mfa_verify"]


def parameter_pages() -> list[tuple[str, set[str]]]:
    """(url name, its parameters) for every page without path parameters outside the admin."""
    pages = []
    for route, name, callback in iter_patterns(get_resolver().url_patterns):
        if route.startswith(("admin/", "i18n/")) or "<" in route or name in ("accounts:logout",):
            continue
        pages.append((name, query_parameters(callback) | set(COMMON)))
    return pages


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _query(pairs) -> str:
    return "&".join(f"{quote(key, safe='')}={value if raw else quote(value, safe='')}" for key, value, raw in pairs)


def _check(response, label: str) -> None:
    assert response.status_code < 500, f"{label}: {response.status_code}"
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        content = response.content.decode(errors="replace")
        assert MARKER not in content and "<img src=x onerror=alert(8)>" not in content, f"{label}: HTML sent back raw"


def pairs_for(parameters):
    key = st.sampled_from(sorted(parameters))
    cooked = st.tuples(key, values, st.just(False))
    raw = st.tuples(key, st.sampled_from(RAW), st.just(True))
    # Lists give "a=1&a=2" (the same parameter twice) as often as distinct parameters.
    return st.lists(st.one_of(cooked, cooked, raw), min_size=1, max_size=5)


@pytest.fixture(scope="module")
def visitors(django_db_setup, django_db_blocker):
    """One user per role, with a little data behind the list pages, kept for the module."""
    from django.db import transaction

    from partners.models import Entrepreneur

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            users = one_user_per_role()
            cohort = CohortFactory()
            ApplicationFactory(cohort=cohort, submitted=True)
            ApplicationFactory(cohort=cohort, submitted=True, entrepreneur=Entrepreneur.objects.get(user=users["entrepreneur"]))
            yield users
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def readable_pages(visitors, django_db_blocker):
    """(url name, parameters, visitor) for each page and the first visitor (staff first) who may read it."""
    from django.test import Client

    order = [Role.STAFF.value, "entrepreneur", "coach", "reviewer", "committee", "evaluator", "anonymous"]
    result = []
    with django_db_blocker.unblock():
        clients = {}
        for visitor in order:
            client = Client()
            if visitors[visitor] is not None:
                client.force_login(visitors[visitor])
            clients[visitor] = client
        for name, parameters in parameter_pages():
            for visitor in order:
                if clients[visitor].get(reverse(name)).status_code == 200:
                    result.append((name, parameters, visitor))
                    break
    return result


# --------------------------------------------------------------------------------------------------
# Query parameters of every readable page, for the role that reads it
# --------------------------------------------------------------------------------------------------


def test_every_parameter_of_every_page_survives_each_nasty_value(client, visitors, readable_pages):
    """Deterministic floor: each (page, parameter) gets a fixed handful of the worst values at least once."""
    assert len(readable_pages) > 20
    logged = None
    worst = ("-1", "99999999999999999999", "²", MARKER, "a" * 5000)
    for index, (name, parameters, visitor) in enumerate(readable_pages):
        if logged != visitor:
            client.logout()
            if visitors[visitor] is not None:
                client.force_login(visitors[visitor])
            logged = visitor
        for number, parameter in enumerate(sorted(parameters)):
            value = worst[(index + number) % len(worst)]
            query = _query([(parameter, value, False), (parameter, "%ff", True)])
            _check(client.get(f"{reverse(name)}?{query}"), f"{name}?{parameter}={value[:20]!r}")


@FUZZ
@given(data=st.data())
def test_fuzzed_query_strings_never_crash_a_page(client, visitors, readable_pages, data):
    name, parameters, visitor = data.draw(st.sampled_from(readable_pages), label="page")
    client.logout()
    if visitors[visitor] is not None:
        client.force_login(visitors[visitor])
    query = _query(data.draw(pairs_for(parameters), label="query"))
    _check(client.get(f"{reverse(name)}?{query}"), f"{visitor} {name}?{query[:200]}")


# --------------------------------------------------------------------------------------------------
# Public forms and links, anonymous
# --------------------------------------------------------------------------------------------------

PUBLIC_FORMS = {
    "accounts:login": ("username", "password", "next"),
    "accounts:signup": ("first_name", "last_name", "email", "password1", "password2", "preferred_language", "next"),
    "accounts:password_reset": ("email",),
    "accounts:signup_resend": ("email",),
    "set_language": ("language", "next"),
}

text = st.one_of(st.sampled_from(NASTY), st.text(max_size=200))


@FUZZ
@given(data=st.data())
def test_fuzzed_public_forms_never_crash(client, data):
    name = data.draw(st.sampled_from(sorted(PUBLIC_FORMS)), label="form")
    fields = PUBLIC_FORMS[name]
    posted = {field: data.draw(st.one_of(text, st.lists(text, min_size=2, max_size=3)), label=field) for field in fields}
    _check(client.post(reverse(name), posted), f"POST {name} {str(posted)[:200]}")


#: Links mailed to people who have no account, and account links, with their path parameters.
PUBLIC_LINKS = {
    "mobility:invitation_answer": ("token",),
    "mobility:partner_check_in": ("token",),
    "accounts:password_reset_confirm": ("uidb64", "token"),
    "accounts:signup_verify": ("uidb64", "token"),
}
segment = st.one_of(
    st.sampled_from([value for value in NASTY if value and "/" not in value and "\x00" not in value]),
    st.text(alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=300),
)


@FUZZ
@given(data=st.data())
def test_fuzzed_public_links_never_crash(client, data):
    name = data.draw(st.sampled_from(sorted(PUBLIC_LINKS)), label="link")
    kwargs = {key: data.draw(segment, label=key) for key in PUBLIC_LINKS[name]}
    url = reverse(name, kwargs={key: "KEY" + key for key in kwargs})
    for key, value in kwargs.items():
        url = url.replace("KEY" + key, quote(value, safe=""))
    query = _query(data.draw(st.lists(st.tuples(st.sampled_from(("lang", "next", "token")), values, st.just(False)), max_size=3)))
    _check(client.get(f"{url}?{query}"), f"GET {url[:200]}")
    posted = {"lang": data.draw(values), "answer": data.draw(values), "comment": data.draw(text)}
    _check(client.post(f"{url}?{query}", posted), f"POST {url[:200]}")


@FUZZ
@given(data=st.data())
def test_fuzzed_call_pages_never_crash(client, data):
    pk = data.draw(st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.just(2**63), st.just(2**63 - 1)))
    route = f"/appels/{pk}/"
    _check(client.get(route), route)


# --------------------------------------------------------------------------------------------------
# The application wizard, as its entrepreneur
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def draft(client):
    application = ApplicationFactory()
    client.force_login(application.entrepreneur.user)
    return application


def _step_fields() -> dict[int, tuple[str, ...]]:
    from cohorts.views.apply import STEP_FORMS

    return {step: tuple(form_class.base_fields) for step, form_class in STEP_FORMS.items()}


@FUZZ
@given(data=st.data())
def test_fuzzed_application_steps_never_crash(client, draft, data):
    steps = _step_fields()
    step = data.draw(st.sampled_from([*sorted(steps), 5, 6]), label="step")
    fields = steps.get(step, ("kind", "declaration", "follow_up_consent"))
    posted = {field: data.draw(st.one_of(text, st.lists(text, min_size=2, max_size=3)), label=field) for field in fields}
    posted["action"] = data.draw(st.sampled_from(["save", "next", "back", "upload", MARKER]))
    url = reverse("cohorts:application_step", kwargs={"pk": draft.pk, "step": step})
    _check(client.post(url, posted), f"POST step {step} {str(posted)[:300]}")


def test_the_language_switch_takes_only_a_known_language(client):
    response = client.post(reverse("set_language"), {"language": MARKER, "next": "https://evil.example/"})
    assert response.status_code < 500
    assert response.get("Location", "/").startswith("/")
    assert response.cookies.get(django_settings.LANGUAGE_COOKIE_NAME) is None or response.cookies[
        django_settings.LANGUAGE_COOKIE_NAME
    ].value in ("fr", "en", "nl", "")
