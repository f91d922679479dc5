"""Reads of the review stage: the reviewer's own reviews, and the staff board with each application's
weighted average, the spread between reviewers and the flags, in a fixed number of queries.

A review's weighted total is on a 0–100 scale: each score is divided by its criterion's maximum, weighted
by the criterion's weight, and the sum divided by the sum of the weights. Only submitted reviews count."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, FloatField, OuterRef, Prefetch, QuerySet, Sum
from django.db.models.functions import Cast

from accounts.models import Role, User

from .models import Application, ApplicationStatus, Cohort, ConflictOfInterest, Review, SelectionDecision

#: Reviewers disagree strongly when their weighted totals differ by more than this (points of 100).
DISAGREEMENT_THRESHOLD = 25.0

#: Statuses listed on the review board.
BOARD_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW)


def reviews_with_totals(queryset: QuerySet[Review] | None = None) -> QuerySet[Review]:
    """Reviews annotated with `weighted_sum` and `weight_sum` (read `weighted_total` via `review_total`)."""
    queryset = Review.objects.all() if queryset is None else queryset
    return queryset.annotate(
        weighted_sum=Sum(
            Cast("scores__score", FloatField())
            * Cast("scores__criterion__weight", FloatField())
            / Cast("scores__criterion__max_score", FloatField())
        ),
        weight_sum=Sum(Cast("scores__criterion__weight", FloatField())),
    )


def weighted_total(weighted_sum, weight_sum) -> float | None:
    """A review's weighted total on 0–100 from its sums (`reviews_with_totals`); None without weights."""
    return 100.0 * weighted_sum / weight_sum if weight_sum else None


def review_total(review: Review) -> float | None:
    """The review's weighted total on 0–100, from the annotations of `reviews_with_totals`."""
    return weighted_total(getattr(review, "weighted_sum", None), getattr(review, "weight_sum", None))


@dataclass(frozen=True)
class ScoreSummary:
    totals: tuple[float, ...]

    @property
    def average(self) -> float | None:
        return sum(self.totals) / len(self.totals) if self.totals else None

    @property
    def spread(self) -> float | None:
        return max(self.totals) - min(self.totals) if len(self.totals) >= 2 else None

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread > DISAGREEMENT_THRESHOLD


def summarise(reviews) -> ScoreSummary:
    """Average and spread of the submitted reviews among `reviews` (annotated by `reviews_with_totals`)."""
    totals = tuple(total for review in reviews if review.submitted_at is not None and (total := review_total(review)) is not None)
    return ScoreSummary(totals)


def applications_with_scores(queryset: QuerySet[Application], min_reviews: int) -> list[Application]:
    """Evaluate `queryset` with its reviews (and reviewers) and conflicts prefetched: three queries in all.

    Each application gets `board_reviews` (reviews with `total`), `board_conflicts`, `score` (a
    ScoreSummary), `submitted_count`, `missing_reviewers` and `needs_replacement`."""
    applications = list(
        queryset.select_related("entrepreneur", "company", "decision").prefetch_related(
            Prefetch(
                "reviews",
                queryset=reviews_with_totals().select_related("reviewer").order_by("assigned_at", "pk"),
                to_attr="board_reviews",
            ),
            Prefetch(
                "conflicts",
                queryset=ConflictOfInterest.objects.select_related("reviewer").order_by("declared_at"),
                to_attr="board_conflicts",
            ),
        )
    )
    for application in applications:
        for review in application.board_reviews:
            review.total = review_total(review) if review.submitted_at else None
        application.score = summarise(application.board_reviews)
        application.submitted_count = sum(1 for r in application.board_reviews if r.submitted_at)
        application.missing_reviewers = max(min_reviews - len(application.board_reviews), 0)
        application.needs_replacement = bool(application.board_conflicts) and application.missing_reviewers > 0
    return applications


def review_board_applications(cohort: Cohort) -> QuerySet[Application]:
    """Eligible and under-review applications of the cohort, oldest submission first (the board shows a
    page of them through `applications_with_scores`)."""
    return Application.objects.filter(cohort=cohort, status__in=BOARD_STATUSES).order_by("submitted_at", "pk")


def reviewers_with_load(cohort: Cohort) -> list[User]:
    """Active users in the reviewer role, each with `cohort_load`, their number of assignments in the
    cohort. Two queries: the loads come from one grouped count of the cohort's reviews (a join of every
    review of every reviewer, or a subquery per reviewer, took 80 to 140 ms at 5,000 applications)."""
    loads = dict(
        Review.objects.filter(application__cohort=cohort)
        .order_by()
        .values("reviewer")
        .annotate(n=Count("pk"))
        .values_list("reviewer", "n")
    )
    reviewers = list(User.objects.with_role(Role.REVIEWER).filter(is_active=True).order_by("last_name", "first_name", "pk"))
    for reviewer in reviewers:
        reviewer.cohort_load = loads.get(reviewer.pk, 0)
    return reviewers


def reviews_for_user(user: User) -> QuerySet[Review]:
    """The reviews a user may open to score: their own, never on an application where they declared a
    conflict of interest (the assignment may predate the declaration)."""
    if not user.is_authenticated:
        return Review.objects.none()
    conflicted = ConflictOfInterest.objects.filter(application=OuterRef("application"), reviewer=OuterRef("reviewer"))
    return Review.objects.filter(reviewer=user).exclude(Exists(conflicted))


def review_for_scoring(user: User, pk: int) -> QuerySet[Review]:
    """The queryset to fetch one review for its scoring page, with all the application's content."""
    return (
        reviews_for_user(user)
        .filter(pk=pk)
        .select_related(
            "application__cohort__programme",
            "application__entrepreneur",
            "application__company",
        )
        .prefetch_related("scores", "application__documents", "application__cohort__rubric")
    )


def reviews_assigned_list(user: User) -> QuerySet[Review]:
    """A reviewer's list: pending first, with the number of criteria scored so far, and `is_closed` once a
    decision on the application has been notified (no more scoring)."""
    return (
        reviews_for_user(user)
        .select_related("application__cohort__programme", "application__entrepreneur", "application__company")
        .annotate(
            scored_count=Count("scores", distinct=True),
            rubric_size=Count("application__cohort__rubric", distinct=True),
            is_closed=Exists(SelectionDecision.objects.filter(application=OuterRef("application"), notified_at__isnull=False)),
        )
        .order_by(F("submitted_at").desc(nulls_first=True), "assigned_at", "pk")
    )
