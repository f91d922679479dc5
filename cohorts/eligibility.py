"""The eligibility engine: a cohort's criteria (field, operator, value) evaluated on an applicant's
profile. Pure functions, no writes: the screening service stores the outcome, the what-if preview
evaluates criteria that are not saved yet, the analysis asks which criterion alone excluded whom."""

import datetime
from collections.abc import Iterable

from django.db.models import Case, Expression, IntegerField, Q, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from partners.models import (
    TURNOVER_BAND_FLOOR_MXOF,
    Company,
    Education,
    Entrepreneur,
    Gender,
    LegalForm,
    Region,
    Sector,
    company_age_expression,
)

from .models import CriterionField, CriterionOperator, EligibilityCriterion
from .territory import is_diaspora

#: Fields compared as numbers; the others as text codes or booleans.
NUMERIC_FIELDS = {
    CriterionField.COMPANY_AGE,
    CriterionField.YEAR_FOUNDED,
    CriterionField.TURNOVER_FLOOR,
    CriterionField.TURNOVER_AMOUNT,
    CriterionField.EMPLOYEES,
}
BOOLEAN_FIELDS = {
    CriterionField.IS_FORMAL,
    CriterionField.HAS_EXPORT_EXPERIENCE,
    CriterionField.IS_DIASPORA,
    CriterionField.ENVIRONMENTAL_COMMITMENT,
}


def turnover_xof(company: Company | None) -> int:
    """The exact turnover in FCFA when it is known, else the floor of the band (0 without a company)."""
    if company is None:
        return 0
    if company.turnover_xof is not None:
        return company.turnover_xof
    return TURNOVER_BAND_FLOOR_MXOF.get(company.turnover_band, 0) * 1_000_000


def profile_of(
    *,
    entrepreneur: Entrepreneur,
    company: Company | None,
    on: datetime.date,
    origin_country: object,
    environmental_commitment: str = "",
) -> dict:
    """What criteria can test, as plain JSON-able values (also stored as the application's snapshot).
    The region is its internal code; diaspora is relative to the programme's `origin_country`."""
    return {
        "company_age": company.age_in_years(on) if company else 0,
        "year_founded": company.year_founded if company else 0,
        "turnover_xof": turnover_xof(company),
        "is_formal": bool(company and company.is_formal),
        "turnover_floor_mxof": TURNOVER_BAND_FLOOR_MXOF.get(company.turnover_band, 0) if company else 0,
        "employees": company.employees if company else 0,
        "sector": company.sector if company else "",
        "region": company.region.code if company and company.region_id else "",
        "has_export_experience": bool(company and company.has_export_experience),
        "legal_form": company.legal_form if company else "",
        "is_diaspora": is_diaspora(country_of_residence=entrepreneur.country_of_residence, origin_country=origin_country),
        "gender": entrepreneur.gender,
        "education": entrepreneur.education,
        "has_environmental_commitment": bool(environmental_commitment.strip()),
    }


def application_profile(application, on: datetime.date | None = None) -> dict:
    on = on or (application.submitted_at.date() if application.submitted_at else datetime.date.today())
    return profile_of(
        entrepreneur=application.entrepreneur,
        company=application.company,
        on=on,
        origin_country=application.cohort.programme.origin_country,
        environmental_commitment=application.environmental_commitment,
    )


def company_age_at_submission() -> Expression:
    """An application's company age at submission, in the database (for grouping by `company_age_band`):
    the `company_age` of the profile the screening stored, which is what the criteria judged, else the
    submission year minus the year founded, as `profile_of` counts it. Null without a company."""
    return Case(
        When(Q(company__isnull=True) | Q(submitted_at__isnull=True), then=Value(None)),
        default=Coalesce(
            Cast(KeyTextTransform("company_age", "profile_snapshot"), IntegerField()),
            company_age_expression(ExtractYear("submitted_at")),
        ),
        output_field=IntegerField(),
    )


def criterion_passes(criterion: EligibilityCriterion, profile: dict) -> bool:
    value = profile.get(criterion.field)
    operator = criterion.operator
    if operator == CriterionOperator.IS_TRUE:
        return bool(value)
    if operator == CriterionOperator.IS_FALSE:
        return not value
    if operator in (CriterionOperator.IN, CriterionOperator.NOT_IN):
        inside = str(value) in {item.strip() for item in criterion.value.split(",") if item.strip()}
        return inside if operator == CriterionOperator.IN else not inside
    if criterion.field in NUMERIC_FIELDS:
        value, expected = float(value or 0), float(criterion.value)
    else:
        expected = criterion.value
        value = "" if value is None else str(value)
    return {
        CriterionOperator.GTE: lambda: value >= expected,
        CriterionOperator.LTE: lambda: value <= expected,
        CriterionOperator.GT: lambda: value > expected,
        CriterionOperator.LT: lambda: value < expected,
        CriterionOperator.EQ: lambda: value == expected,
        CriterionOperator.NE: lambda: value != expected,
    }[operator]()


def failed_criteria(criteria: Iterable[EligibilityCriterion], profile: dict) -> list[dict]:
    """The criteria the profile fails, in the form stored on the application."""
    return [
        {"id": criterion.pk, "field": criterion.field, "label": criterion.label}
        for criterion in criteria
        if criterion.is_active and not criterion_passes(criterion, profile)
    ]


#: Profile fields stored as a choice's code, read through the choice's label.
CHOICE_FIELDS = {
    CriterionField.SECTOR: Sector,
    CriterionField.LEGAL_FORM: LegalForm,
    CriterionField.GENDER: Gender,
    CriterionField.EDUCATION: Education,
}


def profile_rows(profile: dict, *, country=None) -> list[tuple[str, str]]:
    """A stored profile as people read it, in the active language: each field's name and its value in
    words (a label for a code, a region's name, yes or no, a number), never its code."""
    names = dict(CriterionField.choices)
    regions = {}
    if profile.get(CriterionField.REGION):
        found = Region.objects.filter(code=profile[CriterionField.REGION])
        regions = {region.code: region for region in (found.filter(country=country) if country else found)}
    rows = []
    for field, value in profile.items():
        if field in BOOLEAN_FIELDS:
            text = _("oui") if value else _("non")
        elif value in (None, ""):
            text = "—"
        elif field in CHOICE_FIELDS:
            choices = CHOICE_FIELDS[field]
            text = str(choices(value).label) if value in choices.values else str(value)
        elif field == CriterionField.REGION:
            text = regions[value].name if value in regions else str(value)
        elif isinstance(value, int | float):
            text = number_format(value, force_grouping=True)
        else:
            text = str(value)
        rows.append((str(names.get(field, field)), text))
    return rows
