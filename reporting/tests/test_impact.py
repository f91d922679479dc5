"""Persistence per cohort and the comparison of the participants with the comparison group ([9] items
4 and 5): small fixed cases, one figure per fact with the indicators, the pages (who sees what, in
both languages, queries independent of the number of rows) and the DAC report's Impact section."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import CohortFactory, ProgrammeFactory, ProgrammeMembershipFactory
from mobility.models import CheckInStatus
from mobility.tests.factories import FollowUpCheckInFactory
from reporting.indicators import compute_indicators
from reporting.models import ReportJob, ReportKind
from reporting.persistence import persistence_by_cohort
from reporting.rendering import report_html
from reporting.selectors_impact import MIN_ANSWERS, outcomes_compared
from reporting.tests.factories import CriterionGradeFactory, EvaluationFactory
from reporting.tests.factories_indicators import applicant, partnership_with_history, traveller

pytestmark = pytest.mark.django_db

d = datetime.date
PERSISTENCE = reverse("reporting:persistence")
COMPARISON = reverse("reporting:comparison")


def member(programme, role: str):
    user = UserFactory(roles=[role])
    ProgrammeMembershipFactory(programme=programme, user=user, role=role)
    return user


# --------------------------------------------------------------------------------------------------
# Persistence
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def two_cohorts():
    """Back on 24/05/2023: +6 months is 23/11/2023, +12 months 23/05/2024.
    Cohort 1: a partnership active at +6 months, dormant since March 2024 (dormant today, so dormant at
    +12); another that never got past discussion. Cohort 2: active at both dates; a traveller back
    on 01/06/2026 whose partnership cannot be measured yet (on 01/09/2026)."""
    programme = ProgrammeFactory(code="persist-cohorts", name="Programme persistance")
    first, second = CohortFactory(programme=programme, number=1), CohortFactory(programme=programme, number=2)
    a = traveller(first)
    partnership_with_history(a, [("prospect", d(2023, 6, 1)), ("active", d(2023, 8, 1)), ("dormant", d(2024, 3, 1))])
    partnership_with_history(traveller(first), [("prospect", d(2023, 6, 1)), ("discussion", d(2023, 7, 1))])
    partnership_with_history(traveller(second), [("agreement", d(2023, 6, 1)), ("active", d(2023, 9, 1))])
    recent = traveller(second, returns_on=d(2026, 6, 1))
    partnership_with_history(recent, [("agreement", d(2026, 6, 15))])
    return programme, first, second


def test_a_partnership_dormant_today_but_active_at_six_months_counts_at_six_months(two_cohorts):
    programme, first, second = two_cohorts

    figures = persistence_by_cohort(programme, today=d(2026, 9, 1))

    one, two = figures.cohorts
    assert (one.cohort, one.followed, one.due_6m, one.alive_6m, one.due_12m, one.alive_12m) == (first, 2, 2, 1, 2, 0)
    assert (two.cohort, two.followed, two.due_6m, two.alive_6m, two.due_12m, two.alive_12m) == (second, 2, 1, 1, 1, 1)
    assert (one.share_6m, one.share_12m) == (50, 0)
    assert (figures.total.alive_6m, figures.total.due_6m, figures.total.share_6m) == (2, 3, Decimal("66.7"))


def test_a_cohort_without_partnerships_is_listed_with_nothing_measurable():
    programme = ProgrammeFactory()
    CohortFactory(programme=programme)

    (row,) = persistence_by_cohort(programme).cohorts

    assert (row.followed, row.due_6m, row.share_6m, row.share_12m) == (0, 0, None, None)


def test_the_indicators_count_persistence_with_the_same_code(two_cohorts):
    programme, _first, _second = two_cohorts

    figures = persistence_by_cohort(programme)
    partnerships = compute_indicators(programme=programme).partnerships

    total = figures.total
    assert (partnerships.measurable_6m, partnerships.live_6m) == (total.due_6m, total.alive_6m)
    assert (partnerships.measurable_12m, partnerships.live_12m) == (total.due_12m, total.alive_12m)
    assert (partnerships.share_live_6m, partnerships.share_live_12m) == (total.share_6m, total.share_12m)
    for row in figures.cohorts:
        assert partnerships.live_6m_by["cohort"].get(str(row.cohort.pk), 0) == row.alive_6m


def test_the_persistence_page_shows_the_chart_and_the_figures_per_cohort(client, two_cohorts):
    programme, first, _second = two_cohorts
    client.force_login(UserFactory(roles=["staff"]))

    response = client.get(PERSISTENCE, {"programme": programme.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "Persistance des partenariats par cohorte" in html
    assert f'data-cohort="{first.pk}"' in html
    assert "50,0 %" in html  # cohort 1 at +6 months
    client.cookies.load({"django_language": "en"})
    english = client.get(PERSISTENCE, {"programme": programme.pk}).content.decode()
    assert "Partnership persistence by cohort" in english and "Still alive at +12 months" in english


@pytest.mark.parametrize("role", ["committee", "evaluator"])
def test_committee_and_evaluators_see_only_their_programmes_impact_pages(client, two_cohorts, role):
    programme, _first, _second = two_cohorts
    client.force_login(member(programme, role))
    other = ProgrammeFactory()

    for page in (PERSISTENCE, COMPARISON):
        assert client.get(page, {"programme": programme.pk}).status_code == 200
        assert client.get(page, {"programme": other.pk}).status_code == 404


@pytest.mark.parametrize("role", ["entrepreneur", "coach", "reviewer"])
def test_other_roles_cannot_open_the_impact_pages(client, two_cohorts, role):
    client.force_login(UserFactory(roles=[role]))

    assert client.get(PERSISTENCE).status_code == 404
    assert client.get(COMPARISON).status_code == 404


def test_the_persistence_page_needs_the_same_queries_for_one_cohort_or_many(client, django_assert_num_queries):
    programme = ProgrammeFactory()
    client.force_login(UserFactory(roles=["staff"]))
    first = CohortFactory(programme=programme, number=1)
    partnership_with_history(traveller(first), [("agreement", d(2023, 6, 1))])

    def queries() -> int:
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()  # computed each time (the persistence is cached per data version): the counts compare
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PERSISTENCE, {"programme": programme.pk}).status_code == 200
        return len(captured)

    queries()  # the first visit remembers the programme in the session
    few = queries()
    for number in range(2, 6):
        cohort = CohortFactory(programme=programme, number=number)
        for _n in range(3):
            partnership_with_history(traveller(cohort), [("prospect", d(2023, 6, 1)), ("active", d(2023, 9, 1))])
    assert queries() == few


# --------------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------------


def answered(application, months: int, *, partner=None, exports=None, jobs=0, status=CheckInStatus.DONE):
    return FollowUpCheckInFactory(
        application=application,
        months_after=months,
        due_on=d(2023, 11, 24) if months == 6 else d(2024, 5, 24),
        status=status,
        completed_on=d(2024, 6, 1) if status == CheckInStatus.DONE else None,
        has_belgian_partner=partner,
        exports_to_europe=exports,
        jobs_created=jobs,
    )


@pytest.fixture
def groups():
    """Six participants and six consenting non-selected eligible applicants answer at +6 months; at +12
    months only two of the comparison group answer. Those who must not count answer too: a rejected
    applicant who did not consent, an ineligible, an under-review and a shortlisted one who consented, a selected one who did not travel."""
    cohort = CohortFactory(programme=ProgrammeFactory(code="compare", name="Programme comparé"))
    for i in range(6):
        participant = traveller(cohort)
        answered(participant, 6, partner=i < 4, exports=i < 3, jobs=2)
        answered(participant, 12, partner=i < 3, exports=i < 2, jobs=1)
    for i, status in enumerate([ApplicationStatus.REJECTED] * 3 + [ApplicationStatus.WAITLISTED] * 3):
        other = applicant(cohort, status=status)
        other.follow_up_consent = True
        other.save(update_fields=["follow_up_consent"])
        answered(other, 6, partner=i < 1, exports=False, jobs=1 if i < 2 else 0)
        if i < 2:
            answered(other, 12, partner=False, exports=True)
    answered(applicant(cohort, status=ApplicationStatus.REJECTED), 6, partner=True, exports=True, jobs=9)  # no consent
    for status in (ApplicationStatus.INELIGIBLE, ApplicationStatus.UNDER_REVIEW):  # not (or not yet) not selected
        ineligible = applicant(cohort, status=status)
        ineligible.follow_up_consent = True
        ineligible.save(update_fields=["follow_up_consent"])
        answered(ineligible, 6, partner=True, exports=True, jobs=9)
    ineligible = applicant(cohort, status=ApplicationStatus.SHORTLISTED)
    ineligible.follow_up_consent = True
    ineligible.save(update_fields=["follow_up_consent"])
    answered(ineligible, 6, partner=True, exports=True, jobs=9)
    answered(applicant(cohort, status=ApplicationStatus.SELECTED), 6, partner=True, exports=True, jobs=9)  # no trip
    answered(applicant(cohort, status=ApplicationStatus.REJECTED), 12, status=CheckInStatus.MISSED)
    return cohort


def test_the_comparison_counts_each_group_from_its_answered_check_ins(groups):
    comparison = outcomes_compared(groups.programme)

    participants, others = comparison.participants, comparison.comparison
    assert (participants.size, others.size) == (6, 6)
    six = participants.at(6)
    assert (six.answered, six.belgian_partner.yes, six.belgian_partner.answered, six.exports.yes) == (6, 4, 6, 3)
    assert (six.belgian_partner.value, six.jobs_total, six.jobs_mean) == (Decimal("66.7"), 12, 2)
    theirs = others.at(6)
    assert (theirs.answered, theirs.belgian_partner.yes, theirs.exports.yes, theirs.jobs_total) == (6, 1, 0, 2)
    assert theirs.belgian_partner.value == Decimal("16.7")


def test_without_consent_or_eligibility_an_applicant_is_in_no_group(groups):
    comparison = outcomes_compared(groups.programme, groups)

    # The jobs=9 answers (no consent, ineligible, selected without a trip) are counted nowhere.
    assert comparison.comparison.at(6).jobs_total == 2
    assert comparison.participants.at(6).jobs_total == 12
    assert comparison.comparison.size == 6


def test_a_group_with_too_few_answers_shows_no_share(client, groups):
    comparison = outcomes_compared(groups.programme)
    twelve = comparison.comparison.at(12)

    assert twelve.answered == 2 < MIN_ANSWERS
    assert twelve.belgian_partner.value is None and twelve.jobs_mean is None
    client.force_login(UserFactory(roles=["staff"]))
    html = client.get(COMPARISON, {"programme": groups.programme.pk}).content.decode()
    assert "trop peu de réponses (2)" in html


def test_the_comparison_page_shows_both_groups_and_the_caution_in_both_languages(client, groups):
    client.force_login(UserFactory(roles=["staff"]))

    html = client.get(COMPARISON, {"programme": groups.programme.pk}).content.decode()

    assert 'data-group-size="participants"' in html and 'data-group-size="comparison"' in html
    assert "6 personnes" in html
    assert "Ce qu'elle ne peut pas montrer" in html and "pas une preuve" in html
    client.cookies.load({"django_language": "en"})
    english = client.get(COMPARISON, {"programme": groups.programme.pk}).content.decode()
    assert "What it cannot show" in english and "not proof" in english
    assert "too few answers (2)" in english


def test_a_cohort_of_another_programme_is_a_404(client, groups):
    client.force_login(UserFactory(roles=["staff"]))

    response = client.get(COMPARISON, {"programme": groups.programme.pk, "cohort": CohortFactory().pk})

    assert response.status_code == 404


# --------------------------------------------------------------------------------------------------
# The DAC report
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("fr", ["Participant·es et groupe de comparaison", "Ce qu'elle ne peut pas montrer", "66,7\u00a0%"]),
        ("en", ["Participants and comparison group", "What it cannot show", "66.7%"]),
    ],
)
def test_the_dac_reports_impact_section_shows_the_comparison(groups, language, texts):
    evaluation = EvaluationFactory(programme=groups.programme)
    CriterionGradeFactory(evaluation=evaluation, criterion="impact", grade="C")
    job = ReportJob(kind=ReportKind.DAC_EVALUATION, programme=groups.programme, language=language)

    html = report_html(job=job)

    impact = html[html.index('id="criterion-impact"') :]
    evidence = impact[impact.index('id="impact-evidence"') :]
    for text in texts:
        assert text in evidence, text
    assert 'data-group="comparison"' in evidence


def test_the_dac_report_shows_the_comparison_even_when_impact_is_not_graded(groups):
    EvaluationFactory(programme=groups.programme)
    job = ReportJob(kind=ReportKind.DAC_EVALUATION, programme=groups.programme, language="fr")

    with translation.override("fr"):
        html = report_html(job=job)

    assert 'id="criterion-impact"' in html and 'id="impact-evidence"' in html


def test_the_comparison_page_needs_the_same_queries_for_few_answers_or_many(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cohort = CohortFactory()
    client.force_login(UserFactory(roles=["staff"]))

    def add(n: int) -> None:
        for _n in range(n):
            other = applicant(cohort, status=ApplicationStatus.REJECTED)
            other.follow_up_consent = True
            other.save(update_fields=["follow_up_consent"])
            answered(other, 6, partner=True, exports=False)

    def queries() -> int:
        cache.clear()  # the comparison computed, not read from the cache (core.data_version)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(COMPARISON, {"programme": cohort.programme_id}).status_code == 200
        return len(captured)

    add(1)
    queries()  # the first visit remembers the programme in the session
    few = queries()
    add(9)
    assert queries() == few
