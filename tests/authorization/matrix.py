"""The authorization matrix: every URL pattern of the project (the admin's included), for every visitor of
`world.VISITORS`, for GET and for POST, against a table of expected answers.

Tables: `tests/authorization/table_<area>.py`, one per URL namespace ("site" for the URLs without one,
"admin" for the Django admin), each `TABLE = {url name: (kwargs, GET answers, POST answers)}`.

- kwargs: "pk=@application step=1": `@name` is the world's object of that name (its pk, or the value
  itself for a string such as a token); anything else is a literal. "token=@right/@wrong" gives the
  Belgian company's contact (visitor "belgian_link") the right signed link, every other visitor the
  forged one. The admin's kwargs are derived from the route (the first row of the model).
- answers: "anonymous:login staff,entrepreneur_owner:200 *:404": visitors (comma-separated) and the
  answer they get; "*" is every visitor not named. An answer is a status code, "login" (a redirect to
  the login page) or "admin_login" (a redirect to the admin's login page). A POST is sent with an empty
  body: a URL without a POST handler answers it like a GET or with 405; the table says which.

Every request runs in a savepoint rolled back afterwards, so no visitor sees what another one wrote. A
refused request (login, admin_login, 400, 403, 404, 405) must write nothing: the SQL of each request is
watched, and an INSERT, UPDATE or DELETE outside the session and login bookkeeping tables fails the test.
"""

import importlib
import re
import time
import traceback
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from types import SimpleNamespace

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.test import Client
from django.urls import get_resolver, reverse

from core.data_version import statement_start
from tests.test_urls_access import iter_patterns

from .world import NOT_LOGGED_IN, VISITORS, build_world

AREAS = ("site", "accounts", "cohorts", "coaching", "mobility", "reporting", "admin")
METHODS = ("GET", "POST")
#: Answers that refuse: a request answered so must not have written anything.
REFUSALS = {"login", "admin_login", "400", "403", "404", "405"}
#: Tables a refused request may write: the session and django-axes' login bookkeeping.
BOOKKEEPING_TABLES = ("django_session", "axes_")
WRITE_INSIDE = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
LOGIN_PATH = "/accounts/login/"
ADMIN_LOGIN_PATH = "/admin/login/"
ADMIN_CATCH_ALL = "admin/(?P<url>.*)$"


@dataclass(frozen=True)
class Url:
    key: str  # the URL name, or the route for an unnamed pattern
    route: str
    area: str
    callback: object = field(compare=False)


def project_urls() -> list[Url]:
    """Every URL pattern, each with the area whose table declares it."""
    urls = []
    for route, name, callback in iter_patterns(get_resolver().url_patterns):
        if route.startswith("admin/"):
            area = "admin"
        elif name and ":" in name:
            area = name.split(":", 1)[0]
        else:
            area = "site"
        urls.append(Url(key=name or route, route=route, area=area, callback=callback))
    return urls


def _admin_app(url: Url) -> str:
    """The app a URL of the admin belongs to ("" for the admin's own pages: index, login...)."""
    label = url.route.split("/")[1]
    return label if label in {config.label for config in apps.get_app_configs()} else ""


def chunks() -> list[str]:
    """The matrix test's parameters: one per area, the admin split by app (a few hundred requests each)."""
    admin_apps = sorted({_admin_app(url) for url in project_urls() if url.area == "admin"} - {""})
    return [*AREAS, *(f"admin/{app}" for app in admin_apps)]


#: The admin apps walked by tests/test_authorization_matrix_admin_a.py; every other admin app (a new one
#: included) by ..._admin_b.py, and the project's own areas by test_authorization_matrix.py: three files, so
#: that pytest-xdist (--dist loadfile) spreads the walk over its workers.
ADMIN_GROUP_A = ("admin/accounts", "admin/cohorts", "admin/reporting")


def chunks_of(group: str) -> list[str]:
    """The chunks one matrix file walks: "project", "admin_a" or "admin_b"; together they are chunks()."""
    admin = [chunk for chunk in chunks() if chunk.startswith("admin/")]
    return {
        "project": [chunk for chunk in chunks() if not chunk.startswith("admin/")],
        "admin_a": [chunk for chunk in admin if chunk in ADMIN_GROUP_A],
        "admin_b": [chunk for chunk in admin if chunk not in ADMIN_GROUP_A],
    }[group]


def urls_of(chunk: str) -> list[Url]:
    area, _, app = chunk.partition("/")
    return [url for url in project_urls() if url.area == area and (area != "admin" or _admin_app(url) == app)]


def load_table(area: str) -> dict[str, tuple[str, str, str]]:
    return importlib.import_module(f"tests.authorization.table_{area}").TABLE


def parse_answers(spec: str) -> dict[str, str]:
    """ "anonymous:login staff,entrepreneur_owner:200 *:404" -> {visitor: answer} for every visitor."""
    answers: dict[str, str] = {}
    rest = None
    for part in spec.split():
        who, _, answer = part.partition(":")
        assert answer and re.fullmatch(r"\d{3}|login|admin_login", answer), f"bad answer {part!r} in {spec!r}"
        assert answer != "500", f"a 500 is never an expected answer: {spec!r}"
        if who == "*":
            rest = answer
            continue
        for visitor in who.split(","):
            assert visitor in VISITORS, f"unknown visitor {visitor!r} in {spec!r}"
            assert visitor not in answers, f"{visitor!r} named twice in {spec!r}"
            answers[visitor] = answer
    if rest is not None:
        answers.update({visitor: rest for visitor in VISITORS if visitor not in answers})
    missing = [visitor for visitor in VISITORS if visitor not in answers]
    assert not missing, f"{spec!r} gives no answer for {missing} (end with '*:<answer>')"
    return answers


def format_answers(answers: dict[str, str]) -> str:
    """The shortest spec for `answers`: the most frequent answer becomes '*', in VISITORS order."""
    counts: dict[str, int] = {}
    for answer in answers.values():
        counts[answer] = counts.get(answer, 0) + 1
    rest = max(counts, key=lambda answer: (counts[answer], answer == "404"))
    groups: dict[str, list[str]] = {}
    for visitor in VISITORS:
        if answers[visitor] != rest:
            groups.setdefault(answers[visitor], []).append(visitor)
    parts = [f"{','.join(visitors)}:{answer}" for answer, visitors in groups.items()]
    return " ".join([*parts, f"*:{rest}"])


# --- kwargs ---------------------------------------------------------------------------------------


def _value(world: SimpleNamespace, token: str):
    if not token.startswith("@"):
        return token
    value = getattr(world, token[1:])
    return getattr(value, "pk", value)


def url_kwargs(world: SimpleNamespace, spec: str, visitor: str) -> dict:
    kwargs = {}
    for part in spec.split():
        name, _, value = part.partition("=")
        right, _, wrong = value.partition("/")
        kwargs[name] = _value(world, right if not wrong or visitor == "belgian_link" else wrong)
    return kwargs


def admin_path(url: Url) -> str:
    """A path for an admin pattern: the first row of the model for its object id."""
    if url.route == ADMIN_CATCH_ALL:
        return "/admin/no-such-page/"
    if url.key == "admin:app_list":
        return reverse(url.key, kwargs={"app_label": "cohorts"})
    if url.key == "admin:view_on_site":
        from cohorts.models import Application

        application = Application.objects.order_by("pk").first()
        return reverse(
            url.key, kwargs={"content_type_id": ContentType.objects.get_for_model(Application).pk, "object_id": application.pk}
        )
    if "<path:object_id>" not in url.route and "<id>" not in url.route and "([^/]+)" not in url.route:
        return reverse(url.key) if ":" in url.key else "/" + url.route
    app_label, model_name = url.route.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    row = model.objects.order_by("pk").first()
    object_pk = str(row.pk) if row is not None else "0"
    path = url.route.replace("<path:object_id>", object_pk).replace("<id>", object_pk)
    if "([^/]+)" in path:  # django-simple-history's page of one past version: ^(object)/history/(version)/$
        version = (
            model.history.filter(**{model._meta.pk.attname: row.pk}).order_by("history_id").first() if row is not None else None
        )
        path = path.replace("^", "").replace("$", "").replace("([^/]+)", object_pk, 1)
        path = path.replace("([^/]+)", str(version.history_id) if version else "0", 1)
    return "/" + path


def path_for(world: SimpleNamespace, url: Url, kwargs_spec: str, visitor: str) -> str:
    if url.area == "admin":
        return admin_path(url)
    return reverse(url.key, kwargs=url_kwargs(world, kwargs_spec, visitor))


# --- visitors and requests ------------------------------------------------------------------------


class WriteWatcher:
    """Records the tables an INSERT, UPDATE or DELETE touches, through connection.execute_wrapper."""

    def __init__(self):
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        statement = statement_start(sql)  # after leading whitespace and comments, as core.data_version reads it
        head = statement[:6].upper()
        if head in ("INSERT", "UPDATE", "DELETE") or (head[:4] == "WITH" and WRITE_INSIDE.search(statement)):
            match = re.search(r'(?:INTO|UPDATE|FROM)\s+"?([\w]+)"?', sql, re.IGNORECASE)
            table = match.group(1) if match else sql[:60]
            if not table.startswith(BOOKKEEPING_TABLES):
                self.writes.append(f"{head} {table}")
        return execute(sql, params, many, context)


class MatrixClient(Client):
    """The test client without its template-context recording (a copy of every context of every template
    rendered, the bulk of the time of a small page) and without re-raising the view's exception: the
    matrix reads statuses, and catches exceptions through got_request_exception."""

    def request(self, **request):
        response = self.handler(self._base_environ(**request))
        if response.cookies:
            self.cookies.update(response.cookies)
        return response


def visitor_clients(world: SimpleNamespace) -> dict[str, tuple[Client, SimpleCookie]]:
    """One client per visitor, logged in (or holding the company's link), with the cookies to put back
    after each request (a request that logs out or cycles the session must not change the visitor)."""
    clients = {}
    for visitor in VISITORS:
        client = MatrixClient()
        user = world.users[visitor]
        if visitor not in NOT_LOGGED_IN:
            client.force_login(user)
        if visitor == "belgian_link":
            response = client.get(reverse("mobility:invitation_answer", kwargs={"token": world.invitation_token}))
            assert response.status_code == 200, "the company's contact must open the invitation its link names"
        clients[visitor] = (client, SimpleCookie(client.cookies.output(header="", sep="\n")))
    return clients


@dataclass
class Observation:
    answer: str
    writes: list[str]
    error: str = ""


def classify(response) -> str:
    if response.status_code in (301, 302, 303):
        location = response.get("Location", "")
        if location.startswith(ADMIN_LOGIN_PATH):
            return "admin_login"
        if location.startswith(LOGIN_PATH):
            return "login"
    return str(response.status_code)


def observe(client: Client, cookies: SimpleCookie, method: str, path: str) -> Observation:
    errors: list[str] = []

    def on_exception(sender, request=None, **kwargs):
        errors.append(traceback.format_exc(limit=-3))

    watcher = WriteWatcher()
    got_request_exception.connect(on_exception)
    savepoint = transaction.savepoint()
    try:
        with connection.execute_wrapper(watcher):
            response = client.get(path) if method == "GET" else client.post(path, {})
    finally:
        transaction.savepoint_rollback(savepoint)
        got_request_exception.disconnect(on_exception)
        client.cookies = SimpleCookie(cookies.output(header="", sep="\n"))
        cache.clear()  # the per-address throttles count in the cache: every visitor comes from 127.0.0.1
    return Observation(answer=classify(response), writes=watcher.writes, error="".join(errors))


def walk(world: SimpleNamespace, urls: list[Url], table: dict) -> tuple[dict[str, tuple[dict, dict]], list[str]]:
    """Request every URL of `urls` as every visitor with both methods. Returns the observed answers per
    URL ({visitor: answer} for GET and for POST) and the failures that no table makes right: a 500, and a
    refused request that wrote."""
    clients = visitor_clients(world)
    observed: dict[str, tuple[dict, dict]] = {}
    failures: list[str] = []
    for url in urls:
        kwargs_spec = table.get(url.key, ("", "", ""))[0]
        per_method = []
        for method in METHODS:
            answers = {}
            for visitor in VISITORS:
                client, cookies = clients[visitor]
                path = path_for(world, url, kwargs_spec, visitor)
                seen = observe(client, cookies, method, path)
                answers[visitor] = seen.answer
                if seen.answer == "500":
                    failures.append(f"{method} {path} ({url.key}) as {visitor}: 500\n{seen.error}")
                elif seen.answer in REFUSALS and seen.writes:
                    failures.append(f"{method} {path} ({url.key}) as {visitor}: refused ({seen.answer}) but wrote {seen.writes}")
            per_method.append(answers)
        observed[url.key] = (per_method[0], per_method[1])
    return observed, failures


def compare(urls: list[Url], table: dict, observed: dict) -> list[str]:
    """The differences between the table and what was observed, each with the row that would match."""
    failures = []
    for url in urls:
        kwargs_spec, get_spec, post_spec = table[url.key]
        got_get, got_post = observed[url.key]
        wrong = []
        for method, spec, got in (("GET", get_spec, got_get), ("POST", post_spec, got_post)):
            expected = parse_answers(spec)
            wrong += [f"{method} as {v}: {got[v]}, expected {expected[v]}" for v in VISITORS if got[v] != expected[v]]
        if wrong:
            failures.append(
                f"{url.key}: " + "; ".join(wrong) + f"\n    observed row: {format_row(url.key, kwargs_spec, got_get, got_post)}"
            )
    return failures


def format_row(key: str, kwargs_spec: str, get: dict, post: dict) -> str:
    return f'"{key}": ("{kwargs_spec}", "{format_answers(get)}", "{format_answers(post)}"),'


def walk_chunk(chunk: str) -> None:
    """Walk one chunk's URLs for every visitor, GET and POST, and fail on any difference from its table."""
    urls = urls_of(chunk)
    table = load_table(chunk.split("/")[0])
    assert {url.key for url in urls} <= set(table), "see test_the_table_names_every_url_of_its_area_once"
    started = time.perf_counter()
    world = build_world()
    observed, failures = walk(world, urls, table)
    failures += compare(urls, table, observed)
    requests = len(urls) * 2 * len(world.users)
    print(f"{chunk}: {len(urls)} URLs, {requests} requests in {time.perf_counter() - started:.1f} s")
    assert not failures, f"{len(failures)} differences:\n" + "\n".join(failures)
