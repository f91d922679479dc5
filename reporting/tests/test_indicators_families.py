"""Coaching, visa, mobility, partnerships, meso/macro and efficiency indicators, each on a small data
set whose answer is worked out by hand in the comments."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from coaching.selectors import coach_workload
from coaching.tests.factories import CoachingSessionFactory, GroupEventFactory
from cohorts.tests.factories import (
    BudgetLineFactory,
    CohortFactory,
    CommitteeAttendanceFactory,
    CommitteeMeetingFactory,
    CommitteeMembershipFactory,
    ExpenseFactory,
    IncubatorSubProjectFactory,
    ProgrammeFactory,
    ProgrammePartnerFactory,
)
from mobility.tests.factories import B2BMeetingFactory, InvitationFactory, PartnershipTransactionFactory, VisaFileFactory
from partners.tests.factories import BelgianCompanyFactory, CoachFactory, OrganisationFactory
from reporting.indicators import CALCULATORS, compute_indicators
from reporting.tests.factories_indicators import applicant, partnership_with_history, traveller

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return CohortFactory(programme=ProgrammeFactory(code="families"))


def test_coaching_sessions_and_hours_per_entrepreneur_type_and_coach(cohort):
    """Ada: 2 individual sessions of 60 min with coach X, 1 group session of 120 min with coach Y.
    Bintou: 1 individual session of 90 min with coach X, in February.
    Sessions 4, hours (60+60+120+90)/60 = 5.5, entrepreneurs 2: 2 sessions and 2.75 (2.8) hours each."""
    x, y = CoachFactory(user__last_name="Xavier"), CoachFactory(user__last_name="Yade")
    ada, bintou = applicant(cohort), applicant(cohort)
    march = datetime.date(2023, 3, 10)
    CoachingSessionFactory(application=ada, coach=x, duration_minutes=60, held_on=march)
    CoachingSessionFactory(application=ada, coach=x, duration_minutes=60, held_on=march)
    CoachingSessionFactory(application=ada, coach=y, duration_minutes=120, kind="group", held_on=march)
    CoachingSessionFactory(application=bintou, coach=x, duration_minutes=90, held_on=datetime.date(2023, 2, 1))

    coaching = compute_indicators(programme=cohort.programme).coaching

    assert (coaching.sessions, coaching.hours, coaching.entrepreneurs) == (4, Decimal("5.5"), 2)
    assert coaching.sessions_per_entrepreneur == Decimal("2.0")
    assert coaching.hours_per_entrepreneur == Decimal("2.8")
    assert {row.key: (row.count, row.hours, row.entrepreneurs) for row in coaching.by_kind} == {
        "group": (1, Decimal("2.0"), 1),
        "individual": (3, Decimal("3.5"), 2),
    }
    by_coach = {row.label.split()[-1]: (row.count, row.hours) for row in coaching.by_coach}
    assert by_coach == {"Xavier": (3, Decimal("3.5")), "Yade": (1, Decimal("2.0"))}
    # Workload: X in February (1 session, 1.5 h) and March (2, 2.0 h), Y in March (1, 2.0 h).
    assert [(month.month, coach.split()[-1], n, hours) for month, coach, n, hours in coaching.workload] == [
        (2, "Xavier", 1, Decimal("1.5")),
        (3, "Xavier", 2, Decimal("2.0")),
        (3, "Yade", 1, Decimal("2.0")),
    ]


def test_a_boostcamp_logged_for_each_attendee_counts_once_in_the_coachs_workload(cohort):
    """One 8-hour Boostcamp, logged by coach Z for three attendees: the entrepreneurs received 24 hours of
    coaching between them, the coach worked 8 (the same figure as the coaching overview's chart)."""
    z = CoachFactory(user__last_name="Zinsou")
    event = GroupEventFactory(cohort=cohort)
    day = datetime.date(2023, 4, 5)
    for _n in range(3):
        CoachingSessionFactory(
            application=applicant(cohort), coach=z, duration_minutes=480, kind="boostcamp", held_on=day, event=event
        )

    coaching = compute_indicators(programme=cohort.programme).coaching

    assert coaching.hours == Decimal("24.0")
    assert [(coach.split()[-1], n, hours) for _month, coach, n, hours in coaching.workload] == [("Zinsou", 1, Decimal("8.0"))]
    assert [(row.count, row.hours, row.entrepreneurs) for row in coaching.by_coach] == [(1, Decimal("8.0"), 3)]
    assert [(row["sessions"], row["minutes"]) for row in coach_workload(cohort)] == [(1, 480)]


def test_visa_outcomes_refusal_rate_and_median_delay(cohort):
    """Three granted after 10, 20 and 40 days, one refused after 30 days, one submitted awaiting a
    decision, one in preparation. Submitted 5; decided 4: refusal rate 1/4 = 25 %; median of
    10, 20, 30, 40 = 25 days."""
    start = datetime.date(2023, 3, 1)
    for days in (10, 20, 40):
        VisaFileFactory(
            application=applicant(cohort), status="granted", submitted_on=start, decision_on=start + datetime.timedelta(days=days)
        )
    VisaFileFactory(application=applicant(cohort), status="refused", refusal_reason="means", submitted_on=start,
                    decision_on=start + datetime.timedelta(days=30))  # fmt: skip
    VisaFileFactory(application=applicant(cohort), status="submitted", submitted_on=start)
    VisaFileFactory(application=applicant(cohort))

    indicators = compute_indicators(programme=cohort.programme)
    visa = indicators.visa

    assert (visa.files, visa.submitted, visa.granted, visa.refused, visa.pending) == (6, 5, 3, 1, 1)
    assert visa.refusal_rate == Decimal("25.0")
    assert visa.median_days == Decimal("25.0")
    assert [(row.key, row.count) for row in visa.by_reason] == [("means", 1)]
    assert CALCULATORS["visa.refusal_rate"](indicators).value == Decimal("25.0")


def test_mobility_companies_met_meetings_and_invitation_answers(cohort):
    """Two travellers (one trip each). Meetings: A meets B1, B2, B3; C meets B1 and an incubator.
    Meetings 5, distinct Belgian companies 3 (the incubator is not one), 2.5 meetings per traveller.
    Invitations: 4 sent, answered after 2 days (accepted), 4 days (declined), 10 days (other slot), one
    without answer: response rate 3/4 = 75 %, median delay 4 days. A draft invitation counts nowhere."""
    a, c = traveller(cohort), traveller(cohort)
    trip_a, trip_c = a.trips.get(), c.trips.get()
    b1, b2, b3 = BelgianCompanyFactory(), BelgianCompanyFactory(), BelgianCompanyFactory()
    for company in (b1, b2, b3):
        B2BMeetingFactory(trip=trip_a, organisation=company)
    B2BMeetingFactory(trip=trip_c, organisation=b1)
    B2BMeetingFactory(trip=trip_c, organisation=OrganisationFactory(kind="incubator"))
    sent = timezone.make_aware(datetime.datetime(2023, 4, 1, 9, 0))
    for company, status, days in ((b1, "accepted", 2), (b2, "declined", 4), (b3, "other_slot", 10)):
        InvitationFactory(
            trip=trip_a, organisation=company, status=status, sent_at=sent, answered_at=sent + datetime.timedelta(days=days)
        )
    InvitationFactory(trip=trip_c, organisation=b1, status="sent", sent_at=sent)
    InvitationFactory(trip=trip_c, organisation=b2, status="draft")

    mobility = compute_indicators(programme=cohort.programme).mobility

    assert (mobility.travelled, mobility.trips, mobility.meetings, mobility.belgian_companies_met) == (2, 2, 5, 3)
    assert mobility.meetings_per_entrepreneur == Decimal("2.5")
    assert (mobility.invitations_sent, mobility.invitations_answered, mobility.invitations_accepted) == (4, 3, 1)
    assert mobility.invitation_response_rate == Decimal("75.0")
    assert mobility.invitation_median_days == Decimal("4.0")


def test_partnerships_by_type_and_stage_persistence_agreements_and_transactions(cohort):
    """One traveller back on 24/05/2023 (+6 months: 23/11/2023, +12 months: 23/05/2024), three partnerships:
    P1 export: prospect 01/06/2023 → agreement 01/08/2023 → active 01/01/2024: live at +6 and +12.
    P2 training: prospect 01/06/2023 → agreement 01/07/2023 → ended 01/10/2023: live at neither.
    P3 export: prospect 01/06/2023 → discussion 01/12/2023: live at neither.
    Measurable 3 at both dates; live 1: share 33.3 %. Agreements signed: P1 and P2 = 2. Live now: P1.
    Transactions of P1: 1,000 + 500 EUR."""
    application = traveller(cohort, sector="textile")
    d = datetime.date
    p1 = partnership_with_history(
        application, [("prospect", d(2023, 6, 1)), ("agreement", d(2023, 8, 1)), ("active", d(2024, 1, 1))]
    )
    partnership_with_history(application, [("prospect", d(2023, 6, 1)), ("agreement", d(2023, 7, 1)), ("ended", d(2023, 10, 1))],
                             type="training")  # fmt: skip
    partnership_with_history(application, [("prospect", d(2023, 6, 1)), ("discussion", d(2023, 12, 1))], organisation=p1.organisation,
                             type="representation")  # fmt: skip
    PartnershipTransactionFactory(partnership=p1, value=Decimal("1000"), currency="EUR")
    PartnershipTransactionFactory(partnership=p1, value=Decimal("327978.50"), currency="XOF")

    indicators = compute_indicators(programme=cohort.programme)
    partnerships = indicators.partnerships

    assert (partnerships.total, partnerships.live, partnerships.agreements) == (3, 1, 2)
    assert {row.key: row.count for row in partnerships.by_stage if row.count} == {"active": 1, "ended": 1, "discussion": 1}
    assert {row.key: row.count for row in partnerships.by_type if row.count} == {"export": 1, "training": 1, "representation": 1}
    assert partnerships.by_type_and_stage["export"] == {"active": 1}
    assert (partnerships.measurable_6m, partnerships.live_6m, partnerships.share_live_6m) == (3, 1, Decimal("33.3"))
    assert (partnerships.measurable_12m, partnerships.live_12m) == (3, 1)
    assert (partnerships.transactions, partnerships.transactions_eur) == (2, Decimal("1500.00"))
    result = CALCULATORS["partnerships.active_6m"](indicators)
    assert result.value == 1
    assert result.by["sector"] == {"textile": 1}
    assert result.by["cohort"] == {str(cohort.pk): 1}


def test_meso_and_macro_incubators_sub_projects_and_committee(cohort):
    """Incubators: 2 Senegalese + 1 Belgian (a coaching partner does not count). Sub-projects: 2 (10,000 and
    5,000 EUR). Committee: 2 members; 3 meetings held and one planned next year; attendance recorded 4
    times, present 3: 75 %."""
    programme = cohort.programme
    ProgrammePartnerFactory(programme=programme, role="incubator")
    ProgrammePartnerFactory(programme=programme, role="incubator")
    ProgrammePartnerFactory(programme=programme, role="incubator", organisation=OrganisationFactory(country="BE"))
    ProgrammePartnerFactory(programme=programme, role="coaching")
    IncubatorSubProjectFactory(programme=programme, budget_eur=Decimal("10000"), status="ongoing")
    IncubatorSubProjectFactory(programme=programme, budget_eur=Decimal("5000"), status="completed")
    first, second = CommitteeMembershipFactory(programme=programme), CommitteeMembershipFactory(programme=programme)
    meetings = [CommitteeMeetingFactory(programme=programme) for _ in range(3)]
    CommitteeMeetingFactory(programme=programme, held_on=timezone.localdate() + datetime.timedelta(days=365))
    CommitteeAttendanceFactory(meeting=meetings[0], membership=first)
    CommitteeAttendanceFactory(meeting=meetings[0], membership=second, present=False)
    CommitteeAttendanceFactory(meeting=meetings[1], membership=first)
    CommitteeAttendanceFactory(meeting=meetings[2], membership=second)

    meso = compute_indicators(programme=programme).meso

    assert (meso.incubators, meso.incubators_total) == (2, 3)
    assert (meso.sub_projects, meso.sub_projects_budget_eur) == (2, Decimal("15000.00"))
    assert (meso.committee_members, meso.committee_meetings) == (2, 3)
    assert (meso.attendance_recorded, meso.attendance_present, meso.attendance_rate) == (4, 3, Decimal("75.0"))


def test_efficiency_budget_spending_cost_per_mobility_and_per_live_partnership(cohort):
    """Budget 2023: mobility 50,000 EUR + support 6,559,570 XOF (= 10,000 EUR); 2024: mobility 20,000 EUR.
    Spending: 2023 mobility 30,000 + support 6,000; 2024 mobility 4,000 (booked on the cohort) = 40,000.
    Two travellers, one live partnership: 20,000 EUR per mobility, 40,000 EUR per live partnership."""
    programme = cohort.programme
    mobility_2023 = BudgetLineFactory(programme=programme, year=2023, category="mobility", amount=Decimal("50000"))
    support_2023 = BudgetLineFactory(
        programme=programme, year=2023, category="support", amount=Decimal("6559570"), currency="XOF"
    )
    mobility_2024 = BudgetLineFactory(programme=programme, year=2024, category="mobility", amount=Decimal("20000"))
    ExpenseFactory(budget_line=mobility_2023, amount=Decimal("30000"), currency="EUR", spent_on=datetime.date(2023, 5, 1))
    ExpenseFactory(budget_line=support_2023, amount=Decimal("3935742"), currency="XOF", spent_on=datetime.date(2023, 6, 1))
    ExpenseFactory(
        budget_line=mobility_2024, amount=Decimal("4000"), currency="EUR", spent_on=datetime.date(2024, 2, 1), cohort=cohort
    )
    first = traveller(cohort)
    traveller(cohort)
    partnership_with_history(first, [("prospect", datetime.date(2023, 6, 1)), ("active", datetime.date(2023, 7, 1))])

    indicators = compute_indicators(programme=programme)
    efficiency = indicators.efficiency

    assert efficiency.by_year_and_category == [
        (2023, "mobility", "Mobilités (voyages, visas, séjours)", Decimal("50000"), Decimal("30000.00")),
        (2023, "support", "Accompagnement des entreprises", Decimal("10000.00"), Decimal("6000.00")),
        (2024, "mobility", "Mobilités (voyages, visas, séjours)", Decimal("20000"), Decimal("4000.00")),
    ]
    assert efficiency.by_year == [(2023, Decimal("60000.00"), Decimal("36000.00")), (2024, Decimal("20000"), Decimal("4000.00"))]
    assert (efficiency.budget_eur, efficiency.spending_eur) == (Decimal("80000.00"), Decimal("40000.00"))
    assert efficiency.cost_per_mobility == Decimal("20000.00")
    assert efficiency.cost_per_active_partnership == Decimal("40000.00")
    assert CALCULATORS["efficiency.cost_per_mobility"](indicators).value == Decimal("20000.00")

    # For the cohort: only the 4,000 EUR booked on it, no budget split: 2,000 EUR per mobility.
    one = compute_indicators(programme=programme, cohort=cohort).efficiency
    assert (one.budget_eur, one.spending_eur, one.cost_per_mobility) == (None, Decimal("4000.00"), Decimal("2000.00"))


def test_every_demo_calculator_key_is_registered():
    from reporting.demo import INDICATORS

    assert {row[4] for row in INDICATORS} <= set(CALCULATORS)


def test_a_cohort_of_another_programme_is_refused(cohort):
    with pytest.raises(ValueError):
        compute_indicators(programme=ProgrammeFactory(), cohort=cohort)
