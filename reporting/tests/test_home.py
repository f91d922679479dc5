"""The home page of each role lists that role's own objects, in a number of queries that does not grow.

The page (`reporting.views.home`) reads each app through its selectors; completed trips, counted by
`mobility`, are tested in tests/test_home_trips.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching import selectors as coaching_selectors
from coaching.models import CoachingSession
from coaching.tests.factories import CoachAssignmentFactory
from cohorts import selectors
from cohorts.models import ApplicationStatus, DecisionOutcome, SelectionDecision
from cohorts.tests.factories import (
    ApplicationFactory,
    CohortFactory,
    ConflictOfInterestFactory,
    ProgrammeFactory,
    ProgrammeMembershipFactory,
    ReviewFactory,
)
from partners.tests.factories import CoachFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def closed_cohort(**kwargs):
    now = timezone.now()
    return CohortFactory(
        call_opens_at=now - datetime.timedelta(days=60), call_closes_at=now - datetime.timedelta(days=30), **kwargs
    )


def submitted_application(status=ApplicationStatus.SUBMITTED, **kwargs):
    return ApplicationFactory(status=status, submitted_at=timezone.now(), **kwargs)


def log_session(assignment, held_on):
    return CoachingSession.objects.create(
        application=assignment.application,
        coach=assignment.coach,
        held_on=held_on,
        duration_minutes=60,
        topics="Plan de mobilité",
    )


# --- anonymous -------------------------------------------------------------------------------------


def test_anonymous_landing_lists_open_calls_with_programme_and_deadline(client):
    open_cohort = CohortFactory(name="Cohorte ouverte", programme__name="PEM Sénégal")
    closed_cohort(name="Cohorte close")

    response = client.get(HOME)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Cohorte ouverte" in html
    assert "PEM Sénégal" in html
    assert reverse("cohorts:call_detail", args=[open_cohort.pk]) in html
    assert "Cohorte close" not in html
    assert reverse("accounts:login") in html


def test_anonymous_landing_says_when_no_call_is_open(client):
    closed_cohort()

    response = client.get(HOME)

    assert "Aucun appel à candidatures n'est ouvert" in response.content.decode()


def test_call_page_exists_only_while_the_call_is_open(client):
    open_cohort = CohortFactory(call_text="Texte complet de l’appel")
    closed = closed_cohort()

    assert "Texte complet de l’appel" in client.get(reverse("cohorts:call_detail", args=[open_cohort.pk])).content.decode()
    assert client.get(reverse("cohorts:call_detail", args=[closed.pk])).status_code == 404


# --- staff -----------------------------------------------------------------------------------------


def test_staff_home_shows_each_cohort_with_its_funnel_counts(client):
    cohort = CohortFactory(name="Cohorte A")
    other = CohortFactory(name="Cohorte B", programme=cohort.programme)
    ApplicationFactory(cohort=cohort)  # draft: not counted anywhere
    submitted_application(cohort=cohort)
    submitted_application(cohort=cohort, status=ApplicationStatus.INELIGIBLE)
    submitted_application(cohort=cohort, status=ApplicationStatus.UNDER_REVIEW)
    submitted_application(cohort=cohort, status=ApplicationStatus.SELECTED)
    submitted_application(cohort=cohort, status=ApplicationStatus.SELECTED)
    submitted_application(cohort=other, status=ApplicationStatus.SELECTED)

    counts = {c.name: c for c in selectors.cohorts_with_counts()}

    a = counts["Cohorte A"]
    assert (a.submitted_count, a.eligible_count, a.selected_count) == (5, 3, 2)
    b = counts["Cohorte B"]
    assert (b.submitted_count, b.eligible_count, b.selected_count) == (1, 1, 1)

    client.force_login(UserFactory(roles=[Role.STAFF]))
    html = client.get(HOME).content.decode()
    assert cohort.programme.name in html
    assert "Cohorte A" in html and "Cohorte B" in html
    assert f"{reverse('cohorts:application_list')}?cohort={cohort.pk}" in html
    assert reverse("admin:cohorts_cohort_change", args=[cohort.pk]) in html
    # The link to the cohort's applications is a filter the staff list accepts, and it finds them all.
    listing = client.get(f"{reverse('cohorts:application_list')}?cohort={cohort.pk}")
    assert listing.status_code == 200
    assert listing.context["page"].paginator.count == 6


def test_a_staff_member_without_admin_access_gets_no_admin_links(client):
    cohort = CohortFactory(name="Cohorte A")
    user = UserFactory(roles=[Role.STAFF])
    type(user).objects.filter(pk=user.pk).update(is_staff=False)
    client.force_login(user)

    html = client.get(HOME).content.decode()

    assert "Cohorte A" in html
    assert reverse("admin:cohorts_cohort_change", args=[cohort.pk]) not in html
    assert f"{reverse('cohorts:application_list')}?cohort={cohort.pk}" in html


def test_staff_section_is_not_shown_to_other_roles(client):
    programme = ProgrammeFactory(name="Programme réservé à l'équipe")
    CohortFactory(programme=programme)
    client.force_login(UserFactory(roles=[Role.COACH]))

    html = client.get(HOME).content.decode()

    assert 'id="programmes"' not in html
    assert "Programme réservé à l'équipe" not in html


# --- coach -----------------------------------------------------------------------------------------


def test_coach_sees_only_their_active_assignments_with_session_figures(client):
    coach = CoachFactory()
    mine = CoachAssignmentFactory(coach=coach, application__entrepreneur__first_name="Awa")
    log_session(mine, datetime.date(2023, 3, 1))
    log_session(mine, datetime.date(2023, 4, 12))
    # A session by another coach on the same application is not this coach's work.
    colleague_assignment = CoachAssignmentFactory(application=mine.application)
    log_session(colleague_assignment, datetime.date(2023, 5, 1))
    ended = CoachAssignmentFactory(coach=coach, ended_on=datetime.date.today(), application__entrepreneur__first_name="Binta")
    CoachAssignmentFactory(application__entrepreneur__first_name="Coumba")  # another coach's entrepreneur

    rows = list(coaching_selectors.coach_assignments_for(coach.user))

    assert [row.pk for row in rows] == [mine.pk]
    assert rows[0].sessions_count == 2
    assert rows[0].last_session_on == datetime.date(2023, 4, 12)
    client.force_login(coach.user)
    html = client.get(HOME).content.decode()
    assert "Awa" in html
    assert mine.application.company.name in html
    assert "Binta" not in html and ended.application.company.name not in html
    assert "Coumba" not in html


# --- entrepreneur ----------------------------------------------------------------------------------


def test_entrepreneur_sees_only_their_own_applications_and_decisions(client):
    entrepreneur = EntrepreneurFactory()
    own = submitted_application(entrepreneur=entrepreneur, status=ApplicationStatus.SELECTED, cohort__name="Cohorte Dakar")
    SelectionDecision.objects.create(
        application=own, outcome=DecisionOutcome.SELECTED, reason="Projet solide", notified_at=timezone.now()
    )
    draft = ApplicationFactory(entrepreneur=entrepreneur, cohort__name="Cohorte Thiès")
    submitted_application(cohort__name="Cohorte d'une autre personne")

    client.force_login(entrepreneur.user)
    html = client.get(HOME).content.decode()

    assert "Cohorte Dakar" in html and "Cohorte Thiès" in html
    assert "Cohorte d'une autre personne" not in html
    assert "Sélectionnée" in html
    assert "Décision" in html
    assert "Projet solide" in html
    assert "Pas encore soumise" in html
    assert list(selectors.applications_of_entrepreneur(entrepreneur.user)) == [draft, own]


@pytest.mark.parametrize(
    ("outcome", "label"),
    [
        (DecisionOutcome.SELECTED, "Sélectionnée"),
        (DecisionOutcome.WAITLISTED, "Liste d'attente"),
        (DecisionOutcome.REJECTED, "Non retenue"),
    ],
)
def test_a_decision_stays_hidden_from_the_entrepreneur_until_it_is_notified(client, outcome, label):
    label = escape(label)
    application = submitted_application(status=outcome, cohort__name="Cohorte Dakar")
    decision = SelectionDecision.objects.create(application=application, outcome=outcome, reason="Motif confidentiel")
    client.force_login(application.entrepreneur.user)

    html = client.get(HOME).content.decode()

    assert "Cohorte Dakar" in html
    assert "En évaluation" in html
    assert label not in html
    assert "Décision" not in html
    assert "Motif confidentiel" not in html

    decision.notified_at = timezone.now()
    decision.save(update_fields=["notified_at"])
    html = client.get(HOME).content.decode()

    assert label in html
    assert "Décision" in html
    assert "Motif confidentiel" in html
    assert "En évaluation" not in html


def test_the_entrepreneur_sees_statuses_that_tell_no_outcome(client):
    application = submitted_application(status=ApplicationStatus.INELIGIBLE)
    client.force_login(application.entrepreneur.user)

    html = client.get(HOME).content.decode()

    assert "Non éligible" in html
    assert "En évaluation" not in html


# --- reviewer --------------------------------------------------------------------------------------


def test_reviewer_sees_their_assigned_reviews_pending_first_without_conflicted_ones(client):
    reviewer = UserFactory(roles=[Role.REVIEWER])
    now = timezone.now()
    done = ReviewFactory(
        reviewer=reviewer,
        application__entrepreneur__first_name="Awa",
        application__cohort__name="Cohorte Dakar",
        assigned_at=now - datetime.timedelta(days=10),
        submitted_at=now - datetime.timedelta(days=2),
    )
    pending = ReviewFactory(
        reviewer=reviewer, application__entrepreneur__first_name="Binta", assigned_at=now - datetime.timedelta(days=1)
    )
    older_pending = ReviewFactory(
        reviewer=reviewer, application__entrepreneur__first_name="Coumba", assigned_at=now - datetime.timedelta(days=5)
    )
    conflicted = ReviewFactory(reviewer=reviewer, application__entrepreneur__first_name="Dieynaba")
    ConflictOfInterestFactory(reviewer=reviewer, application=conflicted.application)
    # A conflict declared by someone else does not hide the application from this reviewer.
    colleagues_conflict = ReviewFactory(reviewer=reviewer, application__entrepreneur__first_name="Fatou")
    ConflictOfInterestFactory(application=colleagues_conflict.application)
    ReviewFactory(application__entrepreneur__first_name="Khady")  # another reviewer's review

    rows = list(selectors.reviews_assigned_to(reviewer))

    # Pending by assignment date (the conflict-free colleague's one was assigned just now), then submitted.
    assert rows == [older_pending, pending, colleagues_conflict, done]
    client.force_login(reviewer)
    html = client.get(HOME).content.decode()
    assert 'id="mes-evaluations"' in html
    assert "pas encore de rôle" not in html
    assert "Awa" in html and done.application.company.name in html and "Cohorte Dakar" in html
    assert "Binta" in html and "Coumba" in html and "Fatou" in html
    assert "Dieynaba" not in html and conflicted.application.company.name not in html
    assert "Khady" not in html
    assert html.index("Coumba") < html.index("Binta") < html.index("Awa")
    assert reverse("cohorts:review_list") in html  # the navigation links to the reviewer portal


def test_reviewer_without_assignment_is_told_so(client):
    client.force_login(UserFactory(roles=[Role.REVIEWER]))

    html = client.get(HOME).content.decode()

    assert "Aucune évaluation ne vous est assignée" in html
    assert "pas encore de rôle" not in html


# --- committee and evaluator -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.EVALUATOR])
def test_committee_and_evaluators_see_only_the_programmes_they_follow(client, role):
    user = UserFactory(roles=[role])
    followed = ProgrammeMembershipFactory(user=user, role=role, programme__name="Programme suivi").programme
    CohortFactory(programme=followed, name="Cohorte suivie")
    CohortFactory(programme__name="Programme d'autrui", name="Cohorte d'autrui")
    # A membership in another role does not make the programme "followed" on this page.
    ProgrammeMembershipFactory(user=user, role=Role.COACH, programme__name="Programme coaché")

    client.force_login(user)
    html = client.get(HOME).content.decode()

    assert "Programme suivi" in html and "Cohorte suivie" in html
    assert "Programme d'autrui" not in html
    assert "Programme coaché" not in html


def test_a_user_holding_several_roles_sees_each_section(client):
    user = UserFactory(roles=[Role.STAFF, Role.COACH, Role.REVIEWER, Role.ENTREPRENEUR, Role.COMMITTEE])
    EntrepreneurFactory(user=user)
    CoachFactory(user=user)

    client.force_login(user)
    html = client.get(HOME).content.decode()

    for anchor in ("programmes", "mes-entrepreneurs", "mes-evaluations", "mes-candidatures", "mes-programmes"):
        assert f'id="{anchor}"' in html


def test_a_user_without_role_gets_a_plain_welcome(client):
    client.force_login(UserFactory())

    html = client.get(HOME).content.decode()

    assert "pas encore de rôle" in html


def test_the_banner_warns_when_a_fictitious_programme_is_shown(client):
    CohortFactory(programme__is_fictitious=True)
    assert "Données fictives" in client.get(HOME).content.decode()


def test_no_banner_for_real_programmes(client):
    CohortFactory()
    assert "Données fictives" not in client.get(HOME).content.decode()


# --- query counts ----------------------------------------------------------------------------------


def make_staff_rows(n):
    user = UserFactory(roles=[Role.STAFF])
    programme = ProgrammeFactory()
    for _ in range(n):
        submitted_application(cohort=CohortFactory(programme=programme), status=ApplicationStatus.SELECTED)
    ProgrammeFactory()  # a programme with no cohort
    return user


def make_coach_rows(n):
    coach = CoachFactory()
    for _ in range(n):
        log_session(CoachAssignmentFactory(coach=coach), datetime.date.today())
    return coach.user


def make_entrepreneur_rows(n):
    entrepreneur = EntrepreneurFactory()
    for _ in range(n):
        application = submitted_application(entrepreneur=entrepreneur, status=ApplicationStatus.REJECTED)
        SelectionDecision.objects.create(
            application=application, outcome=DecisionOutcome.REJECTED, reason="Trop tôt", notified_at=timezone.now()
        )
    return entrepreneur.user


def make_reviewer_rows(n):
    reviewer = UserFactory(roles=[Role.REVIEWER])
    for index in range(n):
        assigned_at = timezone.now() - datetime.timedelta(days=3)
        submitted_at = assigned_at + datetime.timedelta(days=1) if index % 2 else None
        review = ReviewFactory(reviewer=reviewer, assigned_at=assigned_at, submitted_at=submitted_at)
        if index % 3 == 0:
            ConflictOfInterestFactory(reviewer=reviewer, application=review.application)
    return reviewer


def make_committee_rows(n):
    user = UserFactory(roles=[Role.COMMITTEE])
    for _ in range(n):
        CohortFactory(programme=ProgrammeMembershipFactory(user=user, role=Role.COMMITTEE).programme)
    return user


def make_open_calls(n):
    for _ in range(n):
        CohortFactory()
    return None


# Queries common to every logged-in home page: session, user, the user's role groups, the SAVEPOINT and
# RELEASE of ATOMIC_REQUESTS, and the open calls (cohorts joined to their programme).
LOGGED_IN = 6
EXPECTED_QUERIES = {
    # + programmes, + their cohorts with the three application counts (one prefetch query),
    # + the completed trips counted per cohort (mobility selector, one grouped query).
    "staff": (make_staff_rows, LOGGED_IN + 3),
    # + the assignments joined to entrepreneur, company, cohort and programme, with session figures.
    "coach": (make_coach_rows, LOGGED_IN + 1),
    # + the reviews joined to application, cohort, programme, entrepreneur and company (conflicts: subquery).
    "reviewer": (make_reviewer_rows, LOGGED_IN + 1),
    # + the applications joined to cohort, programme, company and decision.
    "entrepreneur": (make_entrepreneur_rows, LOGGED_IN + 1),
    # + programmes followed (membership subquery), + their cohorts with counts, + completed trips per cohort.
    "committee": (make_committee_rows, LOGGED_IN + 3),
    # Anonymous: the SAVEPOINT, the open calls, the RELEASE.
    "anonymous": (make_open_calls, 3),
}


@pytest.mark.parametrize("role", EXPECTED_QUERIES)
@pytest.mark.parametrize("rows", [3, 30])
def test_home_query_count_does_not_grow_with_rows(client, django_assert_num_queries, role, rows):
    make_rows, expected = EXPECTED_QUERIES[role]
    user = make_rows(rows)
    if user is not None:
        client.force_login(user)

    with django_assert_num_queries(expected):
        response = client.get(HOME)

    assert response.status_code == 200
