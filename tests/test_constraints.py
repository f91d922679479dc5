"""The rules that must always hold are enforced by the database itself, whatever code writes."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from cohorts.models import (
    Application,
    ApplicationStatus,
    CommitteeMembership,
    Expense,
    Review,
    RubricCriterion,
)
from cohorts.tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory
from mobility.models import Trip, VisaFile
from partners.tests.factories import OrganisationFactory
from reporting.models import CriterionGrade, Evaluation, ReportJob

pytestmark = pytest.mark.django_db


def _violates(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_call_closes_after_it_opens():
    now = timezone.now()
    _violates(lambda: CohortFactory(call_opens_at=now, call_closes_at=now - datetime.timedelta(days=1)))


def test_the_travel_window_is_in_order():
    _violates(lambda: CohortFactory(travel_starts_on=datetime.date(2023, 5, 10), travel_ends_on=datetime.date(2023, 5, 1)))


def test_one_application_per_entrepreneur_and_cohort():
    application = ApplicationFactory()
    _violates(
        lambda: Application.objects.create(
            cohort=application.cohort, entrepreneur=application.entrepreneur, company=application.company
        )
    )


def test_a_submitted_application_has_a_submission_date():
    _violates(lambda: ApplicationFactory(status=ApplicationStatus.SUBMITTED, submitted_at=None))


def test_a_reviewer_reviews_an_application_once():
    application = ApplicationFactory(submitted=True)
    reviewer = UserFactory(roles=["reviewer"])
    Review.objects.create(application=application, reviewer=reviewer)
    _violates(lambda: Review.objects.create(application=application, reviewer=reviewer))


def test_rubric_weights_are_positive():
    cohort = CohortFactory()
    _violates(lambda: RubricCriterion.objects.create(cohort=cohort, code="x", label="x", weight=Decimal("0")))


def test_a_trip_returns_after_it_departs():
    application = ApplicationFactory(submitted=True)
    _violates(
        lambda: Trip.objects.create(
            application=application, departs_on=datetime.date(2023, 5, 10), returns_on=datetime.date(2023, 5, 9)
        )
    )


def test_a_visa_decision_comes_after_the_submission_and_a_refusal_has_a_reason():
    application = ApplicationFactory(submitted=True)
    _violates(
        lambda: VisaFile.objects.create(
            application=application,
            status="granted",
            submitted_on=datetime.date(2023, 4, 1),
            decision_on=datetime.date(2023, 3, 1),
        )
    )
    _violates(
        lambda: VisaFile.objects.create(
            application=application,
            status="refused",
            submitted_on=datetime.date(2023, 4, 1),
            decision_on=datetime.date(2023, 4, 20),
        )
    )


def test_grades_are_between_a_and_d():
    programme = ProgrammeFactory()
    evaluation = Evaluation.objects.create(
        programme=programme, title="Eval", period_start=datetime.date(2021, 10, 1), period_end=datetime.date(2024, 6, 30)
    )
    CriterionGrade.objects.create(evaluation=evaluation, criterion="relevance", grade="A")
    _violates(lambda: CriterionGrade.objects.create(evaluation=evaluation, criterion="impact", grade="E"))
    _violates(lambda: CriterionGrade.objects.create(evaluation=evaluation, criterion="relevance", grade="B"))


def test_a_committee_has_one_chair():
    programme = ProgrammeFactory()
    CommitteeMembership.objects.create(programme=programme, organisation=OrganisationFactory(), role="chair")
    _violates(lambda: CommitteeMembership.objects.create(programme=programme, organisation=OrganisationFactory(), role="chair"))


def test_an_expense_is_positive():
    from cohorts.models import BudgetLine

    line = BudgetLine.objects.create(programme=ProgrammeFactory(), year=2023, category="mobility", label="Vols", amount=1000)
    _violates(lambda: Expense.objects.create(budget_line=line, spent_on=datetime.date(2023, 5, 1), amount=0, description="x"))


def test_the_same_report_cannot_be_in_flight_twice():
    programme = ProgrammeFactory()
    ReportJob.objects.create(kind="dac", programme=programme, language="fr")
    _violates(lambda: ReportJob.objects.create(kind="dac", programme=programme, language="fr"))
    # Another language, or once the first is done, is fine.
    ReportJob.objects.create(kind="dac", programme=programme, language="en")


def test_a_done_report_has_its_fingerprint():
    _violates(lambda: ReportJob.objects.create(kind="dac", programme=ProgrammeFactory(), status="done"))


def test_passport_numbers_are_encrypted_at_rest():
    application = ApplicationFactory(submitted=True)
    visa = VisaFile.objects.create(application=application, passport_number="A01234567")

    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM mobility_visafile WHERE id = %s", [visa.pk])
        (raw,) = cursor.fetchone()
    assert "A01234567" not in raw
    assert VisaFile.objects.get(pk=visa.pk).passport_number == "A01234567"
    # The history table keeps no copy of the number.
    assert not hasattr(visa.history.model, "passport_number")
