"""The staff's selection analysis, the screening preview and the indicators put the same company in the
same age band: they all read `partners.models.company_age_band` over the age at submission."""

import datetime

import pytest

from cohorts.eligibility import application_profile
from cohorts.models import Application
from cohorts.selectors_screening import criteria_what_if
from cohorts.selectors_staff import funnel_groups
from cohorts.tests.factories import CohortFactory
from cohorts.tests.factories_screening import applicant
from partners.models import CompanyAgeBand, company_age_band
from reporting.indicators import compute_indicators

pytestmark = pytest.mark.django_db


def bands_seen(cohort) -> dict[str, str]:
    """The band each reading gives the cohort's only applicant."""
    (staff_row,) = funnel_groups(Application.objects.filter(cohort=cohort)).company
    age_dimension = next(d for d in criteria_what_if(cohort=cohort, criteria=[])["dimensions"] if d["key"] == "company_age")
    (preview_band,) = [group["key"] for group in age_dimension["groups"] if group["total"] == 1]
    by_band = compute_indicators(programme=cohort.programme, cohort=cohort).stage("applications").by["company_age"]
    (indicator_band,) = [band for band, count in by_band.items() if count == 1]
    return {"staff": staff_row["age_band"], "preview": preview_band, "indicators": indicator_band}


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, CompanyAgeBand.UNDER_2),
        (1, CompanyAgeBand.UNDER_2),
        (2, CompanyAgeBand.FROM_2_TO_5),
        (5, CompanyAgeBand.FROM_2_TO_5),
        (6, CompanyAgeBand.OVER_5),
    ],
)
def test_the_three_readings_agree_on_a_company(age, band):
    cohort = CohortFactory()
    application = applicant(cohort, company_age=age)

    assert company_age_band(application.company.age_in_years(application.submitted_at.date())) == band
    assert bands_seen(cohort) == {"staff": band, "preview": band, "indicators": band}


def test_they_agree_on_the_age_the_screening_judged_when_the_company_changed_since():
    cohort = CohortFactory()
    application = applicant(cohort, company_age=1)
    application.profile_snapshot = application_profile(application)  # what the screening stored: 1 year
    application.save(update_fields=["profile_snapshot"])
    application.company.year_founded = datetime.date.today().year - 9  # corrected later: 9 years
    application.company.save(update_fields=["year_founded"])

    assert bands_seen(cohort) == {"staff": "lt2", "preview": "lt2", "indicators": "lt2"}
