"""Persistence of partnerships ([5] item 4): "alive at +12 months" is a subset of "alive at +6 months",
for partnerships and for the entrepreneurs of the funnel, so the figure can never rise from +6 to +12."""

import datetime
import io

import pytest
from django.core.management import call_command

from cohorts.models import Programme
from cohorts.tests.factories import CohortFactory, ProgrammeFactory
from reporting.indicators import FUNNEL_STAGES, compute_indicators
from reporting.tests.factories_indicators import partnership_with_history, traveller

pytestmark = pytest.mark.django_db

d = datetime.date


def test_a_partnership_that_comes_alive_after_six_months_does_not_raise_the_twelve_month_figure():
    """Back on 24/05/2023: +6 months is 23/11/2023, +12 months 23/05/2024.
    Early: agreement in August 2023, still active in 2024: alive at both.
    Late: a prospect at +6 months, agreement in February 2024: alive at +12 only, so counted at neither
    persistence figure's +12 (it never persisted from +6) but not lost either: it is a live partnership.
    Another entrepreneur's partnership is late too."""
    cohort = CohortFactory(programme=ProgrammeFactory(code="persist"))
    first, second = traveller(cohort), traveller(cohort)
    partnership_with_history(first, [("prospect", d(2023, 6, 1)), ("agreement", d(2023, 8, 1)), ("active", d(2024, 1, 1))])
    partnership_with_history(first, [("prospect", d(2023, 6, 1)), ("agreement", d(2024, 2, 1))])
    partnership_with_history(second, [("prospect", d(2023, 6, 1)), ("agreement", d(2024, 2, 1))])

    indicators = compute_indicators(programme=cohort.programme)

    partnerships = indicators.partnerships
    assert (partnerships.measurable_6m, partnerships.live_6m) == (3, 1)
    assert (partnerships.measurable_12m, partnerships.live_12m) == (3, 1)  # before: 3, more than at +6
    assert partnerships.live == 3
    assert indicators.stage("live_6m").total == 1
    assert indicators.stage("live_12m").total == 1  # before: 2 entrepreneurs at +12 against 1 at +6


def test_persistence_never_rises_on_the_demo():
    call_command("load_demo", "--allow-production", stdout=io.StringIO())

    for programme in Programme.objects.all():
        indicators = compute_indicators(programme=programme)
        assert indicators.partnerships.live_12m <= indicators.partnerships.live_6m
        assert indicators.stage("live_12m").total <= indicators.stage("live_6m").total
        for dimension, groups in indicators.stage("live_12m").by.items():
            for group, n in groups.items():
                assert n <= indicators.stage("live_6m").by[dimension][group], (dimension, group)


def test_the_funnel_says_it_counts_entrepreneurs_where_the_partnership_figures_count_partnerships():
    labels = dict(FUNNEL_STAGES)
    assert str(labels["live_6m"]).startswith("Entrepreneur·es avec un partenariat")
    assert str(labels["live_12m"]).startswith("Entrepreneur·es avec un partenariat encore vivant")
