"""Read queries of the mobility app that other pages combine with their own, each in one query."""

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from .models import Trip


def travelled_application_ids() -> QuerySet[Trip]:
    """The one definition of "travelled" (a mobility made) for every page, export and report: the
    applications with at least one completed trip. An entrepreneur's second trip in the same cohort is
    not a second mobility."""
    return Trip.objects.travelled().order_by().values("application_id")


def travelled_counts_by_cohort(cohort_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Number of applications that travelled (`travelled_application_ids`) per cohort id, in one
    query; a cohort without one is absent.

    `cohort_ids` restricts the count to the cohorts a page shows (all cohorts when None).
    """
    trips = Trip.objects.travelled()
    if cohort_ids is not None:
        trips = trips.filter(application__cohort__in=list(cohort_ids))
    rows = trips.order_by().values("application__cohort").annotate(n=Count("application", distinct=True))
    return {row["application__cohort"]: row["n"] for row in rows}
