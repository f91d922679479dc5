"""Indicators split by the programme's own watched region group and diaspora of its own country: PEM
N'Zassa (Côte d'Ivoire) is not measured against Senegal's Dakar–Thiès axis; a programme watching no
group has no region disaggregation."""

import pytest

from cohorts.models import ApplicationStatus
from cohorts.tests.factories import CohortFactory, ProgrammeFactory
from cohorts.tests.factories_review import application_at
from partners.models import RegionGroup
from partners.tests.factories import CompanyFactory, EntrepreneurFactory, region
from reporting.indicators import compute_indicators
from reporting.selectors_indicators import indicator_tables

pytestmark = pytest.mark.django_db


def ivorian(cohort, *, district: str, residence: str = "CI"):
    company = CompanyFactory(region=district, country="CI")
    entrepreneur = EntrepreneurFactory(country_of_residence=residence, company=company)
    return application_at(ApplicationStatus.SELECTED, cohort=cohort, entrepreneur=entrepreneur)


def test_an_ivorian_programme_is_split_by_its_own_group_and_diaspora():
    group = RegionGroup.objects.create(country="CI", name_fr="Abidjan–Yamoussoukro", name_en="Abidjan–Yamoussoukro")
    group.regions.set([region("abidjan"), region("yamoussoukro")])
    programme = ProgrammeFactory(origin_country="CI", watched_region_group=group)
    cohort = CohortFactory(programme=programme)
    ivorian(cohort, district="abidjan", residence="FR")
    ivorian(cohort, district="yamoussoukro")
    ivorian(cohort, district="vallee-du-bandama")
    ivorian(cohort, district="savanes", residence="BE")

    indicators = compute_indicators(programme=programme)

    applications = indicators.stage("applications")
    assert dict(applications.by["region"]) == {"axis": 2, "elsewhere": 2}
    assert dict(applications.by["diaspora"]) == {"yes": 2, "no": 2}
    assert indicators.group_label("region", "axis") == "Abidjan–Yamoussoukro"
    labels = {str(row[1]) for row in indicator_tables(indicators)["funnel"].rows}
    assert "Abidjan–Yamoussoukro" in labels and not any("Dakar" in label for label in labels)


def test_a_programme_without_a_watched_group_has_no_region_disaggregation():
    programme = ProgrammeFactory(origin_country="SN", watched_region_group=None)
    cohort = CohortFactory(programme=programme)
    application_at(
        ApplicationStatus.SELECTED, cohort=cohort, entrepreneur=EntrepreneurFactory(company=CompanyFactory(region="dakar"))
    )

    indicators = compute_indicators(programme=programme)

    assert "region" not in indicators.dimensions()
    assert indicators.stage("applications").total == 1
    assert not any("Axe" in str(row[1]) for row in indicator_tables(indicators)["funnel"].rows)
