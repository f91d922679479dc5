"""Criteria on the founding year ("founded in year X or before") and on the exact turnover."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.eligibility import application_profile, criterion_passes
from cohorts.models import EligibilityCriterion
from cohorts.services.screening import criterion_value_clean
from cohorts.tests.factories import CohortFactory, EligibilityCriterionFactory
from cohorts.tests.factories_screening import applicant, criteria_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return CohortFactory()


def _passes(criterion, application) -> bool:
    return criterion_passes(criterion, application_profile(application))


def test_founded_in_a_year_or_before_does_not_drift_with_the_submission_year(cohort):
    criterion = EligibilityCriterionFactory(cohort=cohort, field="year_founded", operator="lte", value="2022")
    this_year = datetime.date.today().year
    early = applicant(cohort, company_age=this_year - 2022)
    late = applicant(cohort, company_age=this_year - 2023)

    assert _passes(criterion, early) and not _passes(criterion, late)
    # Submitted years later, the same company still passes: the company age would have changed meanwhile.
    early.submitted_at = early.submitted_at.replace(year=2030)
    assert _passes(criterion, early)
    assert application_profile(early, on=datetime.date(2030, 1, 1))["company_age"] == 8


def test_the_exact_turnover_is_compared_when_known_else_the_floor_of_the_band(cohort):
    criterion = EligibilityCriterionFactory(cohort=cohort, field="turnover_xof", operator="gte", value="20000000")
    exact_above = applicant(cohort, turnover_band="10-50m", turnover_xof=25_000_000)
    exact_below = applicant(cohort, turnover_band="10-50m", turnover_xof=15_000_000)
    band_only = applicant(cohort, turnover_band="50-100m")

    assert _passes(criterion, exact_above)
    assert not _passes(criterion, exact_below)  # the band alone (floor 10 M) could not tell
    assert _passes(criterion, band_only)  # floor 50 M


@pytest.mark.parametrize("value", ["20222", "1850", "2022,5", "deux mille"])
def test_a_founding_year_that_is_no_year_is_refused(value):
    with pytest.raises(ValidationError) as error:
        criterion_value_clean(field="year_founded", operator="lte", value=value)
    assert "value" in error.value.message_dict


def test_an_amount_typed_with_spaces_is_accepted():
    assert criterion_value_clean(field="turnover_xof", operator="gte", value="20 000 000") == "20000000"


def test_staff_save_both_new_criteria_with_labels_in_both_languages(client, cohort):
    client.force_login(UserFactory(roles=["staff"]))
    rows = [
        {"field": "year_founded", "operator": "lte", "value": "2022", "label": "Créée en 2022 ou avant",
         "label_en": "Founded in 2022 or before"},
        {"field": "turnover_xof", "operator": "gte", "value": "5 000 000", "label": "CA d'au moins 5 M FCFA"},
    ]  # fmt: skip

    response = client.post(reverse("cohorts:criteria_edit", kwargs={"pk": cohort.pk}), criteria_post(rows))

    assert response.status_code == 302
    saved = {criterion.field: criterion for criterion in EligibilityCriterion.objects.filter(cohort=cohort)}
    assert saved["year_founded"].value == "2022" and saved["year_founded"].label_en == "Founded in 2022 or before"
    assert saved["turnover_xof"].value == "5000000"
    page = client.get(reverse("cohorts:criteria_edit", kwargs={"pk": cohort.pk}), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Année de création de l&#x27;entreprise" in page.content.decode()
