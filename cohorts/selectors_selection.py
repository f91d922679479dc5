"""Reads of the selection stage: the cohort's ranked shortlist, and the shares of women, diaspora members
and companies in the programme's watched region group (e.g. the Dakar–Thiès axis) or elsewhere among a
set of applications (to watch selection effects live)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from partners.models import Gender

from .models import Application, ApplicationStatus, Cohort, Review
from .selectors_review import ScoreSummary, applications_with_scores, reviews_with_totals, weighted_total
from .territory import diaspora_condition, diaspora_flag, in_watched_group

#: Statuses listed on the selection board: reviewed, then decided.
SELECTION_STATUSES = (
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.SELECTED,
    ApplicationStatus.REJECTED,
)


def selection_candidates(cohort: Cohort) -> QuerySet[Application]:
    """The applications a decision can be taken on from the board (ids in forms are checked against it)."""
    return Application.objects.filter(cohort=cohort, status__in=SELECTION_STATUSES)


def selection_ranking(cohort: Cohort) -> list[tuple[int, int | None]]:
    """The whole board's order as (application id, rank) pairs, ranked by weighted average (unscored last,
    without a rank), from two light queries (the candidates' ids, and each submitted review's weighted
    sums) whatever the cohort's size: a page of the board is then read for its ids alone."""
    candidates = selection_candidates(cohort)
    ids = list(candidates.values_list("pk", flat=True))
    totals: dict[int, list[float]] = {}
    submitted = reviews_with_totals(Review.objects.filter(application__in=candidates, submitted_at__isnull=False))
    for application_id, weighted_sum, weight_sum in submitted.values_list("application_id", "weighted_sum", "weight_sum"):
        total = weighted_total(weighted_sum, weight_sum)
        if total is not None:
            totals.setdefault(application_id, []).append(total)
    averages = {pk: ScoreSummary(tuple(values)).average for pk, values in totals.items()}
    ids.sort(key=lambda pk: (averages.get(pk) is None, -(averages.get(pk) or 0), pk))
    return [(pk, rank if averages.get(pk) is not None else None) for rank, pk in enumerate(ids, start=1)]


def selection_board_rows(cohort: Cohort, ranking: list[tuple[int, int | None]]) -> list[Application]:
    """The applications of `ranking` (a page of `selection_ranking`), in its order, each with its rank,
    reviews, decision and flags: three queries whatever the number of rows."""
    ranks = dict(ranking)
    candidates = (
        selection_candidates(cohort)
        .filter(pk__in=list(ranks))
        .select_related("company__region")
        .annotate(is_diaspora=diaspora_flag())
        .order_by("pk")
    )
    applications = applications_with_scores(candidates, cohort.min_reviews) if ranks else []
    position = {pk: index for index, (pk, _) in enumerate(ranking)}
    applications.sort(key=lambda a: position[a.pk])
    for application in applications:
        application.rank = ranks[application.pk]
    return applications


@dataclass(frozen=True)
class Shares:
    """Counts among a set of applications; percentages are of `total` (None when the set is empty)."""

    total: int
    women: int
    diaspora: int
    axis: int
    elsewhere: int

    def _pct(self, count: int) -> float | None:
        return 100.0 * count / self.total if self.total else None

    @property
    def women_pct(self) -> float | None:
        return self._pct(self.women)

    @property
    def diaspora_pct(self) -> float | None:
        return self._pct(self.diaspora)

    @property
    def axis_pct(self) -> float | None:
        return self._pct(self.axis)

    @property
    def elsewhere_pct(self) -> float | None:
        return self._pct(self.elsewhere)


def selection_shares(applications: QuerySet[Application]) -> Shares:
    """Women, diaspora members (living outside the programme's country), and companies in the programme's
    watched region group or elsewhere (abroad included), in one query. An application without a company
    counts in neither region group; with no watched group, every company counts as elsewhere."""
    counts = applications.aggregate(
        total=Count("pk", distinct=True),
        women=Count("pk", filter=Q(entrepreneur__gender=Gender.WOMAN), distinct=True),
        diaspora=Count("pk", filter=diaspora_condition(), distinct=True),
        axis=Count("pk", filter=Q(in_watched_group()), distinct=True),
        elsewhere=Count("pk", filter=Q(company__isnull=False) & ~Q(in_watched_group()), distinct=True),
    )
    return Shares(**counts)


def selection_shares_for(cohort: Cohort, ticked_ids: list[int]) -> dict[str, Shares]:
    """Shares among the cohort's selected applications, among the ticked ones (to be selected), and among
    both together: the selection as it would stand after the batch."""
    selected = Application.objects.filter(cohort=cohort, status=ApplicationStatus.SELECTED)
    ticked = selection_candidates(cohort).filter(pk__in=ticked_ids)
    together = Application.objects.filter(Q(pk__in=selected.values("pk")) | Q(pk__in=ticked.values("pk")))
    selected_shares = selection_shares(selected)
    return {
        "selected": selected_shares,
        "ticked": selection_shares(ticked),
        # Nothing ticked (the board as first shown): together is the selection itself, not counted twice.
        "together": selection_shares(together) if ticked_ids else selected_shares,
    }
