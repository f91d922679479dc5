"""Company age and its bands: one definition, the same in Python and in the database."""

import datetime

import pytest
from django.db.models import F, IntegerField, Value

from partners.models import (
    Company,
    CompanyAgeBand,
    company_age,
    company_age_band,
    company_age_band_expression,
    company_age_expression,
)
from partners.tests.factories import CompanyFactory


@pytest.mark.django_db  # the factory looks up the default region
def test_the_age_counts_calendar_years():
    assert company_age(2020, datetime.date(2023, 1, 1)) == 3
    assert company_age(2020, datetime.date(2023, 12, 31)) == 3
    assert CompanyFactory.build(year_founded=2020).age_in_years(datetime.date(2023, 6, 1)) == 3


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, CompanyAgeBand.UNDER_2),
        (1, CompanyAgeBand.UNDER_2),
        (1.5, CompanyAgeBand.UNDER_2),
        (2, CompanyAgeBand.FROM_2_TO_5),
        (5, CompanyAgeBand.FROM_2_TO_5),
        (5.5, CompanyAgeBand.OVER_5),
        (6, CompanyAgeBand.OVER_5),
        (40, CompanyAgeBand.OVER_5),
        (None, None),
    ],
)
def test_each_age_falls_in_one_band(age, band):
    assert company_age_band(age) == band


@pytest.mark.django_db
def test_the_database_counts_and_bands_ages_as_python_does():
    for year in range(2008, 2025):
        CompanyFactory(year_founded=year)
    on = datetime.date(2024, 6, 1)
    rows = Company.objects.annotate(
        age=company_age_expression(Value(on.year, output_field=IntegerField()), year_founded="year_founded")
    ).annotate(band=company_age_band_expression(F("age"), unknown="unknown"))

    seen = {(company.age, company.band) for company in rows}

    assert seen == {(company_age(year, on), company_age_band(company_age(year, on))) for year in range(2008, 2025)}
    assert {band for _age, band in seen} == set(CompanyAgeBand.values)
