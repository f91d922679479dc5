"""Reads of the selection stage: the cohort's ranked shortlist, and the shares of women, diaspora members
and companies in the programme's watched region group (e.g. the Dakar–Thiès axis) or elsewhere among a
set of applications (to watch selection effects live)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from partners.models import Gender

from .models import Application, ApplicationStatus, Cohort
from .selectors_review import applications_with_scores
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


def selection_board(cohort: Cohort) -> list[Application]:
    """The cohort's reviewed applications ranked by weighted average (unscored last), each with its
    reviews, decision and flags: three queries whatever the number of rows."""
    candidates = (
        selection_candidates(cohort).select_related("company__region").annotate(is_diaspora=diaspora_flag()).order_by("pk")
    )
    applications = applications_with_scores(candidates, cohort.min_reviews)
    applications.sort(key=lambda a: (a.score.average is None, -(a.score.average or 0), a.pk))
    for rank, application in enumerate(applications, start=1):
        application.rank = rank if application.score.average is not None else None
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
    return {
        "selected": selection_shares(selected),
        "ticked": selection_shares(ticked),
        "together": selection_shares(together),
    }
