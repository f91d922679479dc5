"""Staff's coaching overview of a cohort: bulk assignment with a lead coach, hours and sessions per
entrepreneur, those without a session for 30 days, overdue actions, the monthly workload chart computed
on a hand-built data set, the export, and a constant query count."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching.charts import workload_chart
from coaching.models import ActionItem, CoachAssignment
from coaching.selectors import coach_workload
from coaching.tests.factories import CoachingSessionFactory, GroupEventFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory, CohortFactory
from partners.tests.factories import CoachFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    return client


def selected(cohort, n):
    return [ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.SELECTED) for _ in range(n)]


def test_staff_assign_a_lead_coach_to_several_entrepreneurs_at_once(staff_client):
    cohort = CohortFactory()
    applications = selected(cohort, 3)
    first, second = CoachFactory(), CoachFactory()
    url = reverse("coaching:cohort_assign", args=[cohort.pk])
    refused = staff_client.post(url, {"coach": first.pk})
    assert refused.status_code == 400 and "Cochez au moins" in refused.content.decode()
    staff_client.post(url, {"coach": first.pk, "is_lead": "on", "applications": [a.pk for a in applications[:2]]})
    staff_client.post(url, {"coach": second.pk, "is_lead": "on", "applications": [applications[0].pk]})
    assert CoachAssignment.objects.filter(coach=first).count() == 2
    leads = CoachAssignment.objects.filter(application=applications[0], is_lead=True)
    assert [a.coach for a in leads] == [second]  # the new lead replaced the previous one
    page = staff_client.get(reverse("coaching:cohort_overview", args=[cohort.pk])).content.decode()
    assert "Aucun coach" in page  # the third one


def test_workload_figures_on_a_hand_built_data_set():
    cohort = CohortFactory()
    application = selected(cohort, 1)[0]
    anna, bob = (
        CoachFactory(user__first_name="Anna", user__last_name="A"),
        CoachFactory(user__first_name="Bob", user__last_name="B"),
    )
    march, april = datetime.date(2026, 3, 10), datetime.date(2026, 4, 2)
    for coach, day, minutes in [(anna, march, 60), (anna, march, 90), (bob, march, 30), (anna, april, 120)]:
        CoachingSessionFactory(application=application, coach=coach, held_on=day, duration_minutes=minutes)
    CoachingSessionFactory(coach=anna, held_on=march, duration_minutes=480)  # another cohort: not counted
    # A Boostcamp day logged for three attendees: 8 hours of Bob's time, not 24.
    boostcamp = GroupEventFactory(cohort=cohort)
    for _n in range(3):
        attendee = selected(cohort, 1)[0]
        CoachingSessionFactory(
            application=attendee, coach=bob, held_on=april, duration_minutes=480, event=boostcamp, kind="boostcamp"
        )
    rows = {(row["coach"], row["month"].month): (row["minutes"], row["sessions"]) for row in coach_workload(cohort)}
    assert rows == {(anna.pk, 3): (150, 2), (bob.pk, 3): (30, 1), (anna.pk, 4): (120, 1), (bob.pk, 4): (480, 1)}
    chart = workload_chart(coach_workload(cohort))
    assert [(name, hours) for _colour, name, hours in chart.legend] == [("Anna A", 4.5), ("Bob B", 8.5)]
    march_bars = [bar for bar in chart.bars if bar.x == chart.bars[0].x]
    april_bars = [bar for bar in chart.bars if bar.x != chart.bars[0].x]
    assert len(march_bars) == 2 and len(april_bars) == 2
    # 3 h in March against 10 h in April: the stacked bars' heights keep that ratio.
    assert round(sum(bar.height for bar in march_bars) / sum(bar.height for bar in april_bars), 2) == 0.3


def test_the_overview_flags_quiet_entrepreneurs_and_overdue_actions_and_exports_them(staff_client):
    cohort = CohortFactory()
    active, quiet = selected(cohort, 2)
    coach = CoachFactory()
    for application in (active, quiet):
        CoachAssignment.objects.create(application=application, coach=coach, is_lead=True)
    today = timezone.localdate()
    CoachingSessionFactory(application=active, coach=coach, held_on=today - datetime.timedelta(days=3), duration_minutes=90)
    CoachingSessionFactory(application=quiet, coach=coach, held_on=today - datetime.timedelta(days=45), duration_minutes=60)
    ActionItem.objects.create(application=quiet, title="Relancer Liège", due_on=today - datetime.timedelta(days=1))
    page = staff_client.get(reverse("coaching:cohort_overview", args=[cohort.pk]), {"quiet": "1"}).content.decode()
    assert str(quiet.entrepreneur) in page and str(active.entrepreneur) not in page
    assert "1 action en retard" in page
    full = staff_client.get(reverse("coaching:cohort_overview", args=[cohort.pk])).content.decode()
    assert 'data-figure="hours">2,5<' in full and 'data-figure="sessions">2<' in full
    response = staff_client.get(reverse("coaching:cohort_export", args=[cohort.pk]), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[str(active.entrepreneur)][4] == 1.5 and rows[str(quiet.entrepreneur)][6] == "oui"
    assert rows[str(quiet.entrepreneur)][8] == 1
    assert staff_client.get(reverse("coaching:cohort_export", args=[cohort.pk]), {"format": "pdf"}).status_code == 302


@pytest.mark.parametrize("count", [3, 30])
def test_the_overview_keeps_a_constant_query_count(staff_client, django_assert_max_num_queries, count):
    cohort = CohortFactory()
    coaches = [CoachFactory() for _ in range(3)]
    for n, application in enumerate(selected(cohort, count)):
        CoachAssignment.objects.create(application=application, coach=coaches[n % 3])
        CoachingSessionFactory(application=application, coach=coaches[n % 3])
    with django_assert_max_num_queries(16):
        response = staff_client.get(reverse("coaching:cohort_overview", args=[cohort.pk]))
    assert response.status_code == 200


def test_a_long_overview_is_paginated_with_the_whole_cohorts_figures(staff_client):
    cohort = CohortFactory()
    applications = selected(cohort, 60)
    coach = CoachFactory()
    today = timezone.localdate()
    for application in applications[:2]:  # two recent sessions; 58 entrepreneurs are quiet
        CoachingSessionFactory(application=application, coach=coach, held_on=today, duration_minutes=90)
    url = reverse("coaching:cohort_overview", args=[cohort.pk])

    first, second = staff_client.get(url), staff_client.get(url, {"page": 2})
    quiet_second = staff_client.get(url, {"quiet": "1", "page": 2})

    assert (len(first.context["rows"]), len(second.context["rows"])) == (50, 10)
    assert {a.pk for a, _quiet in first.context["rows"] + second.context["rows"]} == {a.pk for a in applications}
    assert (second.context["total_sessions"], second.context["total_hours"], second.context["quiet_count"]) == (2, 3.0, 58)
    assert len(quiet_second.context["rows"]) == 8 and all(quiet for _a, quiet in quiet_second.context["rows"])
    assert "?quiet=1&amp;page=1" in quiet_second.content.decode()  # the filter is kept in the page links
