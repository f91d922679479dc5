"""The home page's "mobilities made" figures: counted by `mobility`, merged per cohort by the project-level
view, in one query whatever the number of cohorts. (`cohorts` itself never reads trips.)"""

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts import selectors as cohort_selectors
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory, ProgrammeMembershipFactory
from mobility.models import TripStatus
from mobility.selectors import travelled_counts_by_cohort
from mobility.tests.factories import TripFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def selected_application(cohort):
    return ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.SELECTED)


def test_applications_that_travelled_are_counted_per_cohort_in_one_query(django_assert_num_queries):
    cohort_a, cohort_b, cohort_c = CohortFactory(), CohortFactory(), CohortFactory()
    first, second = selected_application(cohort_a), selected_application(cohort_a)
    TripFactory(application=first, status=TripStatus.COMPLETED)
    TripFactory(application=first, status=TripStatus.COMPLETED)  # a second trip of the same entrepreneur
    TripFactory(application=second, status=TripStatus.COMPLETED)
    TripFactory(application=second, status=TripStatus.PLANNED)
    TripFactory(application=second, status=TripStatus.CANCELLED)
    TripFactory(application=selected_application(cohort_b), status=TripStatus.COMPLETED)
    TripFactory(application=selected_application(cohort_c), status=TripStatus.PLANNED)

    with django_assert_num_queries(1):
        counts = travelled_counts_by_cohort()

    assert counts == {cohort_a.pk: 2, cohort_b.pk: 1}  # a second trip is not a second mobility
    assert travelled_counts_by_cohort([cohort_b.pk, cohort_c.pk]) == {cohort_b.pk: 1}


def test_cohort_counts_no_longer_read_the_trips_table():
    assert "mobility_trip" not in str(cohort_selectors.cohorts_with_counts().query)


def test_staff_and_committee_homes_show_completed_trips_per_cohort(client):
    programme = ProgrammeFactory()
    travelled = CohortFactory(programme=programme, name="Cohorte partie")
    stayed = CohortFactory(programme=programme, name="Cohorte restée")
    application = selected_application(travelled)
    TripFactory(application=application, status=TripStatus.COMPLETED)
    TripFactory(application=application, status=TripStatus.PLANNED)
    TripFactory(application=selected_application(stayed), status=TripStatus.CANCELLED)
    committee = UserFactory(roles=[Role.COMMITTEE])
    ProgrammeMembershipFactory(user=committee, role=Role.COMMITTEE, programme=programme)

    for user, key in ((UserFactory(roles=[Role.STAFF]), "staff_programmes"), (committee, "followed_programmes")):
        client.force_login(user)
        response = client.get(HOME)

        cohorts = {cohort.name: cohort for p in response.context[key] if p == programme for cohort in p.cohorts.all()}
        assert cohorts["Cohorte partie"].travelled_count == 1
        assert cohorts["Cohorte restée"].travelled_count == 0
    assert "1 mobilités effectuées" in response.content.decode() and "0 mobilités effectuées" in response.content.decode()


def make_staff_rows(n):
    programme = ProgrammeFactory()
    for _ in range(n):
        TripFactory(application=selected_application(CohortFactory(programme=programme)), status=TripStatus.COMPLETED)
    return UserFactory(roles=[Role.STAFF])


def make_committee_rows(n):
    user = UserFactory(roles=[Role.COMMITTEE])
    for _ in range(n):
        cohort = CohortFactory(programme=ProgrammeMembershipFactory(user=user, role=Role.COMMITTEE).programme)
        TripFactory(application=selected_application(cohort), status=TripStatus.COMPLETED)
    return user


# Session, user, role groups, SAVEPOINT, RELEASE, open calls (as in cohorts/tests/test_home.py), then:
# programmes, their cohorts with the application counts (prefetch), completed trips grouped by cohort.
@pytest.mark.parametrize("make_rows", [make_staff_rows, make_committee_rows], ids=["staff", "committee"])
@pytest.mark.parametrize("rows", [3, 30])
def test_trip_counts_keep_the_home_query_count_flat(client, django_assert_num_queries, make_rows, rows):
    client.force_login(make_rows(rows))

    with django_assert_num_queries(9):
        response = client.get(HOME)

    assert response.status_code == 200
