"""Persistence of partnerships ([9] item 4): how many are still alive six and twelve months after the
entrepreneur's return, as their stage stood on those dates in the stage history (not today's stage).

The expressions here are the one definition: the indicators (`reporting.indicators`), the dashboard,
the persistence page, its chart and the reports all count with `persistence_measures`.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts.models import Cohort, Programme
from core.data_version import cached_per_version
from mobility.models import LIVE_STAGES, Partnership, PartnershipStageChange, Trip, TripStatus

#: "+6 months" and "+12 months" after the return of the trip, in days (portable date arithmetic).
MONTHS_6 = datetime.timedelta(days=183)
MONTHS_12 = datetime.timedelta(days=365)


def share(numerator: int | None, denominator: int | None) -> Decimal | None:
    """A share in %, one decimal; None when nothing can be measured yet."""
    if not denominator or numerator is None:
        return None
    return (Decimal(numerator) / Decimal(denominator) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def first_return(application_path: str) -> Subquery:
    """The return date of the application's first completed trip: the start of the follow-up clock."""
    return Subquery(
        Trip.objects.filter(application=OuterRef(application_path), status=TripStatus.COMPLETED)
        .order_by("returns_on")
        .values("returns_on")[:1],
        output_field=DateField(),
    )


def stage_at(cutoff: str) -> Coalesce:
    """The partnership's stage on the date in the annotation `cutoff`: the last dated stage change on
    or before it (of two on one day, the one recorded last); without one, the current stage if it was
    reached by then; otherwise none (the empty string)."""
    last_change = Subquery(
        PartnershipStageChange.objects.filter(partnership=OuterRef("pk"), changed_on__lte=OuterRef(cutoff))
        .order_by("-changed_on", "-pk")
        .values("to_stage")[:1],
        output_field=CharField(),
    )
    without_history = Case(When(stage_changed_on__lte=F(cutoff), then=F("stage")), default=Value(""), output_field=CharField())
    return Coalesce(last_change, without_history, output_field=CharField())


def partnerships_followed(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """Partnerships annotated with the return of their first completed trip and their stage at +6 and
    +12 months after it."""
    return (
        partnerships.annotate(returned_on=first_return("application"))
        .annotate(
            at_6m=ExpressionWrapper(F("returned_on") + MONTHS_6, output_field=DateField()),
            at_12m=ExpressionWrapper(F("returned_on") + MONTHS_12, output_field=DateField()),
        )
        .annotate(stage_6m=stage_at("at_6m"), stage_12m=stage_at("at_12m"))
    )


def due(delay: datetime.timedelta, today: datetime.date) -> Q:
    """Partnerships (annotated by `partnerships_followed`) whose follow-up date has passed: only those
    can be measured."""
    return Q(returned_on__isnull=False, returned_on__lte=today - delay)


def alive_6m(today: datetime.date) -> Q:
    """A followed partnership alive six months after the return (and due: six months have passed)."""
    return due(MONTHS_6, today) & Q(stage_6m__in=LIVE_STAGES)


def alive_12m(today: datetime.date) -> Q:
    """A followed partnership *still* alive twelve months after the return: alive at +6 months too, so
    that the +12 months figure is a subset of the +6 months one and persistence can never rise. One
    that came alive only between +6 and +12 months is a late partnership, not a persistent one."""
    return due(MONTHS_12, today) & Q(stage_6m__in=LIVE_STAGES, stage_12m__in=LIVE_STAGES)


def persistence_measures(today: datetime.date) -> dict[str, Count]:
    """The aggregates of persistence over partnerships annotated by `partnerships_followed`."""
    return {
        "followed": Count("pk", filter=Q(returned_on__isnull=False)),
        "due_6m": Count("pk", filter=due(MONTHS_6, today)),
        "alive_6m": Count("pk", filter=alive_6m(today)),
        "due_12m": Count("pk", filter=due(MONTHS_12, today)),
        "alive_12m": Count("pk", filter=alive_12m(today)),
    }


@dataclass
class CohortPersistence:
    """Persistence of one cohort's partnerships (or of the programme's, `cohort` None)."""

    cohort: Cohort | None
    #: partnerships of entrepreneurs back from a completed trip
    followed: int = 0
    due_6m: int = 0
    alive_6m: int = 0
    due_12m: int = 0
    #: still alive at +12 months (alive at +6 and at +12)
    alive_12m: int = 0

    @property
    def share_6m(self) -> Decimal | None:
        return share(self.alive_6m, self.due_6m)

    @property
    def share_12m(self) -> Decimal | None:
        return share(self.alive_12m, self.due_12m)

    def add(self, other: "CohortPersistence") -> None:
        for name in ("followed", "due_6m", "alive_6m", "due_12m", "alive_12m"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Persistence:
    programme: Programme
    today: datetime.date
    cohorts: list[CohortPersistence] = field(default_factory=list)
    total: CohortPersistence = field(default_factory=lambda: CohortPersistence(cohort=None))


def persistence_by_cohort(programme: Programme, *, today: datetime.date | None = None) -> Persistence:
    """Per cohort of the programme (every cohort, in order, zeros included) and in total: partnerships
    followed, due and alive at +6 and +12 months. Two queries; as of today, computed once per data version
    (core.data_version) for every reader: indicators, dashboard, persistence page and reports."""
    if today is None:
        return cached_per_version(f"pem:persistence:{programme.pk}", lambda: _persistence_by_cohort(programme, today=None))
    return _persistence_by_cohort(programme, today=today)


def _persistence_by_cohort(programme: Programme, *, today: datetime.date | None) -> Persistence:
    today = today or timezone.localdate()
    cohorts = list(Cohort.objects.filter(programme=programme).order_by("number", "pk"))
    partnerships = Partnership.objects.filter(application__cohort__programme=programme).order_by()
    counts = {
        row.pop("cohort_key"): row
        for row in partnerships_followed(partnerships)
        .values(cohort_key=F("application__cohort_id"))
        .annotate(**persistence_measures(today))
    }
    result = Persistence(programme=programme, today=today)
    for cohort in cohorts:
        row = CohortPersistence(cohort=cohort, **counts.get(cohort.pk, {}))
        result.cohorts.append(row)
        result.total.add(row)
    return result
