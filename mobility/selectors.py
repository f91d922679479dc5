"""Read queries of the mobility app that other pages combine with their own, each in one query."""

from collections.abc import Iterable

from django.db.models import Count

from .models import Trip


def completed_trip_counts_by_cohort(cohort_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Number of completed trips per cohort id, in one query; a cohort without one is absent.

    `cohort_ids` restricts the count to the cohorts a page shows (all cohorts when None).
    """
    trips = Trip.objects.travelled()
    if cohort_ids is not None:
        trips = trips.filter(application__cohort__in=list(cohort_ids))
    rows = trips.order_by().values("application__cohort").annotate(n=Count("id"))
    return {row["application__cohort"]: row["n"] for row in rows}
