"""Staff reads: the filterable application list, the page of one application, and the selection-effect
analysis (who the funnel keeps at each stage, by group, and which criterion alone pushed whom out), each
in a fixed number of queries whatever the number of applications, documents or reviews."""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.bilingual import Text, text_in
from core.data_version import cached_per_version
from core.db import desc_nulls_last
from partners.models import CompanyAgeBand, Education, Gender, Region, Sector, company_age_band_expression

from .eligibility import company_age_at_submission
from .models import (
    ELIGIBLE_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ApplicationTransition,
    Cohort,
    ConflictOfInterest,
    DecisionOutcome,
    DocumentAccess,
    EligibilityCriterion,
    Programme,
    Review,
    ReviewScore,
    SelectionDecision,
    submitted_condition,
)
from .selectors_review import ScoreSummary, review_total, reviews_with_totals, summarise
from .territory import (
    AXIS,
    ELSEWHERE,
    UNKNOWN,
    diaspora_flag,
    region_split,
    region_split_labels,
)

# --------------------------------------------------------------------------------------------------
# Application list
# --------------------------------------------------------------------------------------------------


def applications_for_staff() -> QuerySet[Application]:
    """Every application with what the list and the export show, joined in the same query."""
    return Application.objects.select_related("entrepreneur", "company__region", "cohort__programme").order_by(
        desc_nulls_last("submitted_at"), "-created_at", "-pk"
    )


#: What a row of the staff list shows (`cohorts/staff/application_list.html`): the other columns are not read.
STAFF_LIST_FIELDS = (
    "pk",
    "status",
    "source",
    "submitted_at",
    "created_at",
    "is_eligible",
    "failed_criteria",
    "entrepreneur__first_name",
    "entrepreneur__last_name",
    "entrepreneur__email",
    "company__name",
    *(f"cohort__name_{language}" for language in settings.MODELTRANSLATION_LANGUAGES),
    "cohort__programme__name",
)


def region_label(region: Region) -> str:
    """A region as the filter menus show it: regions of several programmes' countries side by side."""
    return f"{region.name} ({region.country.name})"


def applications_for_staff_list() -> QuerySet[Application]:
    """As `applications_for_staff`, with only what a row of the list shows (no region, no answers): the
    rows of a page are built in a fraction of the time."""
    return (
        applications_for_staff()
        .select_related(None)
        .select_related("entrepreneur", "company", "cohort__programme")
        .only(*STAFF_LIST_FIELDS)
    )


def applications_for_staff_count(filters: Mapping[str, list[str]], queryset: QuerySet[Application]) -> int:
    """How many applications `queryset` (the list filtered by `filters`, the submitted values of its
    filter form) holds, counted once per data version and shared through the cache."""
    key = hashlib.sha256(json.dumps(sorted(filters.items())).encode()).hexdigest()[:32]
    return cached_per_version(f"pem:staff-applications-count:{key}", queryset.count)


def staff_list_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The options (value, label) of the filter menus that list rows of the database (programmes, cohorts,
    regions), read once per data version and language and shared through the cache, instead of three
    queries a page."""

    def compute() -> dict[str, list[tuple[str, str]]]:
        return {
            "programme": [(str(programme.pk), str(programme)) for programme in Programme.objects.order_by("code")],
            "cohort": [
                (str(cohort.pk), str(cohort))
                for cohort in Cohort.objects.select_related("programme").order_by("programme__code", "number")
            ],
            "region": [(str(region.pk), region_label(region)) for region in Region.objects.order_by("country", "order", "name")],
        }

    return cached_per_version("pem:staff-applications-filter-choices", compute)


def failed_labels(applications: Iterable[Application]) -> dict[int, list[Text]]:
    """Per application (by id): the labels of the criteria it failed at its last screening, in the reader's
    language (core.bilingual: the other language marked when the label exists only in it), read from the
    criteria themselves in one query; a criterion deleted since keeps the label stored at the screening."""
    stored = {
        application.pk: [item for item in application.failed_criteria or [] if isinstance(item, dict)]
        for application in applications
    }
    ids = {item.get("id") for items in stored.values() for item in items if isinstance(item.get("id"), int)}
    current = EligibilityCriterion.objects.only("pk", "label_fr", "label_en").in_bulk(ids) if ids else {}
    return {
        pk: [
            text_in(current[item["id"]], "label") if item.get("id") in current else Text(str(item.get("label", "")))
            for item in items
        ]
        for pk, items in stored.items()
    }


# --------------------------------------------------------------------------------------------------
# One application
# --------------------------------------------------------------------------------------------------


def application_for_staff_page() -> QuerySet[Application]:
    """One application with everything its staff page shows, whatever the number of documents, reviews
    or transitions: the row with its people, cohort and decision (1 query), then the documents, who opened
    them and when, the reviews with their weighted totals and reviewers, their scores with criteria,
    the conflicts, the transitions with their authors, and the cohort's eligibility criteria (1 each)."""
    return Application.objects.select_related(
        "entrepreneur", "company__region", "cohort__programme", "decision__decided_by"
    ).prefetch_related(
        Prefetch(
            "documents",
            queryset=ApplicationDocument.objects.order_by("kind", "uploaded_at", "pk").prefetch_related(
                Prefetch(
                    "accesses", queryset=DocumentAccess.objects.select_related("user").order_by("-at"), to_attr="page_accesses"
                )
            ),
            to_attr="page_documents",
        ),
        Prefetch(
            "reviews",
            queryset=reviews_with_totals()
            .select_related("reviewer")
            .prefetch_related(
                Prefetch(
                    "scores",
                    queryset=ReviewScore.objects.select_related("criterion").order_by("criterion__order", "criterion__pk"),
                    to_attr="page_scores",
                )
            )
            .order_by("assigned_at", "pk"),
            to_attr="page_reviews",
        ),
        Prefetch(
            "conflicts",
            queryset=ConflictOfInterest.objects.select_related("reviewer").order_by("declared_at"),
            to_attr="page_conflicts",
        ),
        Prefetch(
            "transitions",
            queryset=ApplicationTransition.objects.select_related("by").order_by("at", "pk"),
            to_attr="page_transitions",
        ),
        Prefetch(
            "cohort__criteria",
            # The criteria the screening judges: inactive ones were not checked, so they are not shown as met.
            queryset=EligibilityCriterion.objects.filter(is_active=True).order_by("order", "pk"),
            to_attr="page_criteria",
        ),
    )


@dataclass
class CriterionResult:
    """One eligibility criterion of the cohort and whether the application met it at its screening."""

    label: Text
    met: bool


@dataclass
class HistoryEvent:
    """One dated line of the application's history: a status change or a step of its decision."""

    at: datetime
    title: str
    by: User | None = None
    detail: str = ""
    detail_text: Text | None = None


@dataclass
class StaffApplicationPage:
    application: Application
    criteria: list[CriterionResult]
    #: Failed criteria stored at screening that the cohort no longer has (deleted since): their label then.
    removed_failed: list[str]
    reviews: list[Review]
    submitted_count: int
    #: Average and spread of the submitted reviews' weighted totals, as on the boards.
    score: ScoreSummary
    history: list[HistoryEvent]


def _screening(application: Application) -> tuple[list[CriterionResult], list[str]]:
    failed = {item.get("id"): item.get("label", "") for item in application.failed_criteria or [] if isinstance(item, dict)}
    criteria = application.cohort.page_criteria
    results = [CriterionResult(label=text_in(criterion, "label"), met=criterion.pk not in failed) for criterion in criteria]
    known = {criterion.pk for criterion in criteria}
    return results, [label for pk, label in failed.items() if pk not in known]


def _decision_history(application: Application) -> list[HistoryEvent]:
    """Each saved version of the decision (one query), then its notification (kept on the row)."""
    events = []
    versions = (
        SelectionDecision.history.filter(application_id=application.pk)
        .select_related("decided_by", "history_user")
        .order_by("history_date", "history_id")
    )
    outcomes = dict(DecisionOutcome.choices)
    for number, version in enumerate(versions):
        title = _("Décision enregistrée : %(outcome)s") if number == 0 else _("Décision modifiée : %(outcome)s")
        detail = ""
        if version.override_reason:
            detail = str(_("Sans toutes les évaluations : %(reason)s") % {"reason": version.override_reason})
        events.append(
            HistoryEvent(
                # The decision's own date (a decision entered later, or loaded, keeps when it was taken).
                at=version.decided_at or version.history_date,
                title=str(title % {"outcome": outcomes.get(version.outcome, "")}),
                by=version.decided_by or version.history_user,
                detail=detail,
                detail_text=text_in(version, "reason"),
            )
        )
    decision = getattr(application, "decision", None)
    if decision is not None and decision.notified_at is not None:
        events.append(HistoryEvent(at=decision.notified_at, title=str(_("Décision notifiée à la personne candidate"))))
    return events


def staff_application_page(application: Application) -> StaffApplicationPage:
    """What the staff page shows of an application fetched with `application_for_staff_page` (one more
    query: the decision's versions)."""
    reviews = application.page_reviews
    for review in reviews:
        review.total = review_total(review) if review.submitted_at else None
    criteria, removed_failed = _screening(application)
    history = [
        HistoryEvent(
            at=transition.at,
            title=" → ".join(filter(None, [transition.get_from_status_display(), transition.get_to_status_display()])),
            by=transition.by,
            detail=transition.note,
        )
        for transition in application.page_transitions
    ]
    history = sorted(
        [
            HistoryEvent(at=application.created_at, title=str(_("Candidature commencée"))),
            *history,
            *_decision_history(application),
        ],
        key=lambda event: event.at,
    )
    return StaffApplicationPage(
        application=application,
        criteria=criteria,
        removed_failed=removed_failed,
        reviews=reviews,
        submitted_count=sum(1 for review in reviews if review.submitted_at),
        score=summarise(reviews),
        history=history,
    )


# --------------------------------------------------------------------------------------------------
# Selection-effect analysis
# --------------------------------------------------------------------------------------------------

#: Region split: the evaluation found the SMEs concentrated on the Dakar–Thiès axis; each programme
#: names the region group it watches (territory.region_split), and one without shows no split.
DIASPORA_LABELS = {True: _("Diaspora"), False: _("Hors diaspora")}
#: Company age at submission, in years: under 2, 2 to 5, over 5 (`partners.models.CompanyAgeBand`).
AGE_LABELS = {**dict(CompanyAgeBand.choices), UNKNOWN: _("Non renseigné")}

#: The one definition of a submitted application (as the indicators, the dashboard and the home pages).
SUBMITTED_FILTER = submitted_condition()


def region_labels(cohorts: Iterable[Cohort]) -> dict:
    """Labels of the region split for the programmes of `cohorts` (loaded with their watched group):
    the group's name when they watch one, a generic name when they watch several, none (no split)
    when none watches any."""
    groups = {cohort.programme.watched_region_group_id: cohort.programme.watched_region_group for cohort in cohorts}
    groups.pop(None, None)
    if len(groups) == 1:
        return region_split_labels(next(iter(groups.values())))
    if not groups:
        return {}
    return {AXIS: _("Groupe de régions suivi"), ELSEWHERE: _("Autres régions et étranger"), UNKNOWN: _("Non renseigné")}


def _age_band() -> Case:
    return company_age_band_expression(F("company_age"), unknown=UNKNOWN)


@dataclass
class FunnelRow:
    """One group's funnel: counts at each stage and their rates against the applied count."""

    key: str
    label: str
    applied: int = 0
    eligible: int = 0
    reviewed: int = 0
    selected: int = 0

    def rate(self, count: int) -> float | None:
        return round(100 * count / self.applied, 1) if self.applied else None

    @property
    def eligible_rate(self) -> float | None:
        return self.rate(self.eligible)

    @property
    def reviewed_rate(self) -> float | None:
        return self.rate(self.reviewed)

    @property
    def selected_rate(self) -> float | None:
        return self.rate(self.selected)


@dataclass
class FunnelBreakdown:
    dimension: str
    label: str
    rows: list[FunnelRow]


@dataclass
class GroupExclusion:
    key: str
    label: str
    applied: int
    excluded: int
    failing: int = 0

    @property
    def share(self) -> float | None:
        return round(100 * self.excluded / self.applied, 1) if self.applied else None

    @property
    def failing_share(self) -> float | None:
        return round(100 * self.failing / self.applied, 1) if self.applied else None


@dataclass
class CriterionExclusion:
    """How many applicants fail this criterion (with others or not), and how many it alone excluded
    (it was the only one they failed), overall and by group."""

    criterion: EligibilityCriterion
    excluded: int = 0
    failing: int = 0
    groups: dict[str, list[GroupExclusion]] = field(default_factory=dict)


@dataclass
class SelectionAnalysis:
    total: FunnelRow
    breakdowns: list[FunnelBreakdown]
    exclusions: list[CriterionExclusion]


STAGES = ("applied", "eligible", "reviewed", "selected")


def _funnel_counts() -> dict:
    """The stages, counted over rows annotated with `has_submitted_review`."""
    return {
        "applied": Count("pk"),
        "eligible": Count("pk", filter=Q(status__in=ELIGIBLE_STATUSES)),
        "reviewed": Count("pk", filter=Q(has_submitted_review=True)),
        "selected": Count("pk", filter=Q(status=ApplicationStatus.SELECTED)),
    }


def _dimension_expressions() -> dict[str, object]:
    return {
        "gender": F("entrepreneur__gender"),
        "region": region_split(),
        "diaspora": diaspora_flag(),
        "age_band": _age_band(),
        "education": F("entrepreneur__education"),
        "sector": Coalesce("company__sector", Value(UNKNOWN)),
    }


#: The breakdowns shown: (dimension = key in the grouped rows, label, labels of the values).
def _dimensions(regions: dict) -> list[tuple[str, object, dict]]:
    return [
        ("gender", _("Genre"), dict(Gender.choices)),
        *([("region", _("Région"), regions)] if regions else []),
        ("diaspora", _("Diaspora"), DIASPORA_LABELS),
        ("age_band", _("Âge de l'entreprise au dépôt"), AGE_LABELS),
        ("education", _("Niveau d'études"), dict(Education.choices)),
        ("sector", _("Secteur"), {**dict(Sector.choices), UNKNOWN: _("Non renseigné")}),
    ]


#: The dimensions are counted in two grouped queries of a few dozen to a few hundred groups each:
#: who the person is (with the cohort, which the exclusions need too), and what the company is.
PERSON_DIMENSIONS = ("gender", "region", "diaspora")
COMPANY_DIMENSIONS = ("age_band", "education", "sector")


@dataclass
class FunnelGroups:
    """Funnel counts per combination of groups, as read from the database."""

    person: list[dict]  # keys: cohort_id, gender, region, diaspora + STAGES
    company: list[dict]  # keys: age_band, education, sector + STAGES


def funnel_groups(applications: QuerySet[Application]) -> FunnelGroups:
    """The funnel counts of the submitted applications, grouped (2 queries, `values().annotate()`)."""
    reviewed = Exists(Review.objects.filter(application=OuterRef("pk"), submitted_at__isnull=False))
    base = (
        applications.filter(SUBMITTED_FILTER)
        .order_by()
        .annotate(has_submitted_review=reviewed, company_age=company_age_at_submission())
    )
    expressions = _dimension_expressions()
    counts = _funnel_counts()

    def grouped(names: tuple[str, ...], *fields: str) -> list[dict]:
        return list(base.values(*fields, **{name: expressions[name] for name in names}).annotate(**counts).order_by())

    return FunnelGroups(person=grouped(PERSON_DIMENSIONS, "cohort_id"), company=grouped(COMPANY_DIMENSIONS))


def _ordered_rows(found: dict, labels: dict) -> list[FunnelRow]:
    """Every known group in its declared order (empty ones too, so columns line up across cohorts)."""
    rows = [found.pop(key, FunnelRow(key=str(key), label=str(label))) for key, label in labels.items()]
    rows = [row for row in rows if row.applied or row.key != UNKNOWN]
    return rows + list(found.values())


def selection_funnel(groups: FunnelGroups, regions: dict | None = None) -> tuple[FunnelRow, list[FunnelBreakdown]]:
    """The funnel applied → eligible → reviewed → selected, overall and per dimension, summed from
    the grouped counts (no query). `regions` labels the region split (`region_labels`); without, none."""
    total = FunnelRow(key="all", label=str(_("Ensemble")))
    for item in groups.person:
        for stage in STAGES:
            setattr(total, stage, getattr(total, stage) + item[stage])
    breakdowns = []
    for name, label, labels in _dimensions(regions or {}):
        source = groups.person if name in PERSON_DIMENSIONS else groups.company
        found: dict = {}
        for item in source:
            key = item[name]
            row = found.setdefault(key, FunnelRow(key=str(key), label=str(labels.get(key, key))))
            for stage in STAGES:
                setattr(row, stage, getattr(row, stage) + item[stage])
        breakdowns.append(FunnelBreakdown(dimension=name, label=str(label), rows=_ordered_rows(found, labels)))
    return total, breakdowns


def _exclusion_groups(regions: dict) -> list[tuple[str, object, dict]]:
    return [
        ("gender", _("Genre"), dict(Gender.choices)),
        *([("region", _("Région"), regions)] if regions else []),
        ("diaspora", _("Diaspora"), DIASPORA_LABELS),
    ]


def criterion_exclusions(
    applications: QuerySet[Application], cohorts: Iterable[Cohort], groups: FunnelGroups
) -> list[CriterionExclusion]:
    """For each eligibility criterion of `cohorts`, the ineligible applicants who fail it (`failing`)
    and those whose only failed criterion it is (`excluded`), per gender, region group and diaspora,
    with the share of each group. The first says how strict a criterion is, the second what removing it
    alone would change; a criterion can fail many people yet exclude none alone.

    Two queries: the criteria, and the failed-criteria lists of the ineligible applications, read
    in one `values_list` and counted in Python (the JSON lists are short, and "a list of exactly one
    element" is not portable JSON querying between SQLite and PostgreSQL). The applied counts per
    cohort and group come from `groups`."""
    cohorts = list(cohorts)
    cohort_ids = [cohort.pk for cohort in cohorts]
    exclusion_groups = _exclusion_groups(region_labels(cohorts))
    criteria = list(
        EligibilityCriterion.objects.filter(cohort_id__in=cohort_ids)
        .select_related("cohort__programme")
        .order_by("cohort__programme__code", "cohort__number", "order", "pk")
    )
    if not criteria:
        return []
    applied: dict[tuple, int] = defaultdict(int)
    for item in groups.person:
        for group in PERSON_DIMENSIONS:
            applied[(item["cohort_id"], group, item[group])] += item["applied"]

    excluded: dict[tuple, int] = defaultdict(int)
    failing: dict[tuple, int] = defaultdict(int)
    rows = (
        applications.filter(SUBMITTED_FILTER, cohort_id__in=cohort_ids, status=ApplicationStatus.INELIGIBLE)
        .order_by()
        .values_list("failed_criteria", "entrepreneur__gender", diaspora_flag(), region_split())
    )
    for failed, gender, diaspora, region in rows:
        if not isinstance(failed, list):
            continue
        ids = {item.get("id") for item in failed if isinstance(item, dict)}
        keys = ((None, None), ("gender", gender), ("region", region), ("diaspora", diaspora))
        for criterion_id in ids:
            for group, key in keys:
                failing[(criterion_id, group, key)] += 1
        if len(failed) == 1 and len(ids) == 1:
            (criterion_id,) = ids
            for group, key in keys:
                excluded[(criterion_id, group, key)] += 1

    result = []
    for criterion in criteria:
        item = CriterionExclusion(
            criterion=criterion,
            excluded=excluded[(criterion.pk, None, None)],
            failing=failing[(criterion.pk, None, None)],
        )
        for group, _label, labels in exclusion_groups:
            item.groups[group] = [
                GroupExclusion(
                    key=str(key),
                    label=str(label),
                    applied=applied[(criterion.cohort_id, group, key)],
                    excluded=excluded[(criterion.pk, group, key)],
                    failing=failing[(criterion.pk, group, key)],
                )
                for key, label in labels.items()
                if key != UNKNOWN or applied[(criterion.cohort_id, group, key)]
            ]
        result.append(item)
    return result


def selection_analysis(applications: QuerySet[Application], cohorts: Iterable[Cohort]) -> SelectionAnalysis:
    """The whole analysis: the funnel by group, then the exclusions by criterion (4 queries)."""
    groups = funnel_groups(applications)
    cohorts = list(cohorts)
    total, breakdowns = selection_funnel(groups, region_labels(cohorts))
    return SelectionAnalysis(total=total, breakdowns=breakdowns, exclusions=criterion_exclusions(applications, cohorts, groups))
