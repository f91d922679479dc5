"""Read queries of the cohorts app: what each role's home page lists, each in a fixed number of queries.

Only cohort-level facts are counted here; figures owned by a higher app (trips, in `mobility`) are read
by that app's selectors and merged by the project-level view (`reporting.views.home.home`)."""

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When

from accounts.models import Role

from .models import (
    ELIGIBLE_STATUSES,
    Application,
    ApplicationStatus,
    Cohort,
    ConflictOfInterest,
    Programme,
    Review,
    submitted_condition,
)

#: Statuses of an application that has been submitted and not withdrawn (as `ApplicationQuerySet.submitted`).
SUBMITTED_STATUSES = tuple(
    status for status in ApplicationStatus.values if status not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
)

#: Statuses that reveal the selection outcome: the entrepreneur sees them only once the decision is notified.
OUTCOME_STATUSES = (ApplicationStatus.SELECTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED)


def open_calls() -> QuerySet[Cohort]:
    """Cohorts whose call for applications is open now, the nearest deadline first."""
    return Cohort.objects.open_for_applications().select_related("programme").order_by("call_closes_at", "pk")


def cohorts_with_counts() -> QuerySet[Cohort]:
    """Cohorts annotated with their funnel counts, all computed in the one query that lists them. The
    conditions are the indicators' (`submitted_condition`, `ELIGIBLE_STATUSES`, status selected), so a
    home page and the dashboard cannot disagree."""
    return Cohort.objects.annotate(
        submitted_count=Count("applications", filter=submitted_condition("applications__"), distinct=True),
        eligible_count=Count("applications", filter=Q(applications__status__in=ELIGIBLE_STATUSES), distinct=True),
        selected_count=Count("applications", filter=Q(applications__status=ApplicationStatus.SELECTED), distinct=True),
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


def applications_of_entrepreneur(user) -> QuerySet[Application]:
    """An entrepreneur's own applications, with cohort, programme and the selection decision if any.

    `outcome_hidden` is true while the status already tells the outcome but no decision has been notified:
    the entrepreneur learns the result from the notification, not from a status changed the day before.
    """
    return (
        Application.objects.filter(entrepreneur__user=user)
        .select_related("cohort__programme", "company", "decision")
        .annotate(
            outcome_hidden=Case(
                When(Q(status__in=OUTCOME_STATUSES, decision__notified_at__isnull=True), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-created_at", "-pk")
    )


def reviews_assigned_to(user) -> QuerySet[Review]:
    """The reviews assigned to a reviewer, pending ones first (oldest assignment first), then the
    submitted ones (latest first). An application on which the reviewer declared a conflict of interest
    is left out: they must not score it, even if the assignment predates the declaration."""
    conflicted = ConflictOfInterest.objects.filter(application=OuterRef("application"), reviewer=user)
    return (
        Review.objects.filter(reviewer=user)
        .exclude(Exists(conflicted))
        .select_related("application__cohort__programme", "application__entrepreneur", "application__company")
        .order_by(F("submitted_at").desc(nulls_first=True), "assigned_at", "pk")
    )
