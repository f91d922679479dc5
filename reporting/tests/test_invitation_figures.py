"""The invitation response figures of the indicators are those of the staff invitations page: one
function (mobility.selectors_invitations.invitation_response_stats) computes both."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mobility.models import Invitation
from mobility.selectors_invitations import invitation_response_stats
from mobility.tests.invitations_setup import sent_invitation, setting
from reporting.indicators import compute_indicators

pytestmark = pytest.mark.django_db


def test_the_indicator_equals_the_invitations_page_figure_for_the_cohort():
    s = setting()
    other = setting(application=s.plan.application)
    first, second = sent_invitation(s), sent_invitation(other)
    now = timezone.now()
    Invitation.objects.filter(pk=first.pk).update(status="accepted", sent_at=now - datetime.timedelta(days=3), answered_at=now)
    cohort = s.plan.application.cohort
    indicator = compute_indicators(programme=cohort.programme, cohort=cohort).mobility
    page = invitation_response_stats(Invitation.objects.all(), by="cohort")
    assert [row.key for row in page] == [cohort.pk]
    assert (indicator.invitations_sent, indicator.invitations_answered, indicator.invitations_accepted) == (2, 1, 1)
    assert indicator.invitation_response_rate == page[0].response_rate == Decimal("50.0")
    assert indicator.invitation_median_days == page[0].median_days == Decimal("3.0")
    assert second.status == "sent"
