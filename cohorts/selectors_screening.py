"""Reads of the screening area: the cohorts whose criteria staff configure, and the what-if preview that
tells who would pass criteria not saved yet, compared with the saved ones, group by group.

The evaluation found that strict criteria pushed out women, young companies and regions outside the
Dakar–Thiès axis (a programme's watched region group): the preview shows such an effect before the criteria are saved, not after the call."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import CompanyAgeBand, Gender, company_age_band

from .eligibility import application_profile, failed_criteria
from .models import (
    Application,
    ApplicationStatus,
    Cohort,
    CriterionField,
    EligibilityCriterion,
    submitted_condition,
)
from .selectors import SUBMITTED_STATUSES
from .territory import AXIS, ELSEWHERE, in_watched_group, region_split_labels


def _dimensions(cohort: Cohort) -> list[tuple[str, object, list[tuple[str, object]]]]:
    """The groups the preview compares, in display order: (dimension, label, [(group key, group label)]).
    The territory is split only for a programme that watches a region group (named after it)."""
    dimensions = [("gender", _("Genre"), [(code, label) for code, label in Gender.choices])]
    regions = region_split_labels(cohort.programme.watched_region_group)
    if regions:
        dimensions.append(("region", _("Territoire"), [(AXIS, regions[AXIS]), (ELSEWHERE, regions[ELSEWHERE])]))
    dimensions += [
        ("diaspora", _("Diaspora"), [("yes", _("Membre de la diaspora")), ("no", _("Hors diaspora"))]),
        ("company_age", _("Âge de l'entreprise"), CompanyAgeBand.choices),
    ]
    return dimensions


def _count_per_cohort(rows: QuerySet) -> dict[int, int]:
    """The number of `rows` (of a model with a `cohort` key) per cohort id: one grouped query."""
    return dict(rows.order_by().values("cohort").annotate(n=Count("pk")).values_list("cohort", "n"))


def cohorts_for_screening() -> list[Cohort]:
    """Every cohort with its programme, its number of active criteria and of submitted applications:
    three queries, the counts grouped by cohort in one pass each (a join of every criterion with every
    application, then DISTINCT, took 400 ms at 10,000 applications; a subquery per cohort rescanned the
    applications for each cohort)."""
    criteria = _count_per_cohort(EligibilityCriterion.objects.filter(is_active=True))
    submitted = _count_per_cohort(Application.objects.filter(submitted_condition()))
    cohorts = list(Cohort.objects.select_related("programme").order_by("-programme__starts_on", "programme__name", "number"))
    for cohort in cohorts:
        cohort.active_criteria_count = criteria.get(cohort.pk, 0)
        cohort.submitted_count = submitted.get(cohort.pk, 0)
    return cohorts


def cohort_screening_status(*, cohort: Cohort) -> dict[str, int]:
    """How many of the cohort's applications wait for screening, passed or failed it: one query."""
    screening = [ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE]
    return cohort.applications.aggregate(
        submitted=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
        eligible=Count("pk", filter=Q(status=ApplicationStatus.ELIGIBLE)),
        ineligible=Count("pk", filter=Q(status=ApplicationStatus.INELIGIBLE)),
        later=Count("pk", filter=Q(status__in=SUBMITTED_STATUSES) & ~Q(status__in=screening)),
    )


def _groups_of(profile: dict, in_group: bool) -> dict[str, str]:
    """The group of each dimension an applicant belongs to. An applicant without a company counts as
    outside the watched region group and with a company of age 0, as the engine itself sees them."""
    return {
        "gender": profile.get("gender") or "",
        "region": AXIS if in_group else ELSEWHERE,
        "diaspora": "yes" if profile.get("is_diaspora") else "no",
        "company_age": company_age_band(float(profile.get("company_age") or 0)),
    }


def _rate(passing: int, total: int) -> float | None:
    return round(100 * passing / total, 1) if total else None


def criteria_what_if(*, cohort: Cohort, criteria: list[EligibilityCriterion]) -> dict:
    """Who among the cohort's current applicants (submitted, not draft nor withdrawn) would pass
    `criteria` (unsaved; inactive ones are ignored, as the engine does) compared with the saved criteria.

    Two queries (saved criteria, applicants with entrepreneur and company); the evaluation runs in Python.
    Pass rates are percentages rounded to one decimal, None for an empty group; `drop` is the fall of the
    pass rate in points (negative when it rises). A group is highlighted when its rate falls more than
    the rate of all applicants: the criteria then exclude it more than the others."""
    saved_criteria = list(cohort.criteria.filter(is_active=True))
    applications = (
        Application.objects.filter(cohort=cohort, status__in=SUBMITTED_STATUSES)
        .select_related("entrepreneur", "company__region", "cohort__programme")
        .annotate(in_watched_group=in_watched_group())
        .order_by("pk")
    )
    tally: dict[tuple[str, str], list[int]] = {}
    totals = [0, 0, 0]  # applicants, passing the saved criteria, passing the proposed ones
    for application in applications:
        snapshot = application.profile_snapshot or {}
        profile = snapshot if _is_complete(snapshot) else {**application_profile(application), **snapshot}
        passes_saved = not failed_criteria(saved_criteria, profile)
        passes_proposed = not failed_criteria(criteria, profile)
        for entry in (
            totals,
            *(tally.setdefault(group, [0, 0, 0]) for group in _groups_of(profile, application.in_watched_group).items()),
        ):
            entry[0] += 1
            entry[1] += passes_saved
            entry[2] += passes_proposed

    overall = _figures(*totals)
    dimensions = []
    for dimension, dimension_label, groups in _dimensions(cohort):
        rows = []
        for key, label in groups:
            figures = _figures(*tally.get((dimension, key), [0, 0, 0]))
            rows.append({"dimension": dimension, "key": key, "label": label, **figures})
        for row in rows:
            row["highlight"] = (
                row["drop"] is not None and row["drop"] > 0 and (overall["drop"] is None or row["drop"] > overall["drop"])
            )
        dimensions.append({"key": dimension, "label": dimension_label, "groups": rows})
    most_affected = sorted(
        (row for dimension in dimensions for row in dimension["groups"] if row["highlight"]),
        key=lambda row: -row["drop"],
    )[:3]
    return {**overall, "dimensions": dimensions, "most_affected": most_affected}


def _is_complete(snapshot: dict) -> bool:
    """Whether a stored snapshot has every key criteria can test (an older one is completed)."""
    return bool(snapshot) and all(key in snapshot for key in CriterionField.values)


def _figures(total: int, saved_passing: int, proposed_passing: int) -> dict:
    saved_rate, proposed_rate = _rate(saved_passing, total), _rate(proposed_passing, total)
    return {
        "total": total,
        "saved_passing": saved_passing,
        "proposed_passing": proposed_passing,
        "saved_rate": saved_rate,
        "proposed_rate": proposed_rate,
        "drop": None if saved_rate is None else round(saved_rate - proposed_rate, 1),
        "change": None if saved_rate is None else round(proposed_rate - saved_rate, 1),
    }
