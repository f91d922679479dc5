"""`make bench`: every speed figure of [10] in one run, each next to its baseline, written to bench/RESULTS.md.

    make bench        # = BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench_make .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --only lists,server   # some sections only (RESULTS.md then holds those)

One PostgreSQL database (created if missing, migrated, built once and reused afterwards) holds:
- programme "bench": 10,000 applications (bench/selection_bench.py) with what follows selection
  (bench/indicators_bench.py), topped up to 5,000 coaching sessions and 2,000 follow-up check-ins;
- 1,000 Belgian companies with 20,000 B2B meetings (bench/directory_bench.py);
- programmes "bench-1x" (as many applications as the demo programme PEM-WECCO) and "bench-10x" (ten
  times as many), built by the same builders, for how the indicators page and the dashboard grow.

Then, in this one process (Django's test Client, a superuser of the staff group, DEBUG off), each figure
is measured next to its baseline, the two interleaved (A B, B A, ...), medians of the repeats:
- every staff list page against the stock admin changelist of the same model (time and queries);
- the indicators page and the dashboard at demo size and at 10x (growth, no limit);
- the DAC report job against WeasyPrint alone on the same HTML (bench/report_bench.py `measure`);
- the spreadsheet import against a bulk insert of the same rows (bench/import_ratio.py `measure`);
- gunicorn (DEBUG=0, bench/settings.py) on 127.0.0.1:$BENCH_PORT with wrk as the load generator
  (a Cookie header carries the staff session; bench/wrk_report.lua prints requests/s and p95): the
  dashboard against the trivial view /bench/trivial/ on the same server.
Every limit is a ratio to a baseline measured in the same run, never an absolute time. Exits 1 when a
limit fails or a figure could not be measured, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pem_bench_make"
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTIONS = ("lists", "growth", "report", "import", "server")

# The data set the issue asks for.
APPLICATIONS = 10_000
COACHING_SESSIONS = 5_000
CHECK_INS = 2_000
PROGRAMME = "bench"
PROGRAMME_1X = "bench-1x"
PROGRAMME_10X = "bench-10x"

# Limits: (operator, bound) on figure / baseline.
LIMIT_LIST = ("<=", 0.5)  # the staff application list takes at most half the time of the admin changelist
# The limit is on the staff application list; every other staff list page must at least not be slower
# than Django's stock admin listing the same model (their ratio is in RESULTS.md beside it).
LIMIT_OTHER_LIST = ("<=", 1.0)
LIMIT_IMPORT = ("<=", 3.0)  # the import at most 3x a bulk insert of the same rows
LIMIT_REPORT = ("<=", 1.05)  # the report job at most 1.05x WeasyPrint alone
LIMIT_SERVER = (">=", 0.5)  # the dashboard at least half the trivial view's requests per second

REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))
# The report takes seconds a run and varies by several per cent between runs on a shared machine: more runs.
REPORT_REPEATS = int(os.environ.get("BENCH_REPORT_REPEATS", "25"))
SERVER_ROUNDS = int(os.environ.get("BENCH_SERVER_ROUNDS", "3"))
SERVER_SECONDS = int(os.environ.get("BENCH_SERVER_SECONDS", "10"))
SERVER_CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
SERVER_WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8140"))


@dataclass(frozen=True)
class StaffList:
    """A staff list page and the admin changelist of the model its rows are."""

    label: str
    url_name: str
    admin_url_name: str
    params: dict = field(default_factory=dict)
    #: Keyword arguments of the URL, by name of the fixture they come from ("cohort": the bench cohort 1).
    kwargs: dict = field(default_factory=dict)
    limit: tuple[str, float] = LIMIT_OTHER_LIST


STAFF_LISTS: tuple[StaffList, ...] = (
    StaffList("applications (staff list)", "cohorts:application_list", "admin:cohorts_application_changelist", limit=LIMIT_LIST),
    StaffList("Belgian company directory", "mobility:directory", "admin:partners_organisation_changelist"),
    StaffList("B2B meetings", "mobility:meeting_list", "admin:mobility_b2bmeeting_changelist"),
    StaffList("trips", "mobility:trip_list", "admin:mobility_trip_changelist"),
    StaffList("visa board", "mobility:visa_board", "admin:mobility_visafile_changelist"),
    StaffList("invitations", "mobility:invitation_list", "admin:mobility_invitation_changelist"),
    StaffList("partnership pipeline", "mobility:pipeline_board", "admin:mobility_partnership_changelist"),
    StaffList("follow-up check-ins", "mobility:follow_up_staff", "admin:mobility_followupcheckin_changelist"),
    StaffList("alumni", "mobility:alumni_list", "admin:partners_entrepreneur_changelist"),
    StaffList(
        "coaching of a cohort (applications)",
        "coaching:cohort_overview",
        "admin:cohorts_application_changelist",
        kwargs={"cohort_pk": "cohort"},
    ),
    StaffList("coaching: cohorts", "coaching:cohort_list", "admin:cohorts_cohort_changelist"),
    StaffList(
        "mobility plans of a cohort", "mobility:plan_list", "admin:mobility_mobilityplan_changelist", params={"cohort": "cohort"}
    ),
    StaffList("report requests", "reporting:report_list", "admin:reporting_reportjob_changelist"),
    # The eligibility page lists cohorts (one row per cohort with its counts), the review board lists
    # applications (one row per application with its reviews): each is compared with the admin of its rows' model.
    StaffList("eligibility criteria: cohorts", "cohorts:criteria_cohort_list", "admin:cohorts_cohort_changelist"),
    StaffList(
        "reviews of a cohort (applications)",
        "cohorts:review_board",
        "admin:cohorts_application_changelist",
        kwargs={"pk": "cohort"},
    ),
    StaffList(
        "selection board of a cohort", "cohorts:selection_board", "admin:cohorts_application_changelist", kwargs={"pk": "cohort"}
    ),
    StaffList("evaluations", "reporting:evaluation_index", "admin:reporting_evaluation_changelist"),
)


# --------------------------------------------------------------------------------------------------
# Pure parts (tested in tests/test_bench_runner.py)
# --------------------------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    if not values:
        raise ValueError("no values")
    return statistics.median(values)


def ratio(value: float, baseline: float) -> float:
    if baseline <= 0:
        raise ValueError(f"baseline must be positive, got {baseline!r}")
    return value / baseline


def within(value: float, limit: tuple[str, float]) -> bool:
    operator, bound = limit
    if operator == "<=":
        return value <= bound
    if operator == ">=":
        return value >= bound
    raise ValueError(f"unknown operator {operator!r}")


def interleave(timers: dict[str, Callable[[], float]], repeats: int) -> dict[str, list[float]]:
    """Run each timer `repeats` times, alternating the order (A B C, C B A, ...) so that a slow spell
    on a shared machine falls on every figure alike; the samples per timer."""
    names = list(timers)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for run in range(repeats):
        for name in names if run % 2 == 0 else reversed(names):
            samples[name].append(timers[name]())
    return samples


@dataclass
class Row:
    figure: str
    value: str
    baseline: str = ""
    ratio: float | None = None
    limit: tuple[str, float] | None = None
    command: str = ""
    #: Why the figure is missing (the row then fails).
    missing: str = ""

    @property
    def verdict(self) -> str:
        if self.missing:
            return "FAIL (not measured)"
        if self.limit is None:
            return "reported"
        return "pass" if self.ratio is not None and within(self.ratio, self.limit) else "FAIL"

    @property
    def failed(self) -> bool:
        return self.verdict.startswith("FAIL")


@dataclass
class Section:
    title: str
    intro: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def format_limit(limit: tuple[str, float] | None) -> str:
    if limit is None:
        return "none (reported)"
    operator, bound = limit
    return f"{'≤' if operator == '<=' else '≥'} {bound:g}×"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def results_markdown(*, sections: list[Section], header: list[str]) -> str:
    lines = ["# Benchmark results (`make bench`)", "", *header, ""]
    failures = [(s.title, r) for s in sections for r in s.rows if r.failed]
    lines.append(
        f"**Overall: {'FAIL' if failures else 'pass'}** ({len(failures)} failing of {sum(len(s.rows) for s in sections)} rows)"
    )
    lines.append("")
    for section in sections:
        lines += [f"## {section.title}", "", section.intro, ""]
        lines.append("| figure | value | baseline | ratio | limit | result | command |")
        lines.append("|---|---|---|---|---|---|---|")
        for row in section.rows:
            value = f"not measured: {row.missing}" if row.missing else row.value
            shown_ratio = "" if row.ratio is None else f"{row.ratio:.2f}×"
            lines.append(
                "| "
                + " | ".join(
                    _cell(c)
                    for c in (
                        row.figure,
                        value,
                        row.baseline,
                        shown_ratio,
                        format_limit(row.limit),
                        row.verdict,
                        f"`{row.command}`",
                    )
                )
                + " |"
            )
        lines.append("")
        for note in section.notes:
            lines.append(f"- {note}")
        if section.notes:
            lines.append("")
    return "\n".join(lines)


def parse_wrk(output: str) -> dict:
    """The JSON line bench/wrk_report.lua prints at the end of a wrk run."""
    for line in reversed(output.splitlines()):
        line = line.strip()
        if line.startswith("{") and '"requests"' in line:
            data = json.loads(line)
            seconds = data["duration_us"] / 1e6
            data["rps"] = data["requests"] / seconds if seconds else 0.0
            data["p95_s"] = data["p95_us"] / 1e6
            return data
    raise ValueError("no result line in wrk's output:\n" + output[-2000:])


# --------------------------------------------------------------------------------------------------
# The data set
# --------------------------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    connection = psycopg2.connect(
        dbname="postgres",
        user=parsed.username or "postgres",
        password=parsed.password,
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", flush=True)
    connection.close()


def demo_size() -> int:
    """How many applications the demo programme PEM-WECCO has (its plan, nothing written)."""
    import random

    from cohorts import demo as cohorts_demo

    return sum(1 for spec in cohorts_demo.plan_applicants(random.Random(2024)) if spec["programme"] == "pem-wecco")


def top_up_coaching(programme_code: str, target: int) -> int:
    """Coaching sessions of the programme's selected applications up to `target` in all."""
    import random

    from coaching.models import CoachingSession
    from cohorts.models import Application, ApplicationStatus
    from partners.models import Coach

    existing = CoachingSession.objects.filter(application__cohort__programme__code=programme_code).count()
    if existing >= target:
        return 0
    rng = random.Random(5000)
    selected = list(
        Application.objects.filter(cohort__programme__code=programme_code, status=ApplicationStatus.SELECTED).values_list(
            "pk", flat=True
        )
    )
    coaches = list(Coach.objects.filter(user__email__startswith="bench-coach-"))
    sessions = [
        CoachingSession(
            application_id=selected[n % len(selected)],
            coach=rng.choice(coaches),
            kind=rng.choice(["individual", "group"]),
            held_on=datetime.date(2023, rng.randint(5, 12), rng.randint(1, 28)),
            duration_minutes=rng.choice([60, 90, 120]),
            topics="Suivi",
        )
        for n in range(target - existing)
    ]
    CoachingSession.objects.bulk_create(sessions, batch_size=2000)
    return len(sessions)


def build_check_ins(programme_code: str, target: int) -> int:
    """Follow-up check-ins of the programme up to `target`: the travellers at 1, 3, 6 and 12 months
    after their return, then the comparison group (rejected or wait-listed) at 6 and 12 months."""
    import random

    from cohorts.models import Application, ApplicationStatus
    from mobility.models import CheckInGroup, CheckInStatus, FollowUpCheckIn, Trip

    existing = FollowUpCheckIn.objects.filter(application__cohort__programme__code=programme_code).count()
    if existing >= target:
        return 0
    rng = random.Random(2000)
    today = datetime.date.today()
    rows: list[FollowUpCheckIn] = []

    def add(application_id: int, anchor: datetime.date, months: int, group: str) -> None:
        due = anchor + datetime.timedelta(days=30 * months)
        done = due < today and rng.random() < 0.7
        missed = due < today and not done and rng.random() < 0.5
        rows.append(
            FollowUpCheckIn(
                application_id=application_id,
                months_after=months,
                due_on=due,
                anchor=anchor,
                group=group,
                status=CheckInStatus.DONE if done else CheckInStatus.MISSED if missed else CheckInStatus.PENDING,
                completed_on=due if done else None,
                contracts_signed=rng.randint(0, 2) if done else 0,
                jobs_created=rng.randint(0, 3) if done else 0,
                has_belgian_partner=rng.random() < 0.3 if done else None,
            )
        )

    for trip in Trip.objects.filter(application__cohort__programme__code=programme_code).order_by("pk"):
        for months in (1, 3, 6, 12):
            add(trip.application_id, trip.returns_on, months, CheckInGroup.PARTICIPANT)
    comparison = Application.objects.filter(
        cohort__programme__code=programme_code, status__in=[ApplicationStatus.REJECTED, ApplicationStatus.WAITLISTED]
    ).order_by("pk")
    for application_id in comparison.values_list("pk", flat=True):
        if existing + len(rows) >= target:
            break
        for months in (6, 12):
            add(application_id, datetime.date(2023, 11, 30), months, CheckInGroup.COMPARISON)
    rows = rows[: target - existing]
    FollowUpCheckIn.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def build_data() -> dict:
    """Build what is missing (each builder skips what it finds) and return the counts."""
    sys.path.insert(0, str(ROOT / "bench"))
    import directory_bench
    import indicators_bench
    import selection_bench

    size = demo_size()
    for code, applications in ((PROGRAMME, APPLICATIONS), (PROGRAMME_1X, size), (PROGRAMME_10X, 10 * size)):
        selection_bench.build(code, applications=applications)
        indicators_bench.build_follow_up(code)
    directory_bench.build()
    from cohorts.models import Programme

    if not Programme.objects.filter(code="pem-wecco").exists():
        # The DAC report is measured on the demo programme (bench/report_bench.py): the one with an evaluation.
        from django.core.management import call_command

        call_command("load_demo", "--allow-production", verbosity=0)
    top_up_coaching(PROGRAMME, COACHING_SESSIONS)
    build_check_ins(PROGRAMME, CHECK_INS)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum would have them after a bulk load
    return data_counts()


def data_counts() -> dict:
    from coaching.models import CoachingSession
    from cohorts.models import Application
    from mobility.models import B2BMeeting, FollowUpCheckIn
    from partners.models import Organisation, OrganisationKind

    def programme(code: str) -> int:
        return Application.objects.filter(cohort__programme__code=code).count()

    return {
        "applications (all programmes)": Application.objects.count(),
        f"applications of programme '{PROGRAMME}'": programme(PROGRAMME),
        f"applications of '{PROGRAMME_1X}' (demo size)": programme(PROGRAMME_1X),
        f"applications of '{PROGRAMME_10X}' (10x)": programme(PROGRAMME_10X),
        "Belgian companies": Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).count(),
        "B2B meetings": B2BMeeting.objects.count(),
        "coaching sessions": CoachingSession.objects.count(),
        f"coaching sessions of '{PROGRAMME}'": CoachingSession.objects.filter(
            application__cohort__programme__code=PROGRAMME
        ).count(),
        "follow-up check-ins": FollowUpCheckIn.objects.count(),
        f"check-ins of '{PROGRAMME}'": FollowUpCheckIn.objects.filter(application__cohort__programme__code=PROGRAMME).count(),
    }


# --------------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------------


def bench_user():
    from django.contrib.auth.models import Group

    from accounts.models import User

    user, _ = User.objects.get_or_create(email="bench-super@example.org", defaults={"is_staff": True, "is_superuser": True})
    if not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.add(Group.objects.get(name="staff"))
    return user


def get_timer(client, url: str, params: dict) -> Callable[[], float]:
    def timer() -> float:
        start = time.perf_counter()
        response = client.get(url, params)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} {params} answered {response.status_code}")
        return elapsed

    return timer


def first_request(client, url: str, params: dict) -> tuple[float, int]:
    """The first request (warm-up), with its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        elapsed = get_timer(client, url, params)()
    return elapsed, len(queries)


def command_for(section: str) -> str:
    return f"make bench (this section alone: bench/run.py --only {section})"


def measure_lists(client, fixtures: dict) -> Section:
    from django.urls import reverse

    section = Section(
        "Staff list pages against the admin changelist of the same model",
        "First page of each list, no filter (the pages of one cohort: cohort 1 of programme 'bench', 5,000 "
        "applications; the admin changelists unfiltered), as a superuser of the staff group, through Django's test Client in "
        f"one process with DEBUG off. One warm-up each (its queries counted), then {REPEATS} runs with the staff "
        "page and the admin changelist interleaved; medians. Limits: the staff application list at most half the admin changelist's time (the issue's limit); every other staff list no slower than the admin listing the same model (1.0×).",
    )
    for page in STAFF_LISTS:
        kwargs = {name: fixtures[source] for name, source in page.kwargs.items()}
        params = {name: fixtures.get(value, value) for name, value in page.params.items()}
        url, admin_url = reverse(page.url_name, kwargs=kwargs or None), reverse(page.admin_url_name)
        try:
            _, queries = first_request(client, url, params)
            _, admin_queries = first_request(client, admin_url, {})
            samples = interleave({"page": get_timer(client, url, params), "admin": get_timer(client, admin_url, {})}, REPEATS)
        except Exception as error:  # a page that fails is a failing row, and the run goes on
            section.rows.append(Row(page.label, "", missing=f"{type(error).__name__}: {error}", command=command_for("lists")))
            continue
        value, baseline = median(samples["page"]), median(samples["admin"])
        section.rows.append(
            Row(
                f"{page.label}: {url} vs {admin_url}",
                f"{ms(value)}, {queries} queries",
                f"{ms(baseline)}, {admin_queries} queries",
                ratio(value, baseline),
                page.limit,
                command_for("lists"),
            )
        )
        print(f"  {page.label:40} {ms(value):>10} vs admin {ms(baseline):>10}  ratio {ratio(value, baseline):.2f}", flush=True)
    return section


def measure_growth(client, programmes: dict) -> Section:
    from django.urls import reverse

    size_1x = programmes[PROGRAMME_1X][1]
    section = Section(
        "Indicators page and dashboard: demo size and 10×",
        f"The same builders at demo size ('{PROGRAMME_1X}', {size_1x:,} applications: as many as the demo's PEM-WECCO) "
        f"and at 10× ('{PROGRAMME_10X}', {10 * size_1x:,}), plus the {APPLICATIONS:,}-application programme; each page "
        f"with ?programme=<id>. One warm-up each (its time and queries shown: the first request after the cache was "
        f"cleared at the start of the run), then {REPEATS} interleaved runs of all six; medians. The growth is "
        "reported, without a limit.",
    )
    section.intro += (
        " Each page twice: served from the cache of its data version (what a reader gets between two writes), "
        "and computed (a new data version set before each run, untimed: what the first reader after a write gets)."
    )
    pages = {"indicators page": "reporting:indicators", "dashboard": "reporting:dashboard"}
    states = {"cached": get_timer, "computed": computed_timer}
    timers, first = {}, {}
    for page, url_name in pages.items():
        for code in (PROGRAMME_1X, PROGRAMME_10X, PROGRAMME):
            url, params = reverse(url_name), {"programme": programmes[code][0]}
            first[(page, code)] = first_request(client, url, params)
            for state, make_timer in states.items():
                timers[(page, code, state)] = make_timer(client, url, params)
    # Each state interleaved on its own: a computed run sets a new data version for every page, so it would
    # leave nothing cached for a cached run after it.
    samples = {}
    for state in states:
        samples.update(interleave({key: timer for key, timer in timers.items() if key[2] == state}, REPEATS))
    for page in pages:
        for state in states:
            medians = {code: median(samples[(page, code, state)]) for code in (PROGRAMME_1X, PROGRAMME_10X, PROGRAMME)}
            for code in (PROGRAMME_1X, PROGRAMME_10X, PROGRAMME):
                warm, queries = first[(page, code)]
                section.rows.append(
                    Row(
                        f"{page} ({state}), {programmes[code][1]:,} applications ('{code}')",
                        f"{ms(medians[code])}" + (f" (first request {ms(warm)}, {queries} queries)" if state == "cached" else ""),
                        command=command_for("growth"),
                    )
                )
            section.rows.append(
                Row(
                    f"{page} ({state}): growth demo size → 10×",
                    ms(medians[PROGRAMME_10X]),
                    ms(medians[PROGRAMME_1X]),
                    ratio(medians[PROGRAMME_10X], medians[PROGRAMME_1X]),
                    command=command_for("growth"),
                )
            )
            print(f"  {page} ({state}): {', '.join(f'{c} {ms(v)}' for c, v in medians.items())}", flush=True)
    return section


def computed_timer(client, url: str, params: dict) -> Callable[[], float]:
    """Like get_timer, after a new data version (untimed): the page computes what it would otherwise read
    from the cache, as for the first reader after a write."""
    from django.db import connection

    from core.data_version import DATA, _bump_shared

    timer = get_timer(client, url, params)

    def run() -> float:
        _bump_shared(connection, DATA)
        return timer()

    return run


RESULT_MARK = "BENCH-RESULT "


def _external(module_name: str, **arguments) -> tuple[dict | None, str]:
    """`measure(**arguments)` of a bench module written elsewhere, in a fresh Python process (as a worker
    would be: its peak memory is its own, not this runner's); (result, why it is missing)."""
    completed = subprocess.run(
        [sys.executable, __file__, "--external", module_name, "--arguments", json.dumps(arguments)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(completed.stderr[-3000:])
    for line in reversed(completed.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            result = json.loads(line[len(RESULT_MARK) :])
            if "__missing__" in result:
                return None, result["__missing__"]
            return result, ""
    return None, f"{module_name}.measure gave no result (exit status {completed.returncode}): {completed.stderr[-300:]}"


def _external_child(module_name: str, arguments: dict) -> int:
    """The other side of `_external`: this process only runs `module.measure(**arguments)`."""
    import django
    from django.test import override_settings

    django.setup()
    override_settings(DEBUG=False).enable()
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        print(RESULT_MARK + json.dumps({"__missing__": f"module missing ({error.name})"}))
        return 0
    measure = getattr(module, "measure", None)
    if measure is None:
        print(RESULT_MARK + json.dumps({"__missing__": f"module missing: {module_name} has no measure()"}))
        return 0
    try:
        result = measure(**arguments)
    except Exception as error:
        print(RESULT_MARK + json.dumps({"__missing__": f"{module_name}.measure failed: {type(error).__name__}: {error}"}))
        return 0
    print(RESULT_MARK + json.dumps(result, default=str))
    return 0


def _pick(result: dict, *names: str, containing: tuple[str, ...] = ()) -> float:
    """The first of `names` in `result`, else the only number whose key contains all of `containing`."""
    for name in names:
        if result.get(name) is not None:
            return float(result[name])
    if containing:
        found = [
            key
            for key, value in result.items()
            if all(part in key.lower() for part in containing) and "ratio" not in key and isinstance(value, int | float)
        ]
        if len(found) == 1:
            return float(result[found[0]])
    raise KeyError(f"none of {names} in {sorted(result)}")


def measure_report() -> Section:
    section = Section(
        "DAC report: the job against WeasyPrint alone",
        f"bench/report_bench.py `measure(repeats={REPORT_REPEATS})`: the whole report job in a warm worker process against WeasyPrint "
        "alone on the same HTML, interleaved, medians; and the process's peak memory. Limit: the job at most 1.05× "
        "WeasyPrint alone.",
    )
    command = command_for("report")
    result, missing = _external("bench.report_bench", repeats=REPORT_REPEATS)
    if result is None:
        section.rows.append(Row("report job / WeasyPrint alone", "", limit=LIMIT_REPORT, missing=missing, command=command))
        return section
    try:
        job = _pick(result, "job_s", "seconds_job", "job", "job_seconds", containing=("job",))
        alone = _pick(
            result,
            "weasyprint_s",
            "seconds_weasyprint_alone",
            "weasyprint",
            "seconds_weasyprint",
            "weasyprint_seconds",
            containing=("weasy",),
        )
        row = Row(
            "report job (whole) vs WeasyPrint alone", f"{job:.2f} s", f"{alone:.2f} s", ratio(job, alone), LIMIT_REPORT, command
        )
    except (KeyError, ValueError) as error:
        row = Row("report job / WeasyPrint alone", "", limit=LIMIT_REPORT, missing=f"unexpected result: {error}", command=command)
    section.rows.append(row)
    extras = result
    try:
        computed, cached = result["html_ms_computed"], result["html_ms_cached"]
        section.rows.append(
            Row(
                "HTML of the report: computed after a write vs per-version results cached",
                f"{computed:.0f} ms ({computed / 10 / alone:.1f} % of WeasyPrint alone)",
                f"{cached:.0f} ms",
                command=command,
            )
        )
    except (KeyError, NameError, ZeroDivisionError) as error:
        section.rows.append(Row("HTML of the report", "", missing=f"unexpected result: {error}", command=command))
    try:
        peak = _pick(result, "peak_mb", "peak_MB", "rss_mb", "peak_rss_mb", containing=("peak",))
        section.rows.append(Row("worker's peak memory (resident)", f"{peak:.0f} MB", command=command))
    except KeyError as error:
        section.rows.append(Row("worker's peak memory", "", missing=f"unexpected result: {error}", command=command))
    if extras:
        section.notes.append("All that measure() returned: " + ", ".join(f"{k} = {v}" for k, v in extras.items()))
    return section


def measure_import() -> Section:
    section = Section(
        "Spreadsheet import against a bulk insert of the same rows",
        "bench/import_ratio.py `measure(rows=1000, repeats=5)`: the import of 1,000 rows through the platform's rules "
        "against a check plus bulk insert of the same rows, interleaved, medians. Limit: at most 3× the bulk insert.",
    )
    command = command_for("import")
    result, missing = _external("bench.import_ratio", rows=1000, repeats=5)
    if result is None:
        section.rows.append(Row("import / bulk insert (1,000 rows)", "", limit=LIMIT_IMPORT, missing=missing, command=command))
        return section
    try:
        seconds = _pick(result, "import_s", "seconds_import", "import")
        baseline = _pick(result, "baseline_s", "seconds_baseline", "bulk_s", "baseline")
        rows = int(result.get("rows", 1000))
        section.rows.append(
            Row(
                f"import of {rows:,} rows vs bulk insert",
                f"{seconds:.2f} s ({rows / seconds:,.0f} rows/s)",
                f"{baseline:.2f} s ({rows / baseline:,.0f} rows/s)",
                ratio(seconds, baseline),
                LIMIT_IMPORT,
                command,
            )
        )
    except (KeyError, ValueError) as error:
        section.rows.append(
            Row("import / bulk insert", "", limit=LIMIT_IMPORT, missing=f"unexpected result: {error}", command=command)
        )
    extras = result
    if extras:
        section.notes.append("All that measure() returned: " + ", ".join(f"{k} = {v}" for k, v in extras.items()))
    return section


def _server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        # The runner's own keys (main() sets them): the session it logged in is valid on the server.
        SECRET_KEY=os.environ["SECRET_KEY"],
        FIELD_ENCRYPTION_KEYS=os.environ["FIELD_ENCRYPTION_KEYS"],
        ALLOWED_HOSTS="127.0.0.1",
        MFA_ENFORCED="0",
        DATABASE_URL=database_url,
        # Templates use {% static %}: the plain storage spares a collectstatic (WhiteNoise's manifest is
        # a dictionary lookup more per file, the same for both views).
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        LOG_LEVEL="WARNING",
    )
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds:.0f} s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _check_page(url: str, cookie: str) -> None:
    """The page answers 200 to the staff session (not a redirect to the login or second-factor page)."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with opener.open(request, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise RuntimeError(f"{url} answered {status} to the staff session, not 200")


def measure_server(database_url: str, cookie: str, dashboard_path: str) -> Section:
    base = f"http://127.0.0.1:{PORT}"
    lua = ROOT / "bench" / "wrk_report.lua"
    wrk_command = f"wrk -t1 -c{SERVER_CONNECTIONS} -d{SERVER_SECONDS}s -s bench/wrk_report.lua -H 'Cookie: sessionid=…' <url>"
    gunicorn_command = (
        f"DJANGO_SETTINGS_MODULE=bench.settings DEBUG=0 MFA_ENFORCED=0 ALLOWED_HOSTS=127.0.0.1 "
        f"gunicorn pemwecco.wsgi --bind 127.0.0.1:{PORT} --workers {SERVER_WORKERS} --timeout 60"
    )
    section = Section(
        "Dashboard under gunicorn against a trivial view on the same server",
        f"`{gunicorn_command}` (PostgreSQL, {'Redis cache ' + os.environ['BENCH_REDIS_URL'] if os.environ.get('BENCH_REDIS_URL') else 'local-memory cache per worker'}), "
        f"load from wrk (`{wrk_command}`; the Lua script prints requests/s and the 95th percentile; the Cookie header "
        f"carries a logged-in staff session, the same for both URLs). {SERVER_ROUNDS} rounds of {SERVER_SECONDS} s per URL, "
        "interleaved, after a 2 s warm-up of each, with a pause after each run for the requests still queued to finish; medians. Limit: the dashboard at least half the trivial view's requests/s.",
    )
    command = command_for("server")
    wrk = shutil.which("wrk")
    if wrk is None:
        section.rows.append(
            Row(
                "dashboard / trivial view (requests/s)",
                "",
                limit=LIMIT_SERVER,
                missing="wrk is not installed (apt-get install wrk)",
                command=command,
            )
        )
        return section
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    if not gunicorn.exists():
        gunicorn = Path(shutil.which("gunicorn") or "gunicorn")
    log = tempfile.NamedTemporaryFile(prefix="pem-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [str(gunicorn), "pemwecco.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", str(SERVER_WORKERS), "--timeout", "60"],
        cwd=ROOT,
        env=_server_env(database_url),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    urls = {"trivial view": f"{base}/bench/trivial/", "dashboard": f"{base}{dashboard_path}"}
    try:
        _wait_for(urls["trivial view"], process)
        for url in urls.values():
            _check_page(url, cookie)

        def load(url: str, seconds: int) -> dict:
            completed = subprocess.run(
                [
                    wrk,
                    "-t1",
                    f"-c{SERVER_CONNECTIONS}",
                    f"-d{seconds}s",
                    "--timeout",
                    "30s",
                    "-s",
                    str(lua),
                    "-H",
                    f"Cookie: {cookie}",
                    url,
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
                check=True,
            )
            result = parse_wrk(completed.stdout)
            # wrk stops with requests still queued in the workers: let them finish before the next run,
            # so that one URL's tail does not fall on the other's figures.
            time.sleep(min(30.0, 2 * result["p99_us"] / 1e6 + 0.5))
            return result

        for url in urls.values():
            load(url, 2)
        runs: dict[str, list[dict]] = {name: [] for name in urls}
        for round_number in range(SERVER_ROUNDS):
            for name in urls if round_number % 2 == 0 else reversed(list(urls)):
                runs[name].append(load(urls[name], SERVER_SECONDS))
    except Exception as error:
        log.flush()
        tail = Path(log.name).read_text(errors="replace")[-1500:]
        print(f"gunicorn's log ({log.name}), last lines:\n{tail}", file=sys.stderr)
        section.rows.append(
            Row(
                "dashboard / trivial view (requests/s)",
                "",
                limit=LIMIT_SERVER,
                missing=f"{type(error).__name__}: {error}",
                command=command,
            )
        )
        return section
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
    rps = {name: median([run["rps"] for run in samples]) for name, samples in runs.items()}
    p95 = {name: median([run["p95_s"] for run in samples]) for name, samples in runs.items()}
    errors = {name: sum(run["errors"] for run in samples) for name, samples in runs.items()}
    for name in urls:
        if errors[name]:
            section.notes.append(f"{name}: {errors[name]} socket errors or non-2xx/3xx answers during the load (counted by wrk).")
    section.rows.append(
        Row(
            f"requests per second: dashboard ({dashboard_path}) vs trivial view",
            f"{rps['dashboard']:.1f} req/s",
            f"{rps['trivial view']:.1f} req/s",
            ratio(rps["dashboard"], rps["trivial view"]),
            LIMIT_SERVER,
            command,
        )
    )
    section.rows.append(
        Row(
            "p95 latency: dashboard vs trivial view",
            ms(p95["dashboard"]),
            ms(p95["trivial view"]),
            ratio(p95["dashboard"], p95["trivial view"]),
            command=command,
        )
    )
    for name, samples in runs.items():
        section.notes.append(
            f"{name}, each round: "
            + "; ".join(f"{run['rps']:.1f} req/s, p95 {ms(run['p95_s'])}, {run['requests']} requests" for run in samples)
        )
    print(f"  server: {rps}  p95 {p95}", flush=True)
    return section


# --------------------------------------------------------------------------------------------------


def _git_state() -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        return commit + (" (with uncommitted changes)" if dirty.strip() else "")
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections among {', '.join(SECTIONS)}")
    parser.add_argument("--output", default=str(RESULTS))
    parser.add_argument("--external", help=argparse.SUPPRESS)  # internal: run one module's measure() (see _external)
    parser.add_argument("--arguments", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.external:
        return _external_child(args.external, json.loads(args.arguments))
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    if unknown := sorted(set(chosen) - set(SECTIONS)):
        parser.error(f"unknown sections {unknown}")

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("BENCH_DATABASE_URL must be a PostgreSQL URL (postgres://...)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    started_at = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    ensure_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "pemwecco.settings"
    os.environ.setdefault("DEBUG", "true")  # overridden to False below, once set up (no SECRET_KEY needed)
    os.environ["MFA_ENFORCED"] = "0"  # the bench times pages, not the second factor
    # One secret key and one encryption key for this process and the gunicorn it starts: a session
    # logged in here is then valid there (the session's authentication hash depends on SECRET_KEY).
    from cryptography.fernet import Fernet

    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["FIELD_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if os.environ.get("BENCH_REDIS_URL"):
        os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    else:
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    from cohorts.models import Cohort, Programme

    setup_test_environment()  # the test Client in a script: ALLOWED_HOSTS gets 'testserver'
    override_settings(DEBUG=False).enable()  # as in production: no query log
    call_command("migrate", verbosity=0)
    from cohorts.models import Application

    built_before = Application.objects.filter(cohort__programme__code=PROGRAMME).count() >= APPLICATIONS
    build_started = time.perf_counter()
    counts = build_data()
    build_seconds = time.perf_counter() - build_started
    print(f"data ready in {build_seconds:.1f} s: {counts}", flush=True)
    cache.clear()  # the configured cache only (local memory, or BENCH_REDIS_URL's own database)

    user = bench_user()
    client = Client()
    client.force_login(user)
    programmes = {
        code: (programme.pk, programme.cohorts.aggregate(n=django.db.models.Count("applications"))["n"])
        for code in (PROGRAMME, PROGRAMME_1X, PROGRAMME_10X)
        for programme in [Programme.objects.get(code=code)]
    }
    fixtures = {"cohort": Cohort.objects.get(programme__code=PROGRAMME, number=1).pk}

    sections: list[Section] = []
    for name in chosen:
        print(f"measuring: {name}", flush=True)
        section_started = time.perf_counter()
        if name == "lists":
            section = measure_lists(client, fixtures)
        elif name == "growth":
            section = measure_growth(client, programmes)
        elif name == "report":
            section = measure_report()
        elif name == "import":
            section = measure_import()
        else:
            from django.conf import settings
            from django.urls import reverse

            cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            dashboard = f"{reverse('reporting:dashboard')}?programme={programmes[PROGRAMME][0]}"
            section = measure_server(database_url, cookie, dashboard)
        section.notes.append(f"Section measured in {time.perf_counter() - section_started:.0f} s.")
        sections.append(section)

    total = time.perf_counter() - started
    header = [
        f"Run of {started_at:%Y-%m-%d %H:%M} UTC on commit {_git_state()}, {os.cpu_count()} CPUs, load average "
        f"{load_before[0]:.1f} at the start and {os.getloadavg()[0]:.1f} at the end (a shared machine: only the ratios "
        "carry limits). Command: `make bench` (`.venv/bin/python bench/run.py`), database "
        f"`{urlparse(database_url).path.lstrip('/')}` on PostgreSQL.",
        "",
        f"Data set ({'reused from an earlier run' if built_before else 'built in this run'}: {build_seconds:.0f} s spent "
        f"{'checking' if built_before else 'building'} it, ANALYZE included; the whole run took {total / 60:.1f} min):",
        "",
        *[f"- {name}: {value:,}" for name, value in counts.items()],
        "",
        f"Each ratio is figure / baseline, both measured in this run; limits are on the ratio. Sections: {', '.join(chosen)}.",
    ]
    Path(args.output).write_text(results_markdown(sections=sections, header=header) + "\n", encoding="utf-8")
    failures = [row for section in sections for row in section.rows if row.failed]
    print(f"wrote {args.output}: {'FAIL' if failures else 'pass'} ({len(failures)} failing rows) in {total / 60:.1f} min")
    for row in failures:
        print(f"  FAIL {row.figure}: {row.missing or f'{row.ratio:.2f}x, limit {format_limit(row.limit)}'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
