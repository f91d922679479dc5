import datetime

import pytest
from django.core.exceptions import ValidationError

from cohorts.tests.factories import ApplicationFactory
from mobility.models import PartnershipStage, PartnershipType
from mobility.services import partnership_create, partnership_stage_change
from partners.tests.factories import BelgianCompanyFactory

pytestmark = pytest.mark.django_db


def _partnership(started_on=datetime.date(2023, 5, 20)):
    return partnership_create(
        application=ApplicationFactory(submitted=True),
        organisation=BelgianCompanyFactory(),
        type=PartnershipType.EXPORT,
        started_on=started_on,
    )


def test_a_new_partnership_starts_as_a_prospect_with_its_first_stage_dated():
    partnership = _partnership()

    assert partnership.stage == PartnershipStage.PROSPECT
    assert list(partnership.stage_changes.values_list("from_stage", "to_stage", "changed_on")) == [
        ("", "prospect", datetime.date(2023, 5, 20))
    ]


def test_stage_changes_are_dated_in_order_so_time_in_each_stage_can_be_measured():
    partnership = _partnership()
    partnership_stage_change(partnership=partnership, to_stage=PartnershipStage.DISCUSSION, on=datetime.date(2023, 6, 1))
    partnership_stage_change(partnership=partnership, to_stage=PartnershipStage.AGREEMENT, on=datetime.date(2023, 9, 15))

    partnership.refresh_from_db()
    assert partnership.stage == PartnershipStage.AGREEMENT
    assert partnership.stage_changed_on == datetime.date(2023, 9, 15)
    assert [c.to_stage for c in partnership.stage_changes.all()] == ["prospect", "discussion", "agreement"]


def test_it_refuses_a_stage_change_dated_before_the_previous_one():
    partnership = _partnership()
    partnership_stage_change(partnership=partnership, to_stage=PartnershipStage.DISCUSSION, on=datetime.date(2023, 6, 1))

    with pytest.raises(ValidationError) as error:
        partnership_stage_change(partnership=partnership, to_stage=PartnershipStage.ACTIVE, on=datetime.date(2023, 5, 1))

    assert error.value.code == "date_before_previous"
    partnership.refresh_from_db()
    assert partnership.stage == PartnershipStage.DISCUSSION


def test_it_refuses_staying_on_the_same_stage():
    partnership = _partnership()
    with pytest.raises(ValidationError):
        partnership_stage_change(partnership=partnership, to_stage=PartnershipStage.PROSPECT)
