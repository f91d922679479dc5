"""Read queries of the mobility app that other pages combine with their own, each in one query."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from accounts.models import Role
from coaching.models import CoachAssignment
from cohorts.models import Application, ApplicationStatus, Cohort

from .models import (
    MobilityPlan,
    Partnership,
    PartnershipDocument,
    PartnershipStageChange,
    PartnershipTransaction,
    PlanStatus,
    SupportNeed,
    Trip,
    VisaFile,
)


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


# --------------------------------------------------------------------------------------------------
# Partnership pipeline
# --------------------------------------------------------------------------------------------------


def partnership_counts(partnerships: QuerySet[Partnership]) -> dict[str, dict[str, int]]:
    """Partnerships by type then stage, in one query: the one count behind the pipeline board and the
    indicators (reporting.indicators), so that both always show the same figures."""
    counts: dict[str, dict[str, int]] = {}
    for row in partnerships.order_by().values("type", "stage").annotate(n=Count("pk")):
        counts.setdefault(row["type"], {})[row["stage"]] = row["n"]
    return counts


def partnership_stage_totals(counts: dict[str, dict[str, int]]) -> dict[str, int]:
    """Per stage, from `partnership_counts`."""
    totals: dict[str, int] = {}
    for by_stage in counts.values():
        for stage, n in by_stage.items():
            totals[stage] = totals.get(stage, 0) + n
    return totals


def partnership_transactions_total(partnerships: QuerySet[Partnership]) -> tuple[int, Decimal]:
    """Number of transactions of these partnerships and their value in euros (the database's value_eur
    at the fixed parity), rounded to the cent, in one query."""
    result = PartnershipTransaction.objects.filter(partnership__in=partnerships.order_by().values("pk")).aggregate(
        n=Count("pk"), eur=Sum("value_eur")
    )
    return result["n"], Decimal(result["eur"] or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pipeline_partnerships(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """Cards of the board: company, entrepreneur, partner and the euro value of the transactions, in one query."""
    value = (
        PartnershipTransaction.objects.filter(partnership=OuterRef("pk"))
        .order_by()
        .values("partnership")
        .annotate(total=Sum("value_eur"))
        .values("total")
    )
    return (
        partnerships.select_related("application__entrepreneur", "application__company", "organisation")
        .annotate(value_eur_total=Subquery(value))
        .order_by("stage_changed_on", "pk")
    )


def partnership_page(partnership_pk: int, partnerships: QuerySet[Partnership]) -> Partnership:
    """A partnership with everything its page lists: stage history with who moved it, transactions,
    documents, support needs with their referral (a 404 outside `partnerships`)."""
    return get_object_or_404(
        partnerships.select_related(
            "application__entrepreneur", "application__company", "application__cohort__programme", "organisation", "meeting"
        ).prefetch_related(
            Prefetch(
                "stage_changes", queryset=PartnershipStageChange.objects.select_related("by").order_by("-changed_on", "-pk")
            ),
            "transactions",
            Prefetch("documents", queryset=PartnershipDocument.objects.select_related("uploaded_by")),
            Prefetch("support_needs", queryset=SupportNeed.objects.select_related("referred_to").order_by("-created_at")),
        ),
        pk=partnership_pk,
    )


def partnerships_readable_by(user) -> QuerySet[Partnership]:
    """Who reads a partnership: staff all of them, the entrepreneur their own, a coach those of the
    entrepreneurs currently assigned to them (read-only). Reviewers and the committee see none (the
    committee reads the aggregated indicators)."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    if user.has_role(Role.STAFF):
        return Partnership.objects.all()
    visible = Q(application__entrepreneur__user=user)
    if user.has_role(Role.COACH):
        visible |= Q(
            application__in=CoachAssignment.objects.filter(coach__user=user, ended_on__isnull=True).values("application_id")
        )
    return Partnership.objects.filter(visible)


# --------------------------------------------------------------------------------------------------
# Mobility plans of a cohort (the staff list of plans)
# --------------------------------------------------------------------------------------------------


def _plan_applications(cohort: Cohort) -> QuerySet[Application]:
    """The cohort's selected entrepreneurs and whoever has a plan (selected once, moved on since)."""
    return Application.objects.filter(cohort=cohort).filter(Q(status=ApplicationStatus.SELECTED) | Q(mobility_plan__isnull=False))


def plan_status_counts(cohort: Cohort) -> dict[str, int]:
    """How many of them are at each state of their plan (label → count, in the plan states' order, then
    those not yet started): one grouped query for the whole cohort, each label translated once."""
    per_status = dict(
        _plan_applications(cohort)
        .order_by()
        .values("mobility_plan__status")
        .annotate(n=Count("pk"))
        .values_list("mobility_plan__status", "n")
    )
    counts = {str(label): per_status[value] for value, label in PlanStatus.choices if value in per_status}
    if None in per_status:
        counts[gettext("Pas encore commencé")] = per_status[None]
    return counts


def plan_rows(cohort: Cohort) -> QuerySet[Application]:
    """The rows of the list, by name, each with its person, plan and number of target companies."""
    return (
        _plan_applications(cohort)
        .select_related("entrepreneur", "mobility_plan")
        .annotate(targets=Count("mobility_plan__targets"))
        .order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk")
    )
