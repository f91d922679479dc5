"""The indicators of the results framework (brief §6), computed from the platform's own records.

`compute_indicators(programme=, cohort=)` runs a fixed number of SQL aggregations (about twenty,
whatever the number of applications: `Count`/`Sum` with `filter=Q(...)`, `values().annotate()`, and
uncorrelated `IN (subquery)` filters that the database hashes once) and returns an `IndicatorSet`.
`CALCULATORS` maps the `Indicator.calculator` keys to one value (+ its disaggregations) of that set.
"""

import dataclasses
import datetime
import logging
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching import selectors as coaching_selectors
from coaching.models import CoachingSession, EventAttendance, EventKind, SessionKind
from cohorts.eligibility import company_age_at_submission
from cohorts.models import (
    ELIGIBLE_STATUSES,
    Application,
    ApplicationStatus,
    BudgetCategory,
    BudgetLine,
    Cohort,
    CommitteeAttendance,
    CommitteeMeeting,
    CommitteeMembership,
    DecisionOutcome,
    Expense,
    IncubatorSubProject,
    PartnershipType,
    Programme,
    ProgrammePartner,
    ProgrammePartnerRole,
    Review,
    SubProjectStatus,
    to_eur,
)
from cohorts.territory import (
    UNKNOWN,
    diaspora_condition,
    region_split,
    region_split_labels,
)
from core.data_version import cached_per_version
from mobility.models import (
    LIVE_STAGES,
    VISA_AWAITING_DECISION,
    B2BMeeting,
    Invitation,
    InvitationStatus,
    Partnership,
    PartnershipStage,
    PartnershipStageChange,
    RefusalReason,
    Trip,
    TripStatus,
    VisaFile,
    VisaStatus,
)
from mobility.selectors import (
    partnership_counts,
    partnership_stage_totals,
    partnership_transactions_total,
    travelled_application_ids,
)
from mobility.selectors_invitations import invitation_response_stats
from mobility.selectors_visa import visa_decisions
from partners.models import CompanyAgeBand, Education, Gender, OrganisationKind, Sector, company_age_band_expression

from . import persistence

logger = logging.getLogger(__name__)

MONTHS_6, MONTHS_12 = persistence.MONTHS_6, persistence.MONTHS_12

# The region split's keys and its one definition come from cohorts.territory.
YES, NO = "yes", "no"

#: Labels of the disaggregation groups, by dimension (keys are what IndicatorValue.group stores).
GROUP_LABELS: dict[str, dict[str, object]] = {
    "gender": dict(Gender.choices),
    "region": {},  # named after the programme's watched region group (territory.region_split_labels)
    "diaspora": {YES: _("Diaspora"), NO: _("Hors diaspora")},
    "company_age": {**dict(CompanyAgeBand.choices), UNKNOWN: _("Non renseigné")},
    "education": dict(Education.choices),
    "sector": {**dict(Sector.choices), UNKNOWN: _("Non renseigné")},
    "cohort": {},  # filled from the programme's cohorts
}
DIMENSION_LABELS = {
    "gender": _("Genre"),
    "region": _("Région"),
    "diaspora": _("Diaspora"),
    "company_age": _("Âge de l'entreprise au dépôt"),
    "education": _("Niveau d'études"),
    "sector": _("Secteur"),
    "cohort": _("Cohorte"),
}
PERSON_DIMENSIONS = ("cohort", "gender", "region", "diaspora")
COMPANY_DIMENSIONS = ("company_age", "education", "sector")

#: The funnel's stages, in order.
FUNNEL_STAGES = (
    ("applications", _("Candidatures soumises")),
    ("eligible", _("Éligibles")),
    ("reviewed", _("Évaluées")),
    ("selected", _("Sélectionnées")),
    ("trained", _("Formées ou coachées")),
    ("visa_granted", _("Visa accordé")),
    ("travelled", _("Mobilité effectuée")),
    ("with_partnership", _("Au moins un partenariat")),
    # These two count entrepreneurs' applications (one with two live partnerships counts once), where
    # `Partnerships.live_6m`/`live_12m` count partnerships: the labels say which.
    ("live_6m", _("Entrepreneur·es avec un partenariat vivant à +6 mois")),
    ("live_12m", _("Entrepreneur·es avec un partenariat encore vivant à +12 mois")),
)


def _ratio(numerator, denominator, *, percent: bool = False, places: str = "0.01") -> Decimal | None:
    if not denominator or numerator is None:
        return None
    value = Decimal(numerator) / Decimal(denominator) * (100 if percent else 1)
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _median(values: list) -> Decimal | None:
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1")) if values else None


def _hours(minutes) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _money(amount) -> Decimal:
    """Sums of DecimalFields come back with odd precision on SQLite: cents."""
    return Decimal(amount or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _eur(amount, currency: str) -> Decimal:
    return to_eur(Decimal(amount or 0), currency)


# --------------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------------


def _nested_counts() -> defaultdict:
    """dimension -> group -> 0, with factories that pickle (an IndicatorSet is stored in the cache)."""
    return defaultdict(partial(defaultdict, int))


@dataclass
class FunnelStage:
    key: str
    label: str
    total: int = 0
    #: dimension -> group key -> count
    by: dict[str, dict[str, int]] = field(default_factory=_nested_counts)

    def share(self, dimension: str, group: str) -> Decimal | None:
        return _ratio(self.by.get(dimension, {}).get(group, 0), self.total, percent=True, places="0.1")


@dataclass
class Row:
    """One line of a breakdown (a coaching type, a coach, a refusal reason, a stage...)."""

    key: str
    label: str
    count: int = 0
    hours: Decimal | None = None
    entrepreneurs: int | None = None
    amount: Decimal | None = None


@dataclass
class Coaching:
    sessions: int = 0
    hours: Decimal = Decimal(0)
    entrepreneurs: int = 0
    sessions_per_entrepreneur: Decimal | None = None
    hours_per_entrepreneur: Decimal | None = None
    by_kind: list[Row] = field(default_factory=list)
    by_coach: list[Row] = field(default_factory=list)
    #: (month, coach label, sessions, hours)
    workload: list[tuple[datetime.date, str, int, Decimal]] = field(default_factory=list)


@dataclass
class Visa:
    files: int = 0
    submitted: int = 0
    granted: int = 0
    refused: int = 0
    pending: int = 0
    refusal_rate: Decimal | None = None
    median_days: Decimal | None = None
    by_reason: list[Row] = field(default_factory=list)


@dataclass
class Mobility:
    travelled: int = 0
    trips: int = 0
    belgian_companies_met: int = 0
    meetings: int = 0
    meetings_per_entrepreneur: Decimal | None = None
    invitations_sent: int = 0
    invitations_answered: int = 0
    invitations_accepted: int = 0
    invitation_response_rate: Decimal | None = None
    invitation_median_days: Decimal | None = None
    invitations_by_status: list[Row] = field(default_factory=list)


@dataclass
class Partnerships:
    total: int = 0
    live: int = 0
    agreements: int = 0
    by_type: list[Row] = field(default_factory=list)
    by_stage: list[Row] = field(default_factory=list)
    #: type -> stage -> count
    by_type_and_stage: dict[str, dict[str, int]] = field(default_factory=dict)
    measurable_6m: int = 0
    live_6m: int = 0
    share_live_6m: Decimal | None = None
    measurable_12m: int = 0
    #: alive at +6 *and* at +12 months (`_live_12m`): never more than `live_6m`
    live_12m: int = 0
    share_live_12m: Decimal | None = None
    #: "cohort"/"sector" -> group key -> partnerships live at +6 months
    live_6m_by: dict[str, dict[str, int]] = field(default_factory=dict)
    transactions: int = 0
    transactions_eur: Decimal = Decimal(0)


@dataclass
class MesoMacro:
    incubators: int = 0  # incubators of the programme's country of origin partnering it
    incubators_total: int = 0  # Senegalese and Belgian
    sub_projects: int = 0
    sub_projects_by_status: list[Row] = field(default_factory=list)
    sub_projects_budget_eur: Decimal = Decimal(0)
    committee_members: int = 0
    committee_meetings: int = 0
    attendance_recorded: int = 0
    attendance_present: int = 0
    attendance_rate: Decimal | None = None


@dataclass
class Efficiency:
    #: (year, category key, category label, budget EUR or None, spending EUR)
    by_year_and_category: list[tuple[int, str, str, Decimal | None, Decimal]] = field(default_factory=list)
    #: (year, budget EUR or None, spending EUR)
    by_year: list[tuple[int, Decimal | None, Decimal]] = field(default_factory=list)
    budget_eur: Decimal | None = None
    spending_eur: Decimal = Decimal(0)
    cost_per_mobility: Decimal | None = None
    cost_per_active_partnership: Decimal | None = None


@dataclass
class IndicatorSet:
    programme: Programme
    cohort: Cohort | None
    computed_at: datetime.datetime
    funnel: list[FunnelStage]
    #: the funnel counts per (cohort, gender, region, diaspora), for cross-tabulations (diaspora × gender...)
    person_groups: list[dict]
    coaching: Coaching
    visa: Visa
    mobility: Mobility
    partnerships: Partnerships
    meso: MesoMacro
    efficiency: Efficiency
    cohort_labels: dict[str, str] = field(default_factory=dict)

    def stage(self, key: str) -> FunnelStage:
        return next(stage for stage in self.funnel if stage.key == key)

    def group_labels(self, dimension: str) -> dict[str, object]:
        """The groups of a dimension in display order, with their labels."""
        if dimension == "cohort":
            return dict(self.cohort_labels)
        if dimension == "region":
            return region_split_labels(self.programme.watched_region_group)
        return GROUP_LABELS.get(dimension, {})

    def group_label(self, dimension: str, key: str) -> str:
        return str(self.group_labels(dimension).get(str(key) if dimension == "cohort" else key, key))

    def dimensions(self) -> list[str]:
        """The funnel's disaggregations (the cohort one only programme-wide; the region one only for a
        programme that watches a region group)."""
        names = PERSON_DIMENSIONS + COMPANY_DIMENSIONS
        return [
            name
            for name in names
            if (name != "cohort" or self.cohort is None)
            and (name != "region" or self.programme.watched_region_group_id is not None)
        ]


# --------------------------------------------------------------------------------------------------
# Scopes and shared expressions
# --------------------------------------------------------------------------------------------------


def _applications(programme: Programme, cohort: Cohort | None) -> QuerySet[Application]:
    qs = Application.objects.filter(cohort__programme=programme)
    return qs.filter(cohort=cohort) if cohort else qs


def _scoped(queryset: QuerySet, path: str, programme: Programme, cohort: Cohort | None) -> QuerySet:
    """Rows reached through `path` (an application relation), limited to the programme or cohort."""
    if cohort is not None:
        return queryset.filter(**{f"{path}__cohort": cohort})
    return queryset.filter(**{f"{path}__cohort__programme": programme})


# The persistence expressions have one definition (reporting.persistence), shared with the persistence
# page, its chart and the reports.
_first_return = persistence.first_return
_partnerships_followed = persistence.partnerships_followed
_live_6m = persistence.alive_6m
_live_12m = persistence.alive_12m


def _company_age_band() -> Case:
    """Company age at submission, as the screening judged it: under 2, 2 to 5, over 5 years."""
    return company_age_band_expression(company_age_at_submission(), unknown=UNKNOWN)


# --------------------------------------------------------------------------------------------------
# Families
# --------------------------------------------------------------------------------------------------


def _support_attendance():
    """Attendance at pre-mobility support events (Boostcamps, trainings, group coaching...), not at the
    information sessions open to every applicant."""
    return EventAttendance.objects.filter(attended=True).exclude(event__kind=EventKind.INFO_SESSION)


def _stage_filters(today: datetime.date) -> dict[str, Q]:
    """The condition of each funnel stage on an application.

    The subqueries are not limited to the programme: the outer query is, and an unscoped
    `pk IN (SELECT application_id ...)` is hashed once by the database, where a scoped one would
    scan the applications again for each stage."""
    partnerships = _partnerships_followed(Partnership.objects.all())
    return {
        "applications": Q(),
        "eligible": Q(status__in=ELIGIBLE_STATUSES),
        "reviewed": Q(pk__in=Review.objects.filter(submitted_at__isnull=False).values("application_id")),
        "selected": Q(status=ApplicationStatus.SELECTED),
        # Pre-mobility support reaches selected entrepreneurs: an info session attended by any applicant
        # is not training, and a selected entrepreneur who later withdrew still counts as trained.
        "trained": (Q(status=ApplicationStatus.SELECTED) | Q(decision__outcome=DecisionOutcome.SELECTED))
        & (Q(pk__in=_support_attendance().values("application_id")) | Q(pk__in=CoachingSession.objects.values("application_id"))),
        "visa_granted": Q(pk__in=VisaFile.objects.filter(status=VisaStatus.GRANTED).values("application_id")),
        "travelled": Q(pk__in=travelled_application_ids()),
        "with_partnership": Q(pk__in=Partnership.objects.values("application_id")),
        "live_6m": Q(pk__in=partnerships.filter(_live_6m(today)).values("application_id")),
        "live_12m": Q(pk__in=partnerships.filter(_live_12m(today)).values("application_id")),
    }


#: Stages that need no more than the application row (and its reviews): counted over every application.
EARLY_STAGES = ("applications", "eligible", "reviewed", "selected")
#: Stages reached only after selection: counted over the few applications that have a coaching session,
#: an attendance, a visa, a trip or a partnership, so that the database does not test 10,000 rows for them.
LATE_STAGES = ("trained", "visa_granted", "travelled", "with_partnership", "live_6m", "live_12m")


def _funnel(programme, cohort, today) -> tuple[list[FunnelStage], list[dict]]:
    """Three grouped queries over the submitted applications: the early stages of all of them per
    (cohort, gender, region, diaspora) and per (company age, education, sector); the late stages of
    those with some follow-up after selection. Each stage beyond the row itself is an uncorrelated
    `pk IN (subquery)`."""
    stage_filters = _stage_filters(today)
    base = _applications(programme, cohort).submitted().order_by()
    # One IN over the union (rather than an OR of five INs) lets the database estimate the few hundred
    # rows and join the entrepreneurs and companies by index instead of hashing them all.
    followed_up = Q(
        pk__in=CoachingSession.objects.order_by()
        .values("application_id")
        .union(
            _support_attendance().order_by().values("application_id"),
            VisaFile.objects.filter(status=VisaStatus.GRANTED).order_by().values("application_id"),
            travelled_application_ids(),
            Partnership.objects.order_by().values("application_id"),
        )
    )
    person_groups = {
        "cohort_key": F("cohort_id"),
        "gender": F("entrepreneur__gender"),
        "region": region_split(),
        "diaspora": Case(When(diaspora_condition(), then=Value(YES)), default=Value(NO), output_field=CharField()),
    }
    company_groups = {
        "company_age": _company_age_band(),
        "education": F("entrepreneur__education"),
        "sector": Coalesce("company__sector", Value(UNKNOWN), output_field=CharField()),
    }

    def counts(stages: tuple[str, ...]) -> dict:
        return {key: Count("pk", filter=stage_filters[key]) if stage_filters[key] else Count("pk") for key in stages}

    # The late stages in one query over every dimension at once: its groups are bounded by the
    # applicants followed up after selection (a cohort's places), not by the applications.
    late = list(base.filter(followed_up).values(**person_groups, **company_groups).annotate(**counts(LATE_STAGES)))

    def merged(groups: dict) -> list[dict]:
        rows = {tuple(item[name] for name in groups): {**item, **dict.fromkeys(LATE_STAGES, 0)}
                for item in base.values(**groups).annotate(**counts(EARLY_STAGES))}  # fmt: skip
        for item in late:
            row = rows.get(tuple(item[name] for name in groups))
            if row is not None:  # always, as the late applications are among the early ones
                for key in LATE_STAGES:
                    row[key] += item[key]
        return list(rows.values())

    person, company = merged(person_groups), merged(company_groups)
    stages = [FunnelStage(key=key, label=str(label)) for key, label in FUNNEL_STAGES]
    for stage in stages:
        for item in person:
            stage.total += item[stage.key]
            for dimension in PERSON_DIMENSIONS:
                key = item["cohort_key"] if dimension == "cohort" else item[dimension]
                stage.by[dimension][str(key)] += item[stage.key]
        for item in company:
            for dimension in COMPANY_DIMENSIONS:
                stage.by[dimension][str(item[dimension])] += item[stage.key]
    for item in person:
        item["cohort"] = str(item.pop("cohort_key"))
    return stages, person


def _coaching(programme, cohort) -> Coaching:
    """Five queries: totals, by type, by coach, and the coaches' workload per month (two)."""
    sessions = _scoped(CoachingSession.objects.all(), "application", programme, cohort).order_by()
    measures = {
        "n": Count("pk"),
        "minutes": Sum("duration_minutes"),
        "entrepreneurs": Count("application__entrepreneur", distinct=True),
    }
    totals = sessions.aggregate(**measures)
    result = Coaching(sessions=totals["n"], hours=_hours(totals["minutes"]), entrepreneurs=totals["entrepreneurs"])
    result.sessions_per_entrepreneur = _ratio(result.sessions, result.entrepreneurs, places="0.1")
    result.hours_per_entrepreneur = _ratio(result.hours, result.entrepreneurs, places="0.1")
    kinds = dict(SessionKind.choices)
    result.by_kind = [
        Row(key=item["kind"], label=str(kinds.get(item["kind"], item["kind"])), count=item["n"],
            hours=_hours(item["minutes"]), entrepreneurs=item["entrepreneurs"])
        for item in sessions.values("kind").annotate(**measures).order_by("kind")
    ]  # fmt: skip
    coach_fields = ("coach_id", "coach__user__first_name", "coach__user__last_name", "coach__user__email")

    def coach_label(item: dict) -> str:
        name = f"{item['coach__user__first_name']} {item['coach__user__last_name']}".strip()
        return name or item["coach__user__email"]

    # The coach's time: a group session logged for each attendee counts once (coaching's one definition),
    # per month and, summed, per coach; the entrepreneurs each coach followed are counted from the sessions.
    workload = coaching_selectors.coach_workload_rows(sessions)
    result.workload = [(row["month"], coach_label(row), row["sessions"], _hours(row["minutes"])) for row in workload]
    per_coach: dict[int, list[int]] = {}
    for row in workload:
        totals = per_coach.setdefault(row["coach"], [0, 0])
        totals[0] += row["sessions"]
        totals[1] += row["minutes"]
    result.by_coach = [
        Row(key=str(item["coach_id"]), label=coach_label(item), count=per_coach.get(item["coach_id"], [0, 0])[0],
            hours=_hours(per_coach.get(item["coach_id"], [0, 0])[1]), entrepreneurs=item["entrepreneurs"])
        for item in sessions.values(*coach_fields).annotate(entrepreneurs=measures["entrepreneurs"])
        .order_by("coach__user__last_name", "coach_id")
    ]  # fmt: skip
    return result


def _visa(programme, cohort) -> Visa:
    """Three queries: counts by status, refusals by reason, and the decisions (mobility.selectors_visa)."""
    files = _scoped(VisaFile.objects.all(), "application", programme, cohort).order_by()
    counts = files.aggregate(
        files=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_on__isnull=False)),
        pending=Count("pk", filter=Q(status__in=VISA_AWAITING_DECISION)),
    )
    # The board's figures (mobility.selectors_visa): one definition of the refusal rate and the median.
    decisions = visa_decisions(files)[None]
    result = Visa(**counts, granted=decisions.granted, refused=decisions.refused)
    result.refusal_rate = decisions.refusal_rate
    result.median_days = decisions.median_days
    reasons = dict(RefusalReason.choices)
    result.by_reason = [
        Row(key=item["refusal_reason"], label=str(reasons.get(item["refusal_reason"], item["refusal_reason"])), count=item["n"])
        for item in files.filter(status=VisaStatus.REFUSED)
        .values("refusal_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "refusal_reason")
    ]
    return result


def _mobility(programme, cohort) -> Mobility:
    """Four queries: trips, B2B meetings, invitations by status, and the (sent, answered) times."""
    trips = _scoped(Trip.objects.all(), "application", programme, cohort).order_by()
    trip_counts = trips.aggregate(
        # As the funnel's "travelled" stage (mobility.selectors.travelled_application_ids).
        travelled=Count("application", distinct=True, filter=Q(status=TripStatus.COMPLETED)),
        trips=Count("pk", filter=Q(status=TripStatus.COMPLETED)),
    )
    meetings = _scoped(B2BMeeting.objects.all(), "trip__application", programme, cohort).filter(trip__status=TripStatus.COMPLETED)
    meeting_counts = meetings.order_by().aggregate(
        meetings=Count("pk"),
        companies=Count("organisation", distinct=True, filter=Q(organisation__kind=OrganisationKind.BELGIAN_COMPANY)),
    )
    result = Mobility(
        travelled=trip_counts["travelled"],
        trips=trip_counts["trips"],
        meetings=meeting_counts["meetings"],
        belgian_companies_met=meeting_counts["companies"],
    )
    result.meetings_per_entrepreneur = _ratio(result.meetings, result.travelled, places="0.1")
    invitations = _scoped(Invitation.objects.all(), "trip__application", programme, cohort).order_by()
    statuses = dict(InvitationStatus.choices)
    by_status = {item["status"]: item["n"] for item in invitations.values("status").annotate(n=Count("pk"))}
    result.invitations_by_status = [
        Row(key=key, label=str(label), count=by_status.get(key, 0))
        for key, label in statuses.items()
        if key != InvitationStatus.DRAFT
    ]
    # The staff invitations page shows the same figures per relay agency and cohort: one definition.
    response = invitation_response_stats(invitations)[0]
    result.invitations_sent, result.invitations_answered = response.sent, response.answered
    result.invitations_accepted = response.accepted
    result.invitation_response_rate, result.invitation_median_days = response.response_rate, response.median_days
    return result


def _partnerships(programme, cohort, today) -> Partnerships:
    """Three queries: counts by type and stage; persistence at +6/+12 months by cohort and sector
    (with the agreements signed); transactions."""
    partnerships = _scoped(Partnership.objects.all(), "application", programme, cohort).order_by()
    result = Partnerships()
    types, stages = dict(PartnershipType.choices), dict(PartnershipStage.choices)
    # The pipeline board counts with the same selector: one figure per fact.
    result.by_type_and_stage = partnership_counts(partnerships)
    stage_counts = partnership_stage_totals(result.by_type_and_stage)
    type_counts = {kind: sum(by_stage.values()) for kind, by_stage in result.by_type_and_stage.items()}
    result.total = sum(stage_counts.values())
    result.live = sum(n for stage, n in stage_counts.items() if stage in LIVE_STAGES)
    result.by_type = [Row(key=k, label=str(label), count=type_counts.get(k, 0)) for k, label in types.items()]
    result.by_stage = [Row(key=k, label=str(label), count=stage_counts.get(k, 0)) for k, label in stages.items()]

    signed = PartnershipStageChange.objects.filter(
        partnership__in=partnerships.values("pk"), to_stage=PartnershipStage.AGREEMENT
    ).values("partnership_id")
    followed = _partnerships_followed(partnerships)
    result.live_6m_by = {"cohort": defaultdict(int), "sector": defaultdict(int)}
    for item in followed.values(
        cohort_key=F("application__cohort_id"),
        sector=Coalesce("application__company__sector", Value(UNKNOWN), output_field=CharField()),
    ).annotate(
        **persistence.persistence_measures(today),
        agreements=Count("pk", filter=Q(pk__in=signed) | Q(stage__in=LIVE_STAGES)),
    ):
        result.measurable_6m += item["due_6m"]
        result.live_6m += item["alive_6m"]
        result.measurable_12m += item["due_12m"]
        result.live_12m += item["alive_12m"]
        result.agreements += item["agreements"]
        result.live_6m_by["cohort"][str(item["cohort_key"])] += item["alive_6m"]
        result.live_6m_by["sector"][item["sector"]] += item["alive_6m"]
    result.share_live_6m = persistence.share(result.live_6m, result.measurable_6m)
    result.share_live_12m = persistence.share(result.live_12m, result.measurable_12m)

    result.transactions, result.transactions_eur = partnership_transactions_total(partnerships)
    return result


def _meso_macro(programme) -> MesoMacro:
    """Five queries; programme-wide whatever the cohort (incubators and the committee serve all cohorts)."""
    result = MesoMacro()
    incubators = ProgrammePartner.objects.filter(programme=programme, role=ProgrammePartnerRole.INCUBATOR).aggregate(
        total=Count("organisation", distinct=True),
        # Incubators of the programme's country of origin (Senegalese ones for PEM-WECCO).
        of_origin=Count("organisation", distinct=True, filter=Q(organisation__country=F("programme__origin_country"))),
    )
    result.incubators, result.incubators_total = incubators["of_origin"], incubators["total"]
    statuses = dict(SubProjectStatus.choices)
    by_status = {
        item["status"]: item
        for item in IncubatorSubProject.objects.filter(programme=programme)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), budget=Sum("budget_eur"))
    }
    result.sub_projects_by_status = [
        Row(key=key, label=str(label), count=by_status[key]["n"], amount=by_status[key]["budget"])
        for key, label in statuses.items() if key in by_status
    ]  # fmt: skip
    result.sub_projects = sum(item["n"] for item in by_status.values())
    result.sub_projects_budget_eur = _money(sum((item["budget"] or Decimal(0) for item in by_status.values()), Decimal(0)))
    result.committee_members = CommitteeMembership.objects.filter(programme=programme, left_on__isnull=True).count()
    result.committee_meetings = CommitteeMeeting.objects.filter(programme=programme, held_on__lte=timezone.localdate()).count()
    attendance = CommitteeAttendance.objects.filter(meeting__programme=programme).aggregate(
        recorded=Count("pk"), present=Count("pk", filter=Q(present=True))
    )
    result.attendance_recorded, result.attendance_present = attendance["recorded"], attendance["present"]
    result.attendance_rate = _ratio(result.attendance_present, result.attendance_recorded, percent=True, places="0.1")
    return result


def _efficiency(programme, cohort, mobility: Mobility, partnerships: Partnerships) -> Efficiency:
    """Two queries: the budget by year, category and currency; the spending (EUR) by year and category.
    For one cohort, the spending is what was booked on that cohort and the budget is not split."""
    categories = dict(BudgetCategory.choices)
    budget: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    if cohort is None:
        for item in (
            BudgetLine.objects.filter(programme=programme)
            .order_by()
            .values("year", "category", "currency")
            .annotate(total=Sum("amount"))
        ):
            budget[(item["year"], item["category"])] += _eur(item["total"], item["currency"])
    expenses = Expense.objects.filter(budget_line__programme=programme)
    if cohort is not None:
        expenses = expenses.filter(cohort=cohort)
    spending = {
        (item["year"], item["category"]): _money(item["total"])
        for item in expenses.order_by()
        .values(year=ExtractYear("spent_on"), category=F("budget_line__category"))
        .annotate(total=Sum("amount_eur"))
    }
    result = Efficiency()
    years: dict[int, list] = {}
    for year, category in sorted(set(budget) | set(spending)):
        planned = budget.get((year, category)) if cohort is None else None
        spent = spending.get((year, category), Decimal(0))
        result.by_year_and_category.append((year, category, str(categories.get(category, category)), planned, spent))
        totals = years.setdefault(year, [None if cohort is not None else Decimal(0), Decimal(0)])
        if planned is not None:
            totals[0] += planned
        totals[1] += spent
    result.by_year = [(year, planned, spent) for year, (planned, spent) in sorted(years.items())]
    result.budget_eur = sum(budget.values(), Decimal(0)) if cohort is None else None
    result.spending_eur = sum(spending.values(), Decimal(0))
    result.cost_per_mobility = _ratio(result.spending_eur, mobility.travelled)
    result.cost_per_active_partnership = _ratio(result.spending_eur, partnerships.live)
    return result


def compute_indicators(*, programme: Programme, cohort: Cohort | None = None) -> IndicatorSet:
    """Every indicator of brief §6 for a programme, or one of its cohorts: computed once per version of
    the data (core.data_version: any committed write to a project table makes a new one), per day and per
    language (labels are translated when computed), then read from the shared cache."""
    if cohort is not None and cohort.programme_id != programme.pk:
        raise ValueError("The cohort does not belong to the programme.")

    def compute() -> IndicatorSet:
        # Stored without the model instances: the caller's are put back when read.
        return dataclasses.replace(_compute(programme, cohort), programme=None, cohort=None)

    result = cached_per_version(f"pem:indicators:{programme.pk}:{cohort.pk if cohort is not None else '-'}", compute)
    return dataclasses.replace(result, programme=programme, cohort=cohort)


def _compute(programme: Programme, cohort: Cohort | None) -> IndicatorSet:
    """Every indicator, in a fixed number of queries whatever the amount of data."""
    today = timezone.localdate()
    funnel, person_groups = _funnel(programme, cohort, today)
    mobility = _mobility(programme, cohort)
    partnerships = _partnerships(programme, cohort, today)
    cohorts = [cohort] if cohort is not None else list(Cohort.objects.filter(programme=programme).order_by("number"))
    return IndicatorSet(
        programme=programme,
        cohort=cohort,
        computed_at=timezone.now(),
        funnel=funnel,
        person_groups=person_groups,
        coaching=_coaching(programme, cohort),
        visa=_visa(programme, cohort),
        mobility=mobility,
        partnerships=partnerships,
        meso=_meso_macro(programme),
        efficiency=_efficiency(programme, cohort, mobility, partnerships),
        cohort_labels={str(c.pk): c.name for c in cohorts},
    )


# --------------------------------------------------------------------------------------------------
# Calculators: one value (+ its disaggregations) per `Indicator.calculator` key
# --------------------------------------------------------------------------------------------------


@dataclass
class IndicatorResult:
    value: Decimal | None
    #: dimension (a reporting.models.Disaggregation value) -> group key -> value
    by: dict[str, dict[str, Decimal]] = field(default_factory=dict)


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _stage(key: str) -> Callable[[IndicatorSet], IndicatorResult]:
    def calculate(indicators: IndicatorSet) -> IndicatorResult:
        stage = indicators.stage(key)
        by = {
            dimension: {group: Decimal(n) for group, n in stage.by.get(dimension, {}).items()}
            for dimension in indicators.dimensions()
        }
        return IndicatorResult(Decimal(stage.total), by)

    calculate.__doc__ = f"Funnel stage {key}, by every dimension."
    return calculate


def _value(getter: Callable[[IndicatorSet], object]) -> Callable[[IndicatorSet], IndicatorResult]:
    return lambda indicators: IndicatorResult(_number(getter(indicators)))


def _diaspora(stage_key: str) -> Callable[[IndicatorSet], IndicatorResult]:
    """Diaspora entrepreneurs at a stage, by gender and cohort (from the person-level groups)."""

    def calculate(indicators: IndicatorSet) -> IndicatorResult:
        by: dict[str, dict[str, Decimal]] = {"gender": defaultdict(Decimal), "cohort": defaultdict(Decimal)}
        total = 0
        for item in indicators.person_groups:
            if item["diaspora"] == YES:
                total += item[stage_key]
                by["gender"][item["gender"]] += item[stage_key]
                by["cohort"][item["cohort"]] += item[stage_key]
        if indicators.cohort is not None:
            by.pop("cohort")
        return IndicatorResult(Decimal(total), {k: dict(v) for k, v in by.items()})

    return calculate


def _live_6m_partnerships(indicators: IndicatorSet) -> IndicatorResult:
    by = {
        dimension: {g: Decimal(n) for g, n in groups.items()} for dimension, groups in indicators.partnerships.live_6m_by.items()
    }
    if indicators.cohort is not None:
        by.pop("cohort", None)
    return IndicatorResult(Decimal(indicators.partnerships.live_6m), by)


CALCULATORS: dict[str, Callable[[IndicatorSet], IndicatorResult]] = {
    **{f"funnel.{key}": _stage(key) for key, _label in FUNNEL_STAGES},
    "diaspora.eligible": _diaspora("eligible"),
    "diaspora.selected": _diaspora("selected"),
    "diaspora.with_partnership": _diaspora("with_partnership"),
    "coaching.sessions": _value(lambda i: i.coaching.sessions),
    "coaching.hours": _value(lambda i: i.coaching.hours),
    "coaching.entrepreneurs": _value(lambda i: i.coaching.entrepreneurs),
    "coaching.sessions_per_entrepreneur": _value(lambda i: i.coaching.sessions_per_entrepreneur),
    "coaching.hours_per_entrepreneur": _value(lambda i: i.coaching.hours_per_entrepreneur),
    "visa.submitted": _value(lambda i: i.visa.submitted),
    "visa.granted": _value(lambda i: i.visa.granted),
    "visa.refused": _value(lambda i: i.visa.refused),
    "visa.refusal_rate": _value(lambda i: i.visa.refusal_rate),
    "visa.median_days": _value(lambda i: i.visa.median_days),
    "mobility.travelled": _value(lambda i: i.mobility.travelled),
    "mobility.belgian_companies_met": _value(lambda i: i.mobility.belgian_companies_met),
    "mobility.meetings": _value(lambda i: i.mobility.meetings),
    "mobility.meetings_per_entrepreneur": _value(lambda i: i.mobility.meetings_per_entrepreneur),
    "mobility.invitation_response_rate": _value(lambda i: i.mobility.invitation_response_rate),
    "mobility.invitation_median_days": _value(lambda i: i.mobility.invitation_median_days),
    "partnerships.total": _value(lambda i: i.partnerships.total),
    "partnerships.live": _value(lambda i: i.partnerships.live),
    "partnerships.agreements": _value(lambda i: i.partnerships.agreements),
    "partnerships.active_6m": _live_6m_partnerships,
    "partnerships.active_12m": _value(lambda i: i.partnerships.live_12m),
    "partnerships.share_active_6m": _value(lambda i: i.partnerships.share_live_6m),
    "partnerships.share_active_12m": _value(lambda i: i.partnerships.share_live_12m),
    "partnerships.transactions_eur": _value(lambda i: i.partnerships.transactions_eur),
    "meso.incubators": _value(lambda i: i.meso.incubators),
    "meso.sub_projects": _value(lambda i: i.meso.sub_projects),
    "macro.committee_meetings": _value(lambda i: i.meso.committee_meetings),
    "macro.committee_attendance_rate": _value(lambda i: i.meso.attendance_rate),
    "efficiency.budget_eur": _value(lambda i: i.efficiency.budget_eur),
    "efficiency.spending_eur": _value(lambda i: i.efficiency.spending_eur),
    "efficiency.cost_per_mobility": _value(lambda i: i.efficiency.cost_per_mobility),
    "efficiency.cost_per_active_partnership": _value(lambda i: i.efficiency.cost_per_active_partnership),
}


#: Calculators whose value should go down: an indicator created on one of them starts as "to reduce"
#: (the demo, the migration that introduced `Indicator.direction`); the admin may change it.
LOWER_IS_BETTER_CALCULATORS = frozenset({
    "visa.refusal_rate",
    "visa.median_days",
    "mobility.invitation_median_days",
    "efficiency.cost_per_mobility",
    "efficiency.cost_per_active_partnership",
})  # fmt: skip


def calculate(key: str, indicators: IndicatorSet) -> IndicatorResult | None:
    """The value of one calculator, or None for an unknown key (a typo in the admin must not break a page)."""
    calculator = CALCULATORS.get(key)
    return calculator(indicators) if calculator else None
