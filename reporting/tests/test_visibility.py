"""Evaluation, indicators and reports: staff, and the committee members and evaluators of the programme."""

import datetime

import pytest
from django.contrib.auth.models import Group

from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationFactory, ProgrammeFactory, ProgrammeMembershipFactory
from reporting.models import Evaluation, ReportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return Evaluation.objects.create(
        programme=ProgrammeFactory(),
        title="Final",
        period_start=datetime.date(2021, 10, 1),
        period_end=datetime.date(2024, 6, 30),
    )


@pytest.mark.parametrize("role", ["committee", "evaluator"])
def test_members_in_a_reporting_role_see_their_programmes_evaluation(evaluation, role):
    member = UserFactory(roles=[role])
    ProgrammeMembershipFactory(programme=evaluation.programme, user=member, role=role)
    ReportJob.objects.create(kind="dac", programme=evaluation.programme)

    assert list(Evaluation.objects.for_user(member)) == [evaluation]
    assert ReportJob.objects.for_user(member).count() == 1


def test_an_entrepreneur_of_the_programme_does_not(evaluation):
    application = ApplicationFactory(cohort__programme=evaluation.programme)
    user = application.entrepreneur.user
    ProgrammeMembershipFactory(programme=evaluation.programme, user=user, role="entrepreneur")

    assert not Evaluation.objects.for_user(user).exists()


def test_leaving_the_committee_group_ends_access(evaluation):
    member = UserFactory(roles=["committee"])
    ProgrammeMembershipFactory(programme=evaluation.programme, user=member, role="committee")
    member.groups.remove(Group.objects.get(name="committee"))
    member = type(member).objects.get(pk=member.pk)  # forget the cached roles

    assert not Evaluation.objects.for_user(member).exists()


def test_committee_members_of_another_programme_do_not(evaluation):
    member = UserFactory(roles=["committee"])
    ProgrammeMembershipFactory(user=member, role="committee")
    assert not Evaluation.objects.for_user(member).exists()
