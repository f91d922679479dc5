"""The funnel and its disaggregations, on a small data set counted by hand, and the bounded number of
queries of `compute_indicators` whatever the amount of data."""

import datetime

import pytest
from django.utils import timezone

from coaching.tests.factories import EventAttendanceFactory, GroupEventFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import CohortFactory, ProgrammeFactory
from mobility.tests.factories import VisaFileFactory
from reporting.indicators import CALCULATORS, compute_indicators
from reporting.tests.factories_indicators import applicant, partnership_with_history, reviewed, traveller

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return CohortFactory(programme=ProgrammeFactory(code="funnel"))


@pytest.fixture
def funnel_data(cohort):
    """Five applications:

    A1 woman, Dakar, founded 2015 (8 years at submission in 2023): selected, reviewed, coached, visa granted,
       travelled (back 24/05/2023); one partnership: prospect 01/06/2023, agreement 01/09/2023, dormant
       01/04/2024. At +6 months (23/11/2023) it is at "agreement" (live); at +12 months (23/05/2024)
       "dormant" (not live).
    A2 man, Kaolack, diaspora, founded 2022 (1 year): selected, attended a boostcamp, visa refused.
    A3 woman, Thiès, founded 2020 (3 years): under review with one review submitted.
    A4 man, Dakar, ineligible.
    A5 woman, draft: not submitted, counted nowhere.
    """
    a1 = traveller(cohort, gender="woman", region="dakar", year_founded=2015)
    partnership_with_history(
        a1,
        [
            ("prospect", datetime.date(2023, 6, 1)),
            ("agreement", datetime.date(2023, 9, 1)),
            ("dormant", datetime.date(2024, 4, 1)),
        ],
    )
    a2 = applicant(cohort, status=ApplicationStatus.SELECTED, gender="man", region="kaolack", diaspora=True, year_founded=2022)
    EventAttendanceFactory(event=GroupEventFactory(cohort=cohort), application=a2)
    VisaFileFactory(application=a2, status="refused", refusal_reason="means",
                    submitted_on=datetime.date(2023, 3, 1), decision_on=datetime.date(2023, 3, 11))  # fmt: skip
    a3 = applicant(cohort, status=ApplicationStatus.UNDER_REVIEW, gender="woman", region="thies", year_founded=2020)
    reviewed(a3)
    applicant(cohort, status=ApplicationStatus.INELIGIBLE, gender="man", region="dakar")
    applicant(cohort, status=ApplicationStatus.DRAFT, gender="woman")
    return cohort


def totals(indicators) -> dict[str, int]:
    return {stage.key: stage.total for stage in indicators.funnel}


def test_each_stage_counts_the_applications_that_reached_it(funnel_data):
    indicators = compute_indicators(programme=funnel_data.programme)

    assert totals(indicators) == {
        "applications": 4,  # A1–A4 (the draft is not an application yet)
        "eligible": 3,  # A1, A2 (selected), A3 (under review)
        "reviewed": 2,  # A1, A3 have a submitted review
        "selected": 2,  # A1, A2
        "trained": 2,  # A1 coached, A2 at the boostcamp
        "visa_granted": 1,  # A1 (A2 refused)
        "travelled": 1,  # A1
        "with_partnership": 1,  # A1
        "live_6m": 1,  # A1's partnership was at "agreement" on 23/11/2023
        "live_12m": 0,  # ... and "dormant" on 23/05/2024
    }


def test_each_stage_is_disaggregated_by_gender_region_diaspora_and_company_age(funnel_data):
    indicators = compute_indicators(programme=funnel_data.programme)
    applications, selected = indicators.stage("applications"), indicators.stage("selected")

    assert dict(applications.by["gender"]) == {"woman": 2, "man": 2}  # A1, A3 / A2, A4
    assert dict(applications.by["region"]) == {"axis": 3, "elsewhere": 1}  # Dakar, Thiès, Dakar / Kaolack
    assert dict(applications.by["diaspora"]) == {"no": 3, "yes": 1}  # A2
    assert dict(applications.by["company_age"]) == {"gt5": 2, "lt2": 1, "2-5": 1}  # 8, 8 (A4: 2015) / 1 / 3
    assert dict(applications.by["cohort"]) == {str(funnel_data.pk): 4}
    assert selected.by["gender"]["woman"] == 1 and selected.by["gender"]["man"] == 1
    assert selected.by["region"]["elsewhere"] == 1
    assert indicators.stage("travelled").share("gender", "woman") == 100  # the only traveller is a woman
    assert applications.share("gender", "woman") == 50


def test_funnel_calculators_give_the_value_and_its_disaggregations(funnel_data):
    indicators = compute_indicators(programme=funnel_data.programme)

    result = CALCULATORS["funnel.selected"](indicators)
    assert result.value == 2
    assert result.by["diaspora"] == {"yes": 1, "no": 1}
    diaspora = CALCULATORS["diaspora.eligible"](indicators)
    assert diaspora.value == 1  # A2
    assert diaspora.by["gender"] == {"man": 1}


def test_a_cohort_counts_only_its_own_applications(funnel_data):
    other = CohortFactory(programme=funnel_data.programme)
    traveller(other)

    assert totals(compute_indicators(programme=funnel_data.programme))["travelled"] == 2
    one = compute_indicators(programme=funnel_data.programme, cohort=funnel_data)
    assert totals(one)["travelled"] == 1
    assert "cohort" not in one.dimensions()


def test_a_follow_up_date_still_to_come_is_not_counted(cohort):
    """Back from the trip last month: +6 months has not come yet, whatever the partnership's stage."""
    returned = timezone.localdate() - datetime.timedelta(days=30)
    application = traveller(cohort, returns_on=returned)
    partnership_with_history(application, [("prospect", returned), ("active", returned + datetime.timedelta(days=2))])

    indicators = compute_indicators(programme=cohort.programme)

    assert totals(indicators)["with_partnership"] == 1
    assert totals(indicators)["live_6m"] == 0
    assert indicators.partnerships.measurable_6m == 0
    assert indicators.partnerships.live == 1


def test_a_partnership_without_stage_history_counts_by_its_current_stage(cohort):
    from mobility.tests.factories import PartnershipFactory

    application = traveller(cohort)  # back on 24/05/2023
    PartnershipFactory(application=application, stage="active", started_on=datetime.date(2023, 6, 1),
                       stage_changed_on=datetime.date(2023, 7, 1))  # fmt: skip

    indicators = compute_indicators(programme=cohort.programme)

    assert indicators.partnerships.live_6m == 1  # active since 01/07/2023, before 23/11/2023
    assert indicators.partnerships.live_12m == 1


def _grow(cohort, count: int) -> None:
    for index in range(count):
        application = traveller(cohort, gender="woman" if index % 2 else "man", region="dakar" if index % 3 else "louga")
        partnership_with_history(application, [("prospect", datetime.date(2023, 6, 1)), ("active", datetime.date(2023, 8, 1))])
        applicant(cohort, status=ApplicationStatus.INELIGIBLE)


# The queries of compute_indicators, whatever the data:
#   funnel: 3 grouped queries (early stages per person groups and per company groups, late stages)
#   mobility: trips, meetings, invitations by status, invitation times (4)
#   partnerships: by type and stage, persistence by cohort and sector, transactions (3)
#   cohorts of the programme (1)
#   coaching: totals, by type, by coach, workload per month: individual and group sessions (5)
#   visa: by status, refusals by reason, dates (3)
#   meso/macro: incubators, sub-projects, committee members, meetings, attendance (5)
#   efficiency: budget lines, expenses (2)
QUERIES = 26


def test_the_number_of_queries_does_not_depend_on_the_amount_of_data(cohort, django_assert_num_queries):
    _grow(cohort, 2)
    with django_assert_num_queries(QUERIES):
        small = compute_indicators(programme=cohort.programme)

    _grow(cohort, 12)
    with django_assert_num_queries(QUERIES):
        larger = compute_indicators(programme=cohort.programme)

    assert small.stage("travelled").total == 2
    assert larger.stage("travelled").total == 14
    assert larger.stage("live_6m").total == 14


def test_an_information_session_is_not_training_and_only_the_selected_are_trained(cohort):
    """The funnel's "trained" stage: pre-mobility support of selected entrepreneurs. A rejected applicant
    who attended the public information session, and a selected one who only attended it, are not trained;
    a selected one who attended a Boostcamp is."""
    import datetime as dt

    from django.utils import timezone as tz

    from coaching.models import EventAttendance, GroupEvent

    info = GroupEvent.objects.create(
        cohort=cohort, kind="info_session", title="Info", starts_at=tz.now(), ends_at=tz.now() + dt.timedelta(hours=2)
    )
    boostcamp = GroupEvent.objects.create(
        cohort=cohort, kind="boostcamp", title="Boostcamp", starts_at=tz.now(), ends_at=tz.now() + dt.timedelta(hours=8)
    )
    rejected = applicant(cohort, status=ApplicationStatus.REJECTED, gender="woman", region="dakar")
    selected_info_only = applicant(cohort, status=ApplicationStatus.SELECTED, gender="woman", region="dakar")
    selected_boostcamp = applicant(cohort, status=ApplicationStatus.SELECTED, gender="man", region="dakar")
    EventAttendance.objects.create(event=info, application=rejected)
    EventAttendance.objects.create(event=info, application=selected_info_only)
    EventAttendance.objects.create(event=boostcamp, application=selected_boostcamp)

    assert totals(compute_indicators(programme=cohort.programme))["trained"] == 1
