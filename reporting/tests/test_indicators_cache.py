"""The indicators are computed once per version of the data (core.data_version) and read from the cache
afterwards; every kind of write that changes a figure gives the next reader the new figure: through the
services, `queryset.update()`, `bulk_create`, a delete, raw SQL, and a write committed by another
connection (as a Celery worker's). Each case compares the figures read through the cache with the
figures computed afresh, and checks that the write did change them (else the case would prove nothing)."""

import dataclasses
import datetime
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching.services import coaching_session_log
from coaching.tests.factories import CoachAssignmentFactory
from cohorts.models import Application, ApplicationStatus, CommitteeMembership, DecisionOutcome
from cohorts.services.apply import application_submit
from cohorts.services.selection import selection_decide
from cohorts.tests.factories import (
    ApplicationFactory,
    CohortFactory,
    CommitteeMeetingFactory,
    ProgrammeMembershipFactory,
)
from cohorts.tests.factories_apply import CompleteDraftFactory
from core import data_version
from mobility import services as mobility_services
from mobility import services_visa
from mobility.models import Trip, TripStatus
from mobility.tests.factories import B2BMeetingFactory, TripFactory, VisaFileFactory
from partners.tests.factories import BelgianCompanyFactory, OrganisationFactory
from reporting import indicators as indicators_module
from reporting.indicators import compute_indicators

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def figures(value):
    """The figures of an IndicatorSet as plain data (without when it was computed)."""
    if dataclasses.is_dataclass(value):
        return {
            f.name: figures(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in ("computed_at", "programme", "cohort")
        }
    if isinstance(value, dict | defaultdict):
        return {key: figures(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [figures(item) for item in value]
    return value


def fresh(programme, cohort=None):
    return figures(indicators_module._compute(programme, cohort))


def read(programme, cohort=None):
    return figures(compute_indicators(programme=programme, cohort=cohort))


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.SELECTED, ApplicationStatus.SELECTED):
        ApplicationFactory(cohort=cohort, submitted=True, status=status)
    return cohort


@pytest.fixture
def staff():
    return UserFactory(roles=[Role.STAFF])


def selected(cohort):
    return ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.SELECTED)


def assert_fresh_after(write, programme, cohort=None):
    """Warm the cache, write, then read: the figures read are the new ones."""
    before = read(programme, cohort)
    assert read(programme, cohort) == before  # served from the cache
    write()
    after = read(programme, cohort)
    assert after == fresh(programme, cohort)
    assert after != before, "the write did not change any figure: this case proves nothing"


# --------------------------------------------------------------------------------------------------
# The cache is used
# --------------------------------------------------------------------------------------------------


def test_a_second_computation_runs_no_query(cohort):
    programme = cohort.programme
    with CaptureQueriesContext(connection) as first:
        compute_indicators(programme=programme)
    with CaptureQueriesContext(connection) as second:
        again = compute_indicators(programme=programme)

    assert len(first) >= 15
    assert len(second) == 0
    assert again.programme is programme and again.cohort is None
    assert figures(again) == fresh(programme)


def test_the_programme_and_each_cohort_are_cached_apart(cohort):
    other = CohortFactory(programme=cohort.programme)
    ApplicationFactory(cohort=other, submitted=True)

    whole, one, two = read(cohort.programme), read(cohort.programme, cohort), read(cohort.programme, other)

    assert whole["funnel"][0]["total"] == 4
    assert (one["funnel"][0]["total"], two["funnel"][0]["total"]) == (3, 1)
    assert read(cohort.programme, cohort) == one


def test_the_dashboards_second_request_reads_the_cache_in_a_small_constant_number_of_queries(client, cohort):
    programme = cohort.programme
    member = UserFactory(roles=["committee"])
    ProgrammeMembershipFactory(programme=programme, user=member, role="committee")
    client.force_login(member)
    url = reverse("reporting:dashboard")
    client.get(url, {"programme": programme.pk})  # remembers the programme in the session

    ApplicationFactory(cohort=cohort, submitted=True)  # a new version: computed again
    with CaptureQueriesContext(connection) as computed:
        client.get(url, {"programme": programme.pk})
    for _ in range(20):
        selected(cohort)
    with CaptureQueriesContext(connection) as computed_again:
        client.get(url, {"programme": programme.pk})
    with CaptureQueriesContext(connection) as cached:
        response = client.get(url, {"programme": programme.pk})

    assert len(computed_again) == len(computed) >= 25  # whatever the data
    assert len(cached) <= 10
    assert not any("cohorts_application" in query["sql"] for query in cached.captured_queries)
    assert 'data-figure="applications">24<' in response.content.decode()
    assert 'data-figure="selected">22<' in response.content.decode()


def test_another_day_computes_again(cohort, monkeypatch):
    programme = cohort.programme
    compute_indicators(programme=programme)
    tomorrow = TODAY + datetime.timedelta(days=1)
    monkeypatch.setattr(indicators_module.timezone, "localdate", lambda *args: tomorrow)

    with CaptureQueriesContext(connection) as queries:
        compute_indicators(programme=programme)

    assert len(queries) >= 15


def test_the_language_is_part_of_the_key(cohort):
    from django.utils import translation

    with translation.override("fr"):
        french = compute_indicators(programme=cohort.programme).funnel[0].label
    with translation.override("en"):
        english = compute_indicators(programme=cohort.programme).funnel[0].label

    assert french != english


# --------------------------------------------------------------------------------------------------
# Writes through the services
# --------------------------------------------------------------------------------------------------


def test_an_application_submitted(cohort):
    draft = CompleteDraftFactory(cohort=cohort)

    assert_fresh_after(
        lambda: application_submit(application=draft, by=draft.entrepreneur.user, declaration_accepted=True), cohort.programme
    )


def test_an_application_selected(cohort, staff):
    shortlisted = ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.SHORTLISTED)

    assert_fresh_after(
        lambda: selection_decide(
            application=shortlisted, outcome=DecisionOutcome.SELECTED, reason="Très bon", by=staff, override_reason="Jury"
        ),
        cohort.programme,
        cohort,
    )


def test_a_coaching_session_logged(cohort):
    assignment = CoachAssignmentFactory(application=selected(cohort))

    assert_fresh_after(
        lambda: coaching_session_log(
            coach=assignment.coach,
            application=assignment.application,
            held_on=TODAY - datetime.timedelta(days=2),
            duration_minutes=60,
        ),
        cohort.programme,
    )


def test_a_visa_decision(cohort, staff):
    visa_file = VisaFileFactory(
        application=selected(cohort), status="submitted", submitted_on=TODAY - datetime.timedelta(days=20)
    )

    assert_fresh_after(
        lambda: services_visa.visa_status_change(visa_file=visa_file, to_status="granted", on=TODAY, by=staff),
        cohort.programme,
    )


def test_a_b2b_meeting_and_a_committee_meeting(cohort):
    trip = TripFactory(application=selected(cohort), status=TripStatus.COMPLETED)

    assert_fresh_after(lambda: B2BMeetingFactory(trip=trip), cohort.programme)
    assert_fresh_after(lambda: CommitteeMeetingFactory(programme=cohort.programme, held_on=TODAY), cohort.programme)


def test_a_partnership_stage_and_a_transaction(cohort):
    partnership = mobility_services.partnership_create(
        application=selected(cohort), organisation=BelgianCompanyFactory(), type="export", started_on=TODAY
    )

    assert_fresh_after(
        lambda: mobility_services.partnership_stage_change(partnership=partnership, to_stage="discussion", on=TODAY),
        cohort.programme,
    )
    assert_fresh_after(
        lambda: mobility_services.partnership_transaction_add(
            partnership=partnership, kind="order", occurred_on=TODAY, value=Decimal("1000"), currency="EUR"
        ),
        cohort.programme,
    )


# --------------------------------------------------------------------------------------------------
# Writes that bypass save(): update(), bulk_create, delete, raw SQL
# --------------------------------------------------------------------------------------------------


def test_a_queryset_update(cohort):
    assert_fresh_after(
        lambda: Application.objects.filter(cohort=cohort, status=ApplicationStatus.SUBMITTED).update(
            status=ApplicationStatus.SELECTED
        ),
        cohort.programme,
    )


def test_a_bulk_create(cohort):
    organisations = [OrganisationFactory() for _ in range(2)]

    assert_fresh_after(
        lambda: CommitteeMembership.objects.bulk_create(
            [CommitteeMembership(programme=cohort.programme, organisation=o, joined_on=TODAY) for o in organisations]
        ),
        cohort.programme,
    )


def test_a_delete(cohort):
    trip = TripFactory(application=selected(cohort), status=TripStatus.COMPLETED)

    assert_fresh_after(lambda: Trip.objects.filter(pk=trip.pk).delete(), cohort.programme)


def test_raw_sql(cohort):
    def write():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cohorts_application SET status = %s WHERE cohort_id = %s AND status = %s",
                [ApplicationStatus.SELECTED, cohort.pk, ApplicationStatus.SUBMITTED],
            )

    assert_fresh_after(write, cohort.programme)


def test_a_write_rolled_back_to_a_savepoint_is_not_seen(cohort):
    before = read(cohort.programme)

    with transaction.atomic():
        selected(cohort)
        assert read(cohort.programme) != before  # the connection sees its own write
        transaction.set_rollback(True)

    assert read(cohort.programme) == before == fresh(cohort.programme)


def test_writes_to_sessions_and_job_rows_keep_the_indicators():
    """Sessions, login attempts and the like change no version; job rows (status, heartbeat) only the jobs'
    version: neither makes the indicators be computed again."""
    assert data_version.is_data_write('INSERT INTO "cohorts_application" ("status") VALUES (%s)')
    assert data_version.is_data_write('UPDATE "mobility_trip" SET "status" = %s')
    assert data_version.is_data_write('DELETE FROM "coaching_coachingsession" WHERE "id" = %s')
    assert data_version.is_data_write('TRUNCATE "axes_accesslog", "cohorts_application"')
    assert data_version.is_data_write("update cohorts_application set status = 'selected'")
    assert not data_version.is_data_write('SELECT "cohorts_application"."id" FROM "cohorts_application"')
    assert not data_version.is_data_write('UPDATE "django_session" SET "session_data" = %s')
    assert not data_version.is_data_write('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)')
    assert data_version.write_kind('UPDATE "reporting_reportjob" SET "heartbeat_at" = %s') == data_version.JOBS
    assert data_version.write_kind('UPDATE "accounts_outgoingemail" SET "status" = %s') == data_version.JOBS
    assert data_version.write_kind('UPDATE "django_session" SET "session_data" = %s') is None


def test_the_indicators_read_no_noise_table(cohort):
    """What makes ignoring their writes safe."""
    with CaptureQueriesContext(connection) as queries:
        indicators_module._compute(cohort.programme, None)

    noise = data_version.NOISE_TABLES | data_version.job_tables()
    read_tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert not [table for table in noise if f'"{table}"' in read_tables]
    assert not [prefix for prefix in data_version.NOISE_PREFIXES if f'"{prefix}' in read_tables]


# --------------------------------------------------------------------------------------------------
# A write committed by another connection (a worker), and commits in general
# --------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_by_another_connection():
    cohort = CohortFactory()
    ApplicationFactory(cohort=cohort, submitted=True)
    programme = cohort.programme
    before = read(programme)
    assert read(programme) == before

    def worker():
        try:
            with transaction.atomic():
                for _ in range(2):
                    ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.SELECTED)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()

    after = read(programme)
    assert after == fresh(programme)
    assert after["funnel"][0]["total"] == before["funnel"][0]["total"] + 2


@pytest.mark.django_db(transaction=True)
def test_a_transaction_changes_the_shared_version_only_when_it_commits():
    CohortFactory()  # autocommit: a new version at once
    version = data_version.data_version()

    with transaction.atomic():
        CohortFactory()
        inside = data_version.data_version()
        assert inside != version and inside.startswith(version + ".")  # this connection's own view
        assert data_version.cache.get(data_version._shared_key(connection)) == version  # the others' unchanged
    assert data_version.data_version() not in (version, inside)  # committed: a new shared version

    committed = data_version.data_version()
    with transaction.atomic():
        CohortFactory()
        transaction.set_rollback(True)
    assert data_version.data_version() == committed  # rolled back: nothing changed


def test_a_report_finishing_appears_on_the_dashboard_at_once(client, cohort):
    from reporting.models import ReportJob
    from reporting.tests.factories import ReportJobFactory

    programme = cohort.programme
    member = UserFactory(roles=["committee"])
    ProgrammeMembershipFactory(programme=programme, user=member, role="committee")
    job = ReportJobFactory(programme=programme, kind="committee", status="running", error="")
    client.force_login(member)
    url = reverse("reporting:dashboard")
    assert client.get(url, {"programme": programme.pk}).context["reports"] == []
    assert client.get(url, {"programme": programme.pk}).context["reports"] == []  # (read from the cache)

    ReportJob.objects.filter(pk=job.pk).update(status="done", sha256="a" * 64)  # as the worker's job_finish

    assert [row for row, _url in client.get(url, {"programme": programme.pk}).context["reports"]] == [job]
