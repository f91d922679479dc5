"""'Target met' in the indicator's direction ([5] item 4): a 9.4 % refusal rate against a 10 % maximum is
met, not "94 % of the target"; a count below its minimum is not met."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ProgrammeFactory
from reporting.iati import iati_activity_xml
from reporting.models import Indicator, IndicatorDirection, IndicatorValue
from reporting.tests.factories import IndicatorFactory, IndicatorTargetFactory, ResultObjectiveFactory

pytestmark = pytest.mark.django_db


def test_a_rate_under_its_maximum_meets_the_target_and_has_no_percentage_of_it():
    refusals = Indicator(direction=IndicatorDirection.LOWER_IS_BETTER)
    assert refusals.target_met(Decimal("9.4"), Decimal("10")) is True
    assert refusals.target_met(Decimal("10.5"), Decimal("10")) is False
    assert refusals.progress(Decimal("9.4"), Decimal("10")) is None

    companies = Indicator(direction=IndicatorDirection.HIGHER_IS_BETTER)
    assert companies.target_met(Decimal("130"), Decimal("150")) is False
    assert companies.target_met(Decimal("150"), Decimal("150")) is True
    assert companies.progress(Decimal("130"), Decimal("150")) == Decimal("87")
    assert companies.target_met(None, Decimal("150")) is None


@pytest.fixture
def programme():
    programme = ProgrammeFactory(code="sens")
    objective = ResultObjectiveFactory(programme=programme, code="R1")
    refusals = IndicatorFactory(
        programme=programme,
        objective=objective,
        code="I7",
        name="Taux de refus de visa",
        unit="%",
        direction=IndicatorDirection.LOWER_IS_BETTER,
    )
    IndicatorTargetFactory(indicator=refusals, value=Decimal("10"))
    IndicatorValue.objects.create(indicator=refusals, period_end="2024-09-30", value=Decimal("9.4"))
    companies = IndicatorFactory(
        programme=programme, objective=objective, code="I4", name="Entreprises rencontrées", unit="nombre"
    )
    IndicatorTargetFactory(indicator=companies, value=Decimal("150"))
    IndicatorValue.objects.create(indicator=companies, period_end="2024-09-30", value=Decimal("130"))
    return programme


@pytest.mark.parametrize(
    ("language", "met", "not_met", "maximum"),
    [("fr", "Cible atteinte", "Cible non atteinte", "≤ 10,0\u00a0%"), ("en", "Target met", "Target not met", "≤ 10.0%")],
)
def test_the_indicators_page_says_met_in_the_indicators_direction(client, programme, language, met, not_met, maximum):
    client.force_login(UserFactory(roles=["staff"]))
    client.cookies["django_language"] = language
    response = client.get(reverse("reporting:indicators"), {"programme": programme.pk})
    html = response.content.decode()

    rows = {item.indicator.code: item for block in response.context["framework"] for item in block.indicators}
    assert rows["I7"].target_met is True and rows["I7"].progress is None
    assert rows["I4"].target_met is False and rows["I4"].progress == Decimal("87")
    assert met in html and not_met in html and maximum in html
    assert "94\u00a0%" not in html and "94%" not in html  # no "94 % de la cible"
    assert "10,00" not in html and "150,00" not in html  # targets written as figures, not raw decimals


def test_iati_marks_an_indicator_to_reduce_as_descending(programme):
    xml = iati_activity_xml(programme=programme)
    xml = xml.decode() if isinstance(xml, bytes) else xml
    assert 'ascending="0"' in xml and 'ascending="1"' in xml
