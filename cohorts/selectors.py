"""Read queries of the cohorts app: what each role's home page lists, each in a fixed number of queries."""

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from accounts.models import Role

from .models import (
    ELIGIBLE_STATUSES,
    Application,
    ApplicationStatus,
    CoachAssignment,
    Cohort,
    Programme,
)

#: Statuses of an application that has been submitted and not withdrawn (as `ApplicationQuerySet.submitted`).
SUBMITTED_STATUSES = tuple(
    status for status in ApplicationStatus.values if status not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
)

#: Trip status meaning the entrepreneur went. Trips live in `mobility`, which this app must not import,
#: so the value and the reverse relation name (`applications__trips`) are written as strings.
TRIP_COMPLETED = "completed"


def open_calls() -> QuerySet[Cohort]:
    """Cohorts whose call for applications is open now, the nearest deadline first."""
    return Cohort.objects.open_for_applications().select_related("programme").order_by("call_closes_at", "pk")


def cohorts_with_counts() -> QuerySet[Cohort]:
    """Cohorts annotated with their funnel counts, all computed in the one query that lists them."""
    return Cohort.objects.annotate(
        submitted_count=Count(
            "applications", filter=Q(applications__status__in=SUBMITTED_STATUSES), distinct=True
        ),
        eligible_count=Count("applications", filter=Q(applications__status__in=ELIGIBLE_STATUSES), distinct=True),
        selected_count=Count(
            "applications", filter=Q(applications__status=ApplicationStatus.SELECTED), distinct=True
        ),
        travelled_count=Count(
            "applications__trips", filter=Q(applications__trips__status=TRIP_COMPLETED), distinct=True
        ),
    ).order_by("number")


def programmes_with_cohorts(programmes: QuerySet[Programme] | None = None) -> QuerySet[Programme]:
    """Programmes with their cohorts and the cohorts' counts: two queries, whatever the number of rows."""
    programmes = Programme.objects.all() if programmes is None else programmes
    return programmes.prefetch_related(Prefetch("cohorts", queryset=cohorts_with_counts()))


def programmes_for_staff() -> QuerySet[Programme]:
    return programmes_with_cohorts()


def programmes_followed_by(user) -> QuerySet[Programme]:
    """Programmes a committee member or an external evaluator follows through a ProgrammeMembership."""
    followed = Programme.objects.filter(
        pk__in=user.programme_memberships.filter(role__in=[Role.COMMITTEE, Role.EVALUATOR]).values("programme")
    )
    return programmes_with_cohorts(followed)


def coach_assignments_for(user) -> QuerySet[CoachAssignment]:
    """The coach's active assignments, with the entrepreneur, company and cohort, and the number and
    last date of the sessions this coach logged for that application."""
    return (
        CoachAssignment.objects.filter(coach__user=user, ended_on__isnull=True)
        .select_related(
            "application__entrepreneur",
            "application__company",
            "application__cohort__programme",
        )
        .annotate(
            sessions_count=Count(
                "application__coaching_sessions",
                filter=Q(application__coaching_sessions__coach=F("coach")),
                distinct=True,
            ),
            last_session_on=Max(
                "application__coaching_sessions__held_on",
                filter=Q(application__coaching_sessions__coach=F("coach")),
            ),
        )
        .order_by("application__entrepreneur__last_name", "application__entrepreneur__first_name", "pk")
    )


def applications_of_entrepreneur(user) -> QuerySet[Application]:
    """An entrepreneur's own applications, with cohort, programme and the selection decision if any."""
    return (
        Application.objects.filter(entrepreneur__user=user)
        .select_related("cohort__programme", "company", "decision")
        .order_by("-created_at", "-pk")
    )
