"""No internal code reaches a person ([5] item 5): every role opens the main pages of the demo, in French
and English, and the staff its exports and e-mails; the text people read carries no programme code
("pem-sine-saloum"), no bare ISO country code ("SN"), no stored value of a choice ("investment") and no
JSON ('["export", "representation"]').

Only what is shown is read: the text between tags (options of the filter menus included), not attributes,
scripts or styles. The pages are found by following the links of each role's home page, one page per
address shape (/candidatures/12/ and /candidatures/13/ count once), plus the admin's lists and forms."""

import csv
import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from accounts.models import User

ROLES = ["visitor", "admin", "equipe", "coach", "reviewer", "entrepreneur", "comite", "evaluateur"]
#: Pages per role and language, a bound that keeps the test quick (the demo has ~40 page shapes per role).
MAX_PAGES = 80
#: Links not to follow: side effects, files, Django's own documentation of the admin.
SKIP_LINK = re.compile(
    r"^/(accounts/logout|i18n/|admin/|static/|media/)|/(export|telecharger|download|document)|\.(pdf|csv|xlsx|xml)$"
)


# --------------------------------------------------------------------------------------------------
# What counts as a code
# --------------------------------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The text nodes a person sees: not scripts, styles, or the language switcher's FR/EN buttons."""

    #: <code> holds what a person types (a column of the import file, a value of a criterion): shown as such.
    HIDDEN = {"script", "style", "template", "code"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = dict(attrs).get("class") or ""
        hidden = tag in self.HIDDEN or "language-switcher" in classes or (self.stack and self.stack[-1][1])
        self.stack.append((tag, bool(hidden)))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self.stack and self.stack[-1][1]:
            return
        if data.strip():
            self.nodes.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.nodes


def _choice_values() -> set[str]:
    """Stored values of the project's choice fields that differ from what people read, in both languages."""
    values = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"accounts", "partners", "cohorts", "coaching", "mobility", "reporting"}:
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                if not isinstance(value, str) or len(value) < 3 or not re.search("[a-z]", value):
                    continue
                readable = set()
                for language in ("fr", "en"):
                    with translation.override(language):
                        readable.add(str(label))
                # "eligible" is also the English word for the label "Eligible": not a code to a reader.
                if value.lower() not in {text.lower() for text in readable}:
                    values.add(value)
    return values


class Codes:
    def __init__(self):
        from cohorts.models import Programme

        slugs = sorted(Programme.objects.values_list("code", flat=True), key=len, reverse=True)
        self.slug = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, slugs)) + r")(?![\w-])")
        self.countries = {code for code, _name in countries}
        self.choices = _choice_values()
        # '["export"', "{'a'", '[]', '{}' : a serialised list or dict.
        self.json = re.compile(r"[\[{]\s*(\"|'|\]|\})|(\"|')\s*[\]}]")

    def found(self, nodes: list[str], headers: list[str] = ()) -> list[str]:
        """What is wrong in `nodes`; `headers` (a spreadsheet's column names, English words such as
        "region") are only checked for programme codes and JSON."""
        problems = [problem for problem in self.found(list(headers)) if "choice" not in problem] if headers else []
        for node in nodes:
            if match := self.slug.search(node):
                problems.append(f"programme code {match.group(0)!r} in {node[:120]!r}")
            # A cell, an option or a list that is only codes: "SN", "investment", "export, training".
            parts = [part.strip(" ()–-:") for part in re.split(r"[,;·→]", node)]
            if all(part in self.countries for part in parts):
                problems.append(f"country code in {node[:120]!r}")
            if all(part in self.choices for part in parts):
                problems.append(f"stored choice value in {node[:120]!r}")
            if self.json.search(node):
                problems.append(f"JSON in {node[:120]!r}")
        return problems


@pytest.fixture(scope="module")
def codes(demo, django_db_blocker):
    with django_db_blocker.unblock():
        return Codes()


# --------------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------------


def _shape(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + (
        "?" + ",".join(sorted(re.findall(r"([\w-]+)=", parts.query))) if parts.query else ""
    )


LINK = re.compile(r'href="(/[^"#]*)"')


def crawl(client, start: list[str], codes: Codes, limit: int = MAX_PAGES) -> tuple[list[str], list[str]]:
    """Open the start pages, then the links they lead to, one page per address shape."""
    seen, queue, visited, problems = set(), deque(start), [], []
    while queue and len(visited) < limit:
        url = queue.popleft().replace("&amp;", "&")
        if url in seen or (url not in start and _shape(url) in seen):
            continue
        seen.update({url, _shape(url)})
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited.append(url)
        html = response.content.decode()
        problems += [f"{url}: {problem}" for problem in codes.found(visible_text(html))]
        for link in LINK.findall(html):
            if not SKIP_LINK.search(link) and _shape(link.replace("&amp;", "&")) not in seen:
                queue.append(link)
    return visited, problems


def _login(client, role: str, language: str) -> User | None:
    client.cookies["django_language"] = language
    if role == "visitor":
        return None
    user = User.objects.get(email=f"{role}@demo.pem.example")
    client.force_login(user)
    return user


def _start_pages(user: User | None) -> list[str]:
    """The main pages of every role, each cohort's staff pages (their data differ by programme), and the
    steps of an application to the open call."""
    from cohorts.models import Cohort
    from cohorts.services.apply import application_start

    names = (
        "cohorts:application_list",
        "cohorts:selection_analysis",
        "cohorts:criteria_cohort_list",
        "cohorts:review_list",
        "cohorts:my_applications",
        "reporting:dashboard",
        "reporting:indicators",
        "reporting:report_list",
        "reporting:evaluation_index",
        "mobility:trip_list",
        "mobility:meeting_list",
        "mobility:my_trip",
    )
    pages = ["/", *(reverse(name) for name in names)]
    for cohort in Cohort.objects.order_by("pk"):
        pages += [
            reverse(name, args=[cohort.pk])
            for name in ("cohorts:selection_board", "cohorts:review_board", "cohorts:criteria_edit", "cohorts:call_detail")
        ]
    if user is not None and user.email.startswith("entrepreneur@"):
        cohort = Cohort.objects.open_for_applications().first()
        application, _created = application_start(cohort=cohort, user=user)
        pages += [reverse("cohorts:application_step", args=[application.pk, step]) for step in range(1, 7)]
    return pages


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_pages_show_no_code(role, language, codes, client, db):
    user = _login(client, role, language)
    start = _start_pages(user)
    visited, problems = crawl(client, start, codes)

    assert len(visited) >= 2, visited
    assert not problems, "\n".join(problems)


def _admin_pages() -> list[str]:
    urls = []
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
    # An application screened out (failed criteria, the profile at submission) and its history; the
    # export forms of the admin.
    from cohorts.models import Application

    screened_out = Application.objects.exclude(failed_criteria=[]).order_by("pk").first()
    urls += [
        reverse("admin:cohorts_application_change", args=[screened_out.pk]),
        reverse("admin:cohorts_application_history", args=[screened_out.pk]),
        reverse("admin:cohorts_application_export"),
        reverse("admin:partners_company_export"),
    ]
    return urls


@pytest.mark.parametrize("language", ["fr", "en"])
def test_admin_shows_no_code(language, codes, client, db):
    _login(client, "admin", language)
    problems = []
    for url in _admin_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        problems += [f"{url}: {problem}" for problem in codes.found(visible_text(response.content.decode()))]

    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------------
# Exports and e-mails
# --------------------------------------------------------------------------------------------------


def _texts(rows) -> list[str]:
    return [str(cell) for row in rows for cell in row if cell not in (None, "")]


def _cells(response) -> tuple[list[str], list[str]]:
    """The cells of a CSV or XLSX export, and its column names apart."""
    content = response.content
    if response["Content-Type"].startswith("text/csv"):
        text = content.decode("utf-8-sig")
        sheets = [list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.split("\n", 1)[0] else ","))]
    else:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        sheets = [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
    return _texts(row for sheet in sheets for row in sheet[1:]), _texts(sheet[0] for sheet in sheets if sheet)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_exports_show_no_code(language, codes, client, db):
    from cohorts.admin import ApplicationResource
    from cohorts.models import Programme
    from cohorts.selectors_staff import applications_for_staff
    from partners.admin import CompanyResource, EntrepreneurResource, OrganisationResource
    from partners.models import Company, Entrepreneur, Organisation
    from reporting.indicators import compute_indicators
    from reporting.selectors_indicators import indicator_tables

    _login(client, "equipe", language)
    problems = []
    urls = [
        reverse("cohorts:application_export") + "?format=csv",
        reverse("cohorts:application_export") + "?format=xlsx",
        reverse("cohorts:selection_analysis_export") + "?format=xlsx",
    ]
    for programme in Programme.objects.all():
        for key in indicator_tables(compute_indicators(programme=programme, cohort=None), []):
            urls.append(reverse("reporting:indicators_export") + f"?programme={programme.pk}&table={key}&format=csv")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        cells, headers = _cells(response)
        problems += [f"{url}: {problem}" for problem in codes.found(cells, headers)]
    # The admin's exports (the same resources as its "Exporter" button), in the user's language.
    with translation.override(language):
        for resource, queryset in (
            (ApplicationResource(), applications_for_staff()),
            (CompanyResource(), Company.objects.select_related("region", "incubator")),
            (OrganisationResource(), Organisation.objects.select_related("region", "relay_agency")),
            (EntrepreneurResource(), Entrepreneur.objects.select_related("company")),
        ):
            dataset = resource.export(queryset)
            found = codes.found(_texts(dataset), _texts([dataset.headers]))
            problems += [f"{type(resource).__name__}: {problem}" for problem in found]

    assert not problems, "\n".join(problems[:40])


def test_the_export_names_the_programme(client, db, demo):
    _login(client, "equipe", "en")
    response = client.get(reverse("cohorts:application_export") + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    programme = rows[0].index("programme")

    assert {row[programme] for row in rows[1:]} <= {"PEM-WECCO", "PEM N'Zassa", "PEM Sine-Saloum"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_emails_show_no_code(language, demo, db, client, django_capture_on_commit_callbacks):
    """The submission and decision e-mails name the programme and the cohort in the recipient's language."""
    from accounts.models import OutgoingEmail
    from cohorts.models import SelectionDecision
    from cohorts.services.apply import application_submit
    from cohorts.services.selection import OUTCOME_STATUS, selection_notify
    from cohorts.tests.factories_apply import CompleteDraftFactory

    draft = CompleteDraftFactory(entrepreneur__user__preferred_language=language, cohort__name_en="Cohort 7")
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, by=draft.entrepreneur.user, declaration_accepted=True)
    decision = next(
        d
        for d in SelectionDecision.objects.select_related("application__entrepreneur__user", "application__cohort")
        if d.application.entrepreneur.user and OUTCOME_STATUS.get(d.outcome) == d.application.status
    )
    decision.application.entrepreneur.user.preferred_language = language
    decision.application.entrepreneur.user.save(update_fields=["preferred_language"])
    SelectionDecision.objects.filter(pk=decision.pk).update(notified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        selection_notify(cohort=decision.application.cohort)

    emails = OutgoingEmail.objects.filter(kind__in=["application_submitted", f"selection_{decision.outcome}"])
    submitted = emails.get(kind="application_submitted")
    assert f"{draft.cohort.programme.name} – {'Cohort 7' if language == 'en' else draft.cohort.name_fr}" in submitted.subject
    assert emails.filter(kind=f"selection_{decision.outcome}").exists()
    codes = Codes()
    for email in emails:
        lines = [email.subject, *email.body.splitlines()]
        assert not codes.found([line for line in lines if line.strip() and "://" not in line]), email.body
    # The back office's list of sent e-mails names their kind and language in words.
    _login(client, "admin", language)
    for url in (
        reverse("admin:accounts_outgoingemail_changelist"),
        reverse("admin:accounts_outgoingemail_change", args=[submitted.pk]),
    ):
        html = client.get(url).content.decode()
        assert not codes.found(visible_text(html)), url
        assert "application_submitted" not in " ".join(visible_text(html)), url
