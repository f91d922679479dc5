"""Values entered by hand with their evidence, and snapshots frozen per period (idempotent)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from cohorts.tests.factories import CohortFactory, ProgrammeFactory
from reporting.models import IndicatorValue
from reporting.services.indicators import indicator_snapshot_freeze, indicator_value_record
from reporting.tests.factories import IndicatorFactory
from reporting.tests.factories_indicators import CalculatedIndicatorFactory, applicant, traveller

pytestmark = pytest.mark.django_db

PERIOD = datetime.date(2024, 6, 30)


@pytest.fixture
def cohort():
    return CohortFactory(programme=ProgrammeFactory(code="snapshots"))


def test_freezing_writes_each_calculator_indicator_and_its_declared_disaggregations(cohort):
    """Applications: two women, one man (Dakar); travelled: one woman."""
    staff = UserFactory(roles=["staff"])
    applications = CalculatedIndicatorFactory(
        programme=cohort.programme, calculator="funnel.applications", disaggregations=["gender"]
    )
    travelled = CalculatedIndicatorFactory(programme=cohort.programme, calculator="funnel.travelled", disaggregations=[])
    manual = IndicatorFactory(programme=cohort.programme)
    applicant(cohort, gender="woman")
    applicant(cohort, gender="man")
    traveller(cohort, gender="woman")

    written = indicator_snapshot_freeze(programme=cohort.programme, period_end=PERIOD, by=staff)

    rows = {(v.indicator_id, v.dimension, v.group): v.value for v in IndicatorValue.objects.filter(is_snapshot=True)}
    assert rows == {
        (applications.pk, "", ""): Decimal("3"),
        (applications.pk, "gender", "woman"): Decimal("2"),
        (applications.pk, "gender", "man"): Decimal("1"),
        (travelled.pk, "", ""): Decimal("1"),
    }
    assert written == 4
    assert not IndicatorValue.objects.filter(indicator=manual).exists()
    assert IndicatorValue.objects.filter(recorded_by=staff, period_end=PERIOD, cohort=None).count() == 4


def test_freezing_the_same_period_again_updates_the_rows_in_place(cohort):
    indicator = CalculatedIndicatorFactory(
        programme=cohort.programme, calculator="funnel.applications", disaggregations=["gender"]
    )
    applicant(cohort, gender="woman")
    indicator_snapshot_freeze(programme=cohort.programme, period_end=PERIOD, by=None)
    first_ids = set(IndicatorValue.objects.values_list("pk", flat=True))
    applicant(cohort, gender="woman")

    indicator_snapshot_freeze(programme=cohort.programme, period_end=PERIOD, by=None)

    assert set(IndicatorValue.objects.values_list("pk", flat=True)) == first_ids
    assert IndicatorValue.objects.get(indicator=indicator, dimension="").value == 2
    assert IndicatorValue.objects.get(indicator=indicator, dimension="gender", group="woman").value == 2


def test_a_group_gone_since_the_last_freeze_is_removed_and_another_period_is_kept(cohort):
    indicator = CalculatedIndicatorFactory(
        programme=cohort.programme, calculator="funnel.applications", disaggregations=["gender"]
    )
    man = applicant(cohort, gender="man")
    applicant(cohort, gender="woman")
    indicator_snapshot_freeze(programme=cohort.programme, period_end=PERIOD, by=None)
    indicator_snapshot_freeze(programme=cohort.programme, period_end=datetime.date(2023, 12, 31), by=None)
    man.delete()

    indicator_snapshot_freeze(programme=cohort.programme, period_end=PERIOD, by=None)

    assert set(IndicatorValue.objects.filter(period_end=PERIOD).values_list("group", flat=True)) == {"", "woman"}
    assert IndicatorValue.objects.filter(indicator=indicator, period_end=datetime.date(2023, 12, 31)).count() == 3


def test_a_cohort_snapshot_is_kept_apart_from_the_programme_one(cohort):
    CalculatedIndicatorFactory(programme=cohort.programme, calculator="funnel.applications", disaggregations=[])
    applicant(cohort)
    applicant(CohortFactory(programme=cohort.programme))

    indicator_snapshot_freeze(programme=cohort.programme, period_end=PERIOD, by=None)
    indicator_snapshot_freeze(programme=cohort.programme, cohort=cohort, period_end=PERIOD, by=None)

    assert IndicatorValue.objects.get(cohort=None).value == 2
    assert IndicatorValue.objects.get(cohort=cohort).value == 1


def test_a_period_in_the_future_cannot_be_frozen(cohort):
    with pytest.raises(ValidationError):
        indicator_snapshot_freeze(programme=cohort.programme, period_end=datetime.date(2999, 1, 1), by=None)


def test_a_manual_value_entered_twice_for_the_same_period_is_one_row():
    indicator = IndicatorFactory()
    staff = UserFactory(roles=["staff"])

    indicator_value_record(indicator=indicator, period_end=PERIOD, value=Decimal("12"), evidence="Enquête 2024", by=staff)
    row = indicator_value_record(
        indicator=indicator, period_end=PERIOD, value=Decimal("14"), evidence="Enquête corrigée", by=staff
    )

    assert IndicatorValue.objects.get() == row
    assert (row.value, row.evidence, row.is_snapshot, row.recorded_by) == (Decimal("14"), "Enquête corrigée", False, staff)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"evidence": "  "}, "evidence"),
        ({"dimension": "gender"}, "group"),
    ],
)
def test_a_manual_value_needs_evidence_and_a_named_group(changes, code):
    arguments = {"indicator": IndicatorFactory(), "period_end": PERIOD, "value": Decimal("1"), "evidence": "Rapport", "by": None}
    with pytest.raises(ValidationError) as error:
        indicator_value_record(**{**arguments, **changes})
    assert code in error.value.message_dict


def test_a_computed_indicator_takes_no_manual_value():
    with pytest.raises(ValidationError):
        indicator_value_record(
            indicator=CalculatedIndicatorFactory(), period_end=PERIOD, value=Decimal("1"), evidence="x", by=None
        )
