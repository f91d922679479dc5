"""The state-at-a-date computation of persistence ([9] item 4), checked over random stage histories:
random trips (completed or not, any return date), random partnerships with random dated stage changes
(or none), a random "today". `persistence_by_cohort` must give, per cohort, what a plain-Python
reference gives: the stage on a date is the last change on or before it (of two on one day, the one
recorded last); without any change by then, the partnership's current stage if it was reached by then."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohorts.tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory
from mobility.models import LIVE_STAGES, Partnership, PartnershipStage, PartnershipStageChange, Trip
from partners.tests.factories import BelgianCompanyFactory
from reporting.persistence import MONTHS_6, MONTHS_12, persistence_by_cohort

pytestmark = pytest.mark.django_db

START = datetime.date(2023, 1, 1)
STAGES = list(PartnershipStage.values)

days = st.integers(min_value=0, max_value=3 * 365)
#: Returns often fall on a few days, and changes and "today" often on the day before, of or after the
#: +6/+12 months of one of them: the edges where "on or before" matters.
RETURNS = (0, 30)
EDGES = sorted({r + delay.days + shift for r in RETURNS for delay in (MONTHS_6, MONTHS_12) for shift in (-1, 0, 1)})
returns = st.one_of(st.sampled_from(RETURNS), days)
dates = st.one_of(st.sampled_from(EDGES), days)
trip = st.fixed_dictionaries({"returns": returns, "status": st.sampled_from(["completed", "planned", "cancelled"])})
change = st.tuples(dates, st.sampled_from(STAGES))
partnership = st.fixed_dictionaries(
    {
        "changes": st.lists(change, max_size=5),
        # used when there is no change at all: the partnership's stage and since when
        "stage": st.sampled_from(STAGES),
        "since": dates,
    }
)
application = st.fixed_dictionaries(
    {
        "cohort": st.integers(min_value=0, max_value=1),
        "trips": st.lists(trip, max_size=3),
        "partnerships": st.lists(partnership, max_size=3),
    }
)
world = st.fixed_dictionaries({"applications": st.lists(application, max_size=4), "today": dates})


def day(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


# --------------------------------------------------------------------------------------------------
# The reference: plain Python over the generated description, no database
# --------------------------------------------------------------------------------------------------


def reference_stage_at(p: dict, on: datetime.date) -> str:
    """The last change on or before `on`, in (date, order recorded) order; else the current stage if
    it was reached by then."""
    known = [(day(d), i, stage) for i, (d, stage) in enumerate(p["changes"]) if day(d) <= on]
    if known:
        return max(known)[2]
    current, since = current_stage(p)
    return current if since <= on else ""


def current_stage(p: dict) -> tuple[str, datetime.date]:
    """The stage a partnership row holds: its last change's, or the generated one without history."""
    if p["changes"]:
        last = max((day(d), i, stage) for i, (d, stage) in enumerate(p["changes"]))
        return last[2], last[0]
    return p["stage"], day(p["since"])


def reference(description: dict) -> dict[int, tuple[int, int, int, int, int]]:
    """Per cohort index: (followed, due at +6, alive at +6, due at +12, still alive at +12)."""
    today = day(description["today"])
    result = {0: [0, 0, 0, 0, 0], 1: [0, 0, 0, 0, 0]}
    for a in description["applications"]:
        returns = [day(t["returns"]) for t in a["trips"] if t["status"] == "completed"]
        for p in a["partnerships"]:
            if not returns:
                continue
            back = min(returns)
            counts = result[a["cohort"]]
            counts[0] += 1
            live_6 = reference_stage_at(p, back + MONTHS_6) in LIVE_STAGES
            live_12 = reference_stage_at(p, back + MONTHS_12) in LIVE_STAGES
            if back + MONTHS_6 <= today:
                counts[1] += 1
                counts[2] += live_6
            if back + MONTHS_12 <= today:
                counts[3] += 1
                counts[4] += live_6 and live_12
    return {k: tuple(v) for k, v in result.items()}


# --------------------------------------------------------------------------------------------------
# The rows
# --------------------------------------------------------------------------------------------------


def create(description: dict, programme, cohorts) -> None:
    for a in description["applications"]:
        application = ApplicationFactory(cohort=cohorts[a["cohort"]], submitted=True, status="selected")
        Trip.objects.bulk_create(
            Trip(application=application, status=t["status"], returns_on=day(t["returns"]),
                 departs_on=day(t["returns"]) - datetime.timedelta(days=7))
            for t in a["trips"]
        )  # fmt: skip
        for p in a["partnerships"]:
            stage, since = current_stage(p)
            started = min([day(d) for d, _stage in p["changes"]] + [since])
            row = Partnership.objects.create(
                application=application,
                organisation=BelgianCompanyFactory(),
                type="export",
                stage=stage,
                stage_changed_on=since,
                started_on=started,
            )
            previous = ""
            for d, to_stage in p["changes"]:  # recorded in the generated order: pk order breaks same-day ties
                PartnershipStageChange.objects.create(
                    partnership=row, from_stage=previous if previous != to_stage else "", to_stage=to_stage, changed_on=day(d)
                )
                previous = to_stage


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(description=world)
def test_persistence_per_cohort_matches_the_reference_over_random_histories(db, description):
    with transaction.atomic():
        programme = ProgrammeFactory()
        cohorts = [CohortFactory(programme=programme, number=1), CohortFactory(programme=programme, number=2)]
        create(description, programme, cohorts)

        figures = persistence_by_cohort(programme, today=day(description["today"]))

        expected = reference(description)
        for index, row in enumerate(figures.cohorts):
            assert (row.followed, row.due_6m, row.alive_6m, row.due_12m, row.alive_12m) == expected[index], index
        total = tuple(map(sum, zip(*expected.values(), strict=True)))
        assert (figures.total.followed, figures.total.due_6m, figures.total.alive_6m,
                figures.total.due_12m, figures.total.alive_12m) == total  # fmt: skip
        assert figures.total.alive_12m <= figures.total.alive_6m
        transaction.set_rollback(True)
