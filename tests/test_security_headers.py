"""Security headers on every page ([6] item 5): each demo role crawls the pages it can reach from the home
page; every HTML page carries the Content-Security-Policy (no inline script allowed) and the
Permissions-Policy, holds no inline script nor inline event handler, and pages of a logged-in person are
never stored by a cache."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory

DEMO_LOGINS = [
    "admin@demo.pem.example",
    "equipe@demo.pem.example",
    "coach@demo.pem.example",
    "reviewer@demo.pem.example",
    "entrepreneur@demo.pem.example",
    "comite@demo.pem.example",
    "evaluateur@demo.pem.example",
]
#: Pages per visitor: enough to reach every area's list and detail pages from the menus.
CRAWL_LIMIT = 60
#: Links a crawl does not follow: they log out, switch the language, or download files (checked elsewhere).
NOT_FOLLOWED = ("/accounts/logout/", "/i18n/", "/static/", "/media/")
NOT_FOLLOWED_WORDS = ("export", "download", "telecharger", "/file", ".pdf", ".xlsx", ".csv", "delete", "history")


class InlineCode(HTMLParser):
    """Collects links, and every inline script: <script> without src, on* attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value[:40]}>")
        if tag == "script":
            kind = (attributes.get("type") or "text/javascript").lower()
            # Data blocks (application/json...) do not run; anything else without src is an inline script.
            self._in_inline_script = not attributes.get("src") and ("javascript" in kind or kind == "module")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def check_page(path: str, response, *, logged_in: bool) -> tuple[list[str], list[str]]:
    """The problems of one response, and the links it offers."""
    problems = []
    policy = response.get("Content-Security-Policy", "")
    directives = {part.strip().split(" ")[0]: part.strip() for part in policy.split(";") if part.strip()}
    # Scripts fall back on default-src when script-src is absent (the documents' sandbox: default-src 'none').
    script_src = directives.get("script-src") or directives.get("default-src", "")
    if not policy:
        problems.append(f"{path}: no Content-Security-Policy")
    elif "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src or not script_src:
        problems.append(f"{path}: script-src allows inline code: {script_src!r}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"{path}: no Permissions-Policy")
    if logged_in and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{path}: Cache-Control {response.get('Cache-Control')!r} for a logged-in person")
    if not response.get("Content-Type", "").startswith("text/html"):
        return problems, []
    parser = InlineCode()
    parser.feed(response.content.decode())
    problems += [f"{path}: {problem}" for problem in parser.problems]
    return problems, parser.links


def followable(link: str, current: str) -> str | None:
    link = urldefrag(link)[0]
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(NOT_FOLLOWED) or any(word in parts.path.lower() for word in NOT_FOLLOWED_WORDS):
        return None
    return parts.path  # query strings (filters, sorting) only show the same page again


def shape(path: str) -> str:
    """/cohortes/4/selection/ and /cohortes/3/selection/ are the same page for this purpose."""
    return re.sub(r"\d+", "N", path)


def crawl(client, *, logged_in: bool, start: str = "/") -> tuple[list[str], list[str]]:
    """Breadth-first from `start`, one page of each shape, at most CRAWL_LIMIT pages."""
    seen, queue, problems, visited = {shape(start)}, deque([start]), [], []
    while queue and len(visited) < CRAWL_LIMIT:
        path = queue.popleft()
        response = client.get(path)
        visited.append(f"{path} {response.status_code}")
        if response.status_code != 200:
            continue
        page_problems, links = check_page(path, response, logged_in=logged_in)
        problems += page_problems
        for link in links:
            target = followable(link, path)
            if target and shape(target) not in seen:
                seen.add(shape(target))
                queue.append(target)
    return problems, visited


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_every_page_a_demo_role_reaches_has_the_headers_and_no_inline_script(demo, db, client, email):
    client.force_login(User.objects.get(email=email))

    problems, visited = crawl(client, logged_in=True)

    print(f"{email}: {len(visited)} pages", *visited, sep="\n  ")
    assert len(visited) >= 3, visited
    assert not problems, "\n".join(problems)


def test_the_admin_pages_have_the_headers_and_no_inline_script(demo, db, client):
    client.force_login(User.objects.get(email="admin@demo.pem.example"))
    pages = [reverse("admin:index"), reverse("admin:cohorts_application_changelist")]
    pages += [reverse("admin:cohorts_application_export"), reverse("admin:partners_organisation_export")]
    from cohorts.models import Application

    pages.append(reverse("admin:cohorts_application_change", args=[Application.objects.first().pk]))

    problems = []
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        problems += check_page(page, response, logged_in=True)[0]

    assert not problems, "\n".join(problems)


def test_public_pages_have_the_headers_and_may_be_cached_except_the_login_pages(demo, db, client):
    problems, visited = crawl(client, logged_in=False)

    assert len(visited) >= 3, visited
    assert not problems, "\n".join(problems)
    assert "no-store" not in client.get(reverse("home")).get("Cache-Control", "")
    for name in ("accounts:login", "admin:login", "accounts:password_reset", "accounts:signup"):
        assert "no-store" in client.get(reverse(name))["Cache-Control"], name


@pytest.mark.django_db
def test_the_permissions_policy_turns_off_camera_microphone_and_location(client):
    policy = client.get(reverse("home"))["Permissions-Policy"]

    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.django_db
def test_a_logged_in_persons_pages_are_never_stored(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:password_change"))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_inline_code_detector_finds_what_the_csp_would_block():
    parser = InlineCode()
    parser.feed(
        '<script>alert(1)</script><script src="/static/x.js"></script><script type="application/json">{}</script>'
        '<button onclick="go()">x</button><a href="javascript:void(0)">y</a>'
    )

    assert len(parser.problems) == 3
