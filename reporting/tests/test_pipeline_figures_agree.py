"""One figure per fact: the pipeline board's counts per stage and its euro total of transactions are the
indicators' figures for the same cohort (both come from mobility.selectors)."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationFactory, CohortFactory
from core import figures
from mobility import services
from mobility.tests.factories import PartnershipTransactionFactory
from partners.tests.factories import BelgianCompanyFactory
from reporting.indicators import compute_indicators

pytestmark = pytest.mark.django_db


def test_the_board_shows_the_indicators_counts_and_euro_total(client):
    cohort = CohortFactory()
    staff = UserFactory(roles=[Role.STAFF])
    for n, stage in enumerate(["prospect", "discussion", "discussion", "agreement"]):
        partnership = services.partnership_create(
            application=ApplicationFactory(submitted=True, cohort=cohort),
            organisation=BelgianCompanyFactory(),
            type="export",
            started_on=datetime.date(2024, 1, 10),
        )
        for step in ["discussion", "agreement"][: ["prospect", "discussion", "agreement"].index(stage)]:
            services.partnership_stage_change(partnership=partnership, to_stage=step, on=datetime.date(2024, 2, 1))
        PartnershipTransactionFactory(
            partnership=partnership, value=1000 * (n + 1), currency="XOF", occurred_on=datetime.date(2024, 3, 1)
        )
    indicators = compute_indicators(programme=cohort.programme, cohort=cohort).partnerships
    client.force_login(staff)

    page = client.get(reverse("mobility:pipeline_board"), {"cohort": cohort.pk}).content.decode()

    for row in indicators.by_stage:
        badge = re.search(rf'id="stage-{row.key}">\s*<span>[^<]*</span><span class="badge text-bg-secondary">(\d+)</span>', page)
        assert badge and int(badge.group(1)) == row.count, row.key
    assert figures.money(indicators.transactions_eur) in page
    assert f"{indicators.transactions} transactions" in page
