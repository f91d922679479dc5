"""Read queries of the mobility app that other pages combine with their own, each in one query."""

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from .models import MobilityPlan, Trip, VisaFile


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


def journey_by_application(application_ids: list[int]) -> dict[int, dict]:
    """For an entrepreneur's home page: their mobility plan, visa file status and trips per application
    (three queries)."""
    plans = {plan.application_id: plan for plan in MobilityPlan.objects.filter(application_id__in=application_ids)}
    visas = {
        visa.application_id: visa
        for visa in VisaFile.objects.filter(application_id__in=application_ids).only("application", "status")
    }
    trips: dict[int, list] = {}
    for trip in Trip.objects.filter(application_id__in=application_ids).order_by("departs_on"):
        trips.setdefault(trip.application_id, []).append(trip)
    return {pk: {"plan": plans.get(pk), "visa": visas.get(pk), "trips": trips.get(pk, [])} for pk in application_ids}
