"""Reads of the trip pages: trips with their figures (meetings, costs in euros), a trip's agenda by day
and by week, its costs by category, and the programme's meeting list. Each figure has one definition
here, used by every page that shows it."""

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from cohorts.models import Currency
from core.meeting_time import BRUSSELS

from .models import B2BMeeting, Trip, TripCost, TripCostCategory


def _meeting_count() -> Subquery:
    return Subquery(
        B2BMeeting.objects.filter(trip=OuterRef("pk")).order_by().values("trip").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def _costs_eur() -> Subquery:
    return Subquery(
        TripCost.objects.filter(trip=OuterRef("pk")).order_by().values("trip").annotate(s=Sum("amount_eur")).values("s"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def trips_with_figures() -> QuerySet[Trip]:
    """Trips with `meeting_count` (meetings on the agenda) and `costs_eur` (the sum of the costs' euro
    amounts): the trip list and the trip page show these two figures, from here only."""
    return Trip.objects.select_related(
        "application__entrepreneur", "application__company", "application__cohort__programme", "mission"
    ).annotate(
        meeting_count=Coalesce(_meeting_count(), Value(0)),
        costs_eur=Coalesce(_costs_eur(), Value(Decimal("0")), output_field=DecimalField(max_digits=14, decimal_places=2)),
    )


@dataclass
class CostLine:
    key: str
    label: str
    amount_eur: Decimal = Decimal("0")
    costs: list[TripCost] = field(default_factory=list)


@dataclass
class CostSummary:
    lines: list[CostLine]
    total_eur: Decimal
    #: what was paid in CFA francs, as paid (no conversion back from euros: one conversion only)
    paid_xof: Decimal
    paid_eur: Decimal


def trip_costs(trip: Trip) -> CostSummary:
    """The trip's costs by category (one query), with the total in euros as `trips_with_figures` counts it."""
    lines = {key: CostLine(key=key, label=str(label)) for key, label in TripCostCategory.choices}
    total = paid_xof = paid_eur = Decimal("0")
    for cost in TripCost.objects.filter(trip=trip).order_by("category", "date", "pk"):
        line = lines[cost.category]
        line.costs.append(cost)
        line.amount_eur += cost.amount_eur
        total += cost.amount_eur
        if cost.currency == Currency.XOF:
            paid_xof += cost.amount
        else:
            paid_eur += cost.amount
    return CostSummary(
        lines=[line for line in lines.values() if line.costs],
        total_eur=total,
        paid_xof=paid_xof,
        paid_eur=paid_eur,
    )


def agenda(trip: Trip) -> list[B2BMeeting]:
    """The trip's meetings in time order, with what their rows show (one query)."""
    return list(
        B2BMeeting.objects.filter(trip=trip)
        .select_related("organisation", "contact")
        .prefetch_related(None)
        .order_by("starts_at", "pk")
    )


def agenda_by_day(meetings: list[B2BMeeting]) -> list[tuple[datetime.date, list[B2BMeeting]]]:
    """Meetings grouped by their day in Brussels."""
    days: dict[datetime.date, list[B2BMeeting]] = defaultdict(list)
    for meeting in meetings:
        days[meeting.starts_at.astimezone(BRUSSELS).date()].append(meeting)
    return sorted(days.items())


@dataclass
class CalendarBlock:
    meeting: B2BMeeting
    column: int  # 2..8: Monday..Sunday (column 1 holds the hours)
    row_start: int
    row_end: int


@dataclass
class CalendarWeek:
    days: list[datetime.date]
    hours: list[tuple[int, int]]  # (hour, grid row)
    blocks: list[CalendarBlock]
    rows: int
    in_trip: set = field(default_factory=set)


#: Half-hour rows of the week grid; the grid shows at least 08:00–18:00 in Brussels.
SLOTS_PER_HOUR = 2


def agenda_weeks(trip: Trip, meetings: list[B2BMeeting]) -> list[CalendarWeek]:
    """The trip's weeks (Monday to Sunday) as a grid of half hours, Brussels time, with each meeting's
    place in it."""
    first_hour, last_hour = 8, 18
    local = [(m, m.starts_at.astimezone(BRUSSELS), m.ends_at.astimezone(BRUSSELS)) for m in meetings]
    for _meeting, start, end in local:
        first_hour = min(first_hour, start.hour)
        last_hour = max(last_hour, end.hour + (1 if end.minute else 0) if end.date() == start.date() else 24)
    last_hour = min(last_hour, 24)
    monday = trip.departs_on - datetime.timedelta(days=trip.departs_on.weekday())
    weeks = []
    trip_days = {trip.departs_on + datetime.timedelta(days=n) for n in range((trip.returns_on - trip.departs_on).days + 1)}
    while monday <= trip.returns_on:
        days = [monday + datetime.timedelta(days=n) for n in range(7)]
        blocks = []
        for meeting, start, end in local:
            if start.date() not in days:
                continue
            row_start = 2 + (start.hour - first_hour) * SLOTS_PER_HOUR + start.minute * SLOTS_PER_HOUR // 60
            end_minutes = (end.hour * 60 + end.minute) if end.date() == start.date() else 24 * 60
            row_end = 2 + ((end_minutes - first_hour * 60) * SLOTS_PER_HOUR + 59) // 60
            blocks.append(
                CalendarBlock(
                    meeting=meeting, column=2 + start.weekday(), row_start=row_start, row_end=max(row_end, row_start + 1)
                )
            )
        hours = [(hour, 2 + (hour - first_hour) * SLOTS_PER_HOUR) for hour in range(first_hour, last_hour)]
        if not blocks:  # a week of the trip without meetings: the day list says so, no empty grid
            monday += datetime.timedelta(days=7)
            continue
        weeks.append(
            CalendarWeek(
                days=days,
                hours=hours,
                blocks=blocks,
                rows=(last_hour - first_hour) * SLOTS_PER_HOUR,
                in_trip={d for d in days if d in trip_days},
            )
        )
        monday += datetime.timedelta(days=7)
    return weeks


def meetings_for_list() -> QuerySet[B2BMeeting]:
    """The staff meeting list: every meeting with its trip's entrepreneur and cohort, in date order
    (the `meeting_date_order` index)."""
    return B2BMeeting.objects.select_related(
        "organisation", "contact", "trip__application__entrepreneur", "trip__application__cohort__programme"
    ).order_by("starts_at", "pk")


def meetings_by_ids(ids: list[int]) -> list[B2BMeeting]:
    """These meetings, with what the list shows, in the list's order (one query)."""
    return list(meetings_for_list().filter(pk__in=ids)) if ids else []


def zone_of(meeting: B2BMeeting) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(meeting.time_zone)
