"""Every list page reads its rows in the order it shows them from an index: the database walks the
index and stops after the page instead of sorting the whole table on every request.

The test opens every page of the project (and every admin changelist) with a few rows in each table,
captures the SQL the page runs, and asks the database for the plan of each list query:
- SQLite: `EXPLAIN QUERY PLAN` must not say "USE TEMP B-TREE FOR ORDER BY" (nor "FOR RIGHT PART OF
  ORDER BY": the index would then give only the first columns of the order);
- PostgreSQL (DATABASE_URL in CI, marker `services`): with sequential scans and sorts discouraged (a
  sort then appears only where no index gives the order), `EXPLAIN` must show no Sort above a scan of
  the listed table.

A list query is the paginated query of a page (ORDER BY ... LIMIT of a page size) or the query that a
page of LIST_PAGES declares as its list. A page that pages a list without being declared here fails, so
a list added later has to say which table it lists, and gets its index checked.
"""

import json
import os
import re
from unittest import mock

import pytest
from django.contrib import admin
from django.core.paginator import Paginator
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import one_user_per_role
from mobility.tests.test_alumni import participant
from tests.test_admin import REGISTERED, ROW_FACTORIES
from tests.test_urls_access import EXPECTED, project_urls

pytestmark = pytest.mark.django_db

#: Pages that list rows of a table that grows with the programmes' activity -> that table. Their list
#: query is the first query on that table with an ORDER BY (the page of a paginated list).
LIST_PAGES = {
    "cohorts:application_list": "cohorts_application",
    "cohorts:application_import": "cohorts_applicationimport",
    "mobility:directory": "partners_organisation",
    "mobility:directory_import": "partners_companyimport",
    "mobility:trip_list": "mobility_trip",
    "mobility:meeting_list": "mobility_b2bmeeting",
    "mobility:invitation_list": "mobility_invitation",
    "mobility:alumni_list": "partners_entrepreneur",
    "mobility:follow_up_staff": "mobility_followupcheckin",
    "mobility:personal_data_staff": "mobility_anonymisation",
    "reporting:report_list": "reporting_reportjob",
    # The dashboard's latest finished reports of the programme.
    "reporting:dashboard": "reporting_reportjob",
}

#: The boards of one cohort (50 rows a page): their order is computed over the cohort's applications in
#: Python (ranking by score, reviews, sessions, plan state), from light queries filtered by the cohort's
#: index, then the page's rows are read by primary key. No index can give a computed order; a cohort's
#: applications stay bounded (hundreds; 5,000 in make bench, where these pages are timed against the admin).
COHORT_BOARDS = {"cohorts:review_board", "cohorts:selection_board", "coaching:cohort_overview", "mobility:plan_list"}

#: Declared list pages whose rows are a bounded subset the database reads by primary key and then sorts:
#: no index can give that order, and the subset stays small.
SORTED_SUBSETS = {
    # Alumni are the participants who travelled and finished their follow-up (hundreds per programme):
    # `pk IN (alumni)` reads them by primary key, then sorts them by name.
    "mobility:alumni_list",
}

#: Admin changelists of tables that stay small (programme set-up, reference data, a handful of rows per
#: programme or cohort): sorting them in memory costs nothing, so they need no index for their order.
SMALL_TABLES = {
    "accounts_user",
    "partners_region", "partners_regiongroup", "partners_coach",
    "cohorts_programme", "cohorts_programmemembership", "cohorts_programmepartner", "cohorts_cohort",
    "cohorts_eligibilitycriterion", "cohorts_rubriccriterion",
    "cohorts_committeemembership", "cohorts_committeemeeting", "cohorts_committeeattendance",
    "cohorts_incubatorsubproject", "cohorts_budgetline",
    "coaching_groupevent", "coaching_coachdigest",
    "mobility_economicmission", "mobility_visarequirement", "mobility_retentionrun", "mobility_targetpartner",
    "reporting_resultobjective", "reporting_indicator", "reporting_indicatortarget", "reporting_evaluation",
    "reporting_criteriongrade", "reporting_criterionfinding", "reporting_evaluationquestion", "reporting_conclusion",
    "reporting_recommendation", "reporting_managementresponse", "reporting_lesson",
}  # fmt: skip

#: The smallest LIMIT that is a page of a list (LIMIT 1 or 2 is "the latest one", LIMIT 21 a get()).
PAGE_LIMIT = re.compile(r"\bLIMIT (\d+)(?: OFFSET \d+)?\s*$")
MIN_PAGE_SIZE = 10


def _top_level(sql: str, keyword: str) -> int:
    """Where `keyword` first appears outside any parenthesis (not in a subquery), or -1."""
    depth = 0
    for index, char in enumerate(sql):
        depth += (char == "(") - (char == ")")
        if depth == 0 and sql.startswith(keyword, index):
            return index
    return -1


def _table(sql: str) -> str | None:
    """The table a SELECT reads its rows from (its own FROM, not a subquery's)."""
    start = _top_level(sql, " FROM ") if sql.startswith("SELECT") else -1
    match = re.match(r' FROM "(\w+)"', sql[start:]) if start >= 0 else None
    return match.group(1) if match else None


def _own_order_by(sql: str) -> bool:
    """The query orders its own rows: an ORDER BY outside any parenthesis (not a subquery's)."""
    return _top_level(sql, "ORDER BY") >= 0


def _is_page_query(sql: str) -> bool:
    """The first rows of a list: its own ORDER BY and a LIMIT of at least a page (not "the latest one")."""
    match = PAGE_LIMIT.search(sql)
    return bool(sql.startswith("SELECT") and match and int(match.group(1)) >= MIN_PAGE_SIZE and _own_order_by(sql))


def sort_problem(sql: str, params, table: str) -> str | None:
    """None when the database reads `table` in the query's order from an index, else the plan."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = [row[-1] for row in cursor.fetchall()]
            return None if not any("TEMP B-TREE FOR" in line and "ORDER BY" in line for line in plan) else "\n".join(plan)
        if connection.vendor == "postgresql":
            with transaction.atomic():
                # A few rows here, where sorting costs nothing: discourage sequential scans and sorts, so
                # the planner sorts only when no index gives the order (as on a table of thousands).
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_sort = off")
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
            return None if not _pg_sorts(plan[0]["Plan"], table) else json.dumps(plan, indent=1)
    pytest.skip(f"no plan check for {connection.vendor}")


def _pg_sorts(node: dict, table: str, under_sort: bool = False) -> bool:
    under_sort = under_sort or node["Node Type"] in ("Sort", "Incremental Sort")
    if under_sort and node.get("Relation Name") == table:
        return True
    return any(_pg_sorts(child, table, under_sort) for child in node.get("Plans", []))


def _capture(client, url: str) -> tuple[int, list[tuple[str, tuple]], set[str]]:
    """The page's status, its queries, and the tables whose rows it paginated (Paginator.page)."""
    queries, paginated = [], set()
    page = Paginator.page

    def keep(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    def page_recorded(self, number):
        model = getattr(self.object_list, "model", None)
        paginated.add(model._meta.db_table if model is not None else "(a Python list)")
        return page(self, number)

    with connection.execute_wrapper(keep), mock.patch.object(Paginator, "page", page_recorded):
        status = client.get(url).status_code
    return status, queries, paginated


@pytest.fixture
def rows():
    """A row or two in every table the admin shows (each factory makes its own parents)."""
    for model in REGISTERED:
        ROW_FACTORIES[model]()
        try:
            with transaction.atomic():
                ROW_FACTORIES[model]()
        except IntegrityError:  # a factory with fixed unique values makes one row only
            pass
    participant()  # an alumnus, for the alumni page


def _pages_problems(client, users) -> tuple[list[str], list[str]]:
    undeclared, problems = [], []
    for _route, name, _callback in project_urls():
        expected = EXPECTED[name]
        visitor = next(
            (v for v in ("staff", "coach", "reviewer", "entrepreneur", "committee", "evaluator") if expected.get(v) == 200), None
        )
        if visitor is None:
            assert name not in LIST_PAGES, f"{name}: nobody opens this page in EXPECTED"
            continue
        kwargs = expected.get("kwargs", {})
        client.force_login(users[visitor])
        url = reverse(name, kwargs=kwargs(users) if callable(kwargs) else kwargs)
        status, queries, paginated = _capture(client, url)
        assert status == 200, (name, url, status)
        selects = [(sql, params) for sql, params in queries if sql.startswith("SELECT")]
        checked = []
        if name in LIST_PAGES:
            table = LIST_PAGES[name]
            listed = [(sql, params) for sql, params in selects if _table(sql) == table and _own_order_by(sql)]
            if not listed:
                problems.append(f"{name}: no ordered query on {table} (is LIST_PAGES up to date?)")
            if name not in SORTED_SUBSETS:
                checked += [(sql, params, table) for sql, params in listed[:1]]
        pages = [(sql, params, _table(sql)) for sql, params in selects if _is_page_query(sql)]
        if name in COHORT_BOARDS:
            continue
        if (pages or paginated) and name not in LIST_PAGES:
            undeclared.append(f"{name}: lists {sorted(paginated | {table for _s, _p, table in pages})}")
        if name not in SORTED_SUBSETS:
            checked += [page for page in pages if page[:2] not in [c[:2] for c in checked]]
        for sql, params, table in checked:
            problem = sort_problem(sql, params, table)
            if problem:
                problems.append(f"{name} ({url}) sorts {table} in memory:\n{sql}\n{problem}")
    return undeclared, problems


def test_every_list_page_reads_its_order_from_an_index(client, rows):
    users = one_user_per_role()
    undeclared, problems = _pages_problems(client, users)
    assert not undeclared, f"Declare these list pages in LIST_PAGES (tests/test_list_order_indexes.py): {undeclared}"
    assert not problems, "\n\n".join(problems)


def test_every_admin_changelist_reads_its_order_from_an_index(client, rows):
    client.force_login(UserFactory(roles=[Role.STAFF], is_superuser=True))
    problems = []
    for model in REGISTERED:
        table = model._meta.db_table
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        status, queries, _paginated = _capture(client, url)
        assert status == 200, (url, status)
        page = [(sql, params) for sql, params in queries if _table(sql) == table and _own_order_by(sql)]
        if not page:
            problems.append(f"{url}: no page query on {table} found")
            continue
        if table in SMALL_TABLES:
            continue
        problem = sort_problem(*page[0], table)
        if problem:
            ordering = admin.site._registry[model].get_ordering(None) or model._meta.ordering
            problems.append(f"{url} sorts {table} ({ordering}) in memory:\n{page[0][0]}\n{problem}")
    assert not problems, "\n\n".join(problems)


def test_the_plan_check_sees_a_sort_in_memory():
    """The check itself: ordering applications by a column without an index is reported."""
    from cohorts.models import Application

    sql, params = Application.objects.order_by("motivation")[:50].query.sql_with_params()
    assert sort_problem(sql, params, "cohorts_application") is not None
    from core.db import desc_nulls_last

    sql, params = Application.objects.order_by(desc_nulls_last("submitted_at"), "-created_at", "-pk")[:50].query.sql_with_params()
    assert sort_problem(sql, params, "cohorts_application") is None


@pytest.mark.services
def test_the_plans_are_checked_on_postgresql_in_ci():
    """CI runs the whole suite on PostgreSQL (DATABASE_URL), so the walks above check its plans; here,
    that the PostgreSQL check itself sees a sort in memory."""
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the tests do not run on PostgreSQL: .ci/run must export DATABASE_URL")
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    test_the_plan_check_sees_a_sort_in_memory()
