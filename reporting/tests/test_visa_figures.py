"""One figure per fact: the indicators' refusal rate and median days to a visa decision are the staff
visa board's (mobility.selectors_visa.visa_decisions)."""

import datetime

import pytest
from django.utils import timezone

from cohorts.tests.factories import ApplicationFactory
from mobility.models import VisaFile
from mobility.selectors_visa import visa_decisions
from mobility.tests.factories import VisaFileFactory
from reporting.indicators import compute_indicators

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def test_the_indicators_and_the_visa_board_give_the_same_refusal_rate_and_median():
    application = ApplicationFactory(submitted=True)
    cohort = application.cohort
    for status, days in [("granted", 10), ("granted", 20), ("refused", 31)]:
        VisaFileFactory(
            application=ApplicationFactory(cohort=cohort, submitted=True),
            status=status,
            submitted_on=days_ago(60),
            decision_on=days_ago(60 - days),
            refusal_reason="means" if status == "refused" else "",
        )
    VisaFileFactory(
        application=application,
        status="appeal",
        submitted_on=days_ago(60),
        decision_on=days_ago(40),
        appeal_on=days_ago(30),
        refusal_reason="means",
    )

    board = visa_decisions(VisaFile.objects.filter(application__cohort=cohort))[None]
    indicators = compute_indicators(programme=cohort.programme, cohort=cohort).visa

    assert (board.granted, board.refused, str(board.refusal_rate), str(board.median_days)) == (2, 1, "33.3", "20.0")
    assert (indicators.granted, indicators.refused, indicators.refusal_rate, indicators.median_days) == (
        board.granted,
        board.refused,
        board.refusal_rate,
        board.median_days,
    )
    assert indicators.pending == 1  # the appeal waits for its second decision
