"""Visa files hold passport numbers: only staff and the entrepreneur themself may reach them."""

import pytest

from accounts.tests.factories import UserFactory
from coaching.tests.factories import CoachAssignmentFactory
from cohorts.models import Review
from mobility.models import VisaDocument, VisaFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def visa_file():
    assignment = CoachAssignmentFactory()
    visa = VisaFile.objects.create(application=assignment.application, passport_number="A01234567")
    VisaDocument.objects.create(visa_file=visa, kind="passport")
    return visa


def test_the_entrepreneur_and_staff_see_the_visa_file(visa_file):
    for user in (visa_file.application.entrepreneur.user, UserFactory(roles=["staff"])):
        assert list(VisaFile.objects.for_user(user)) == [visa_file]
        assert VisaDocument.objects.for_user(user).count() == 1


def test_the_coach_and_a_reviewer_of_the_application_do_not(visa_file):
    reviewer = UserFactory(roles=["reviewer"])
    Review.objects.create(application=visa_file.application, reviewer=reviewer)
    coach = visa_file.application.coach_assignments.get().coach.user

    for user in (coach, reviewer):
        assert not VisaFile.objects.for_user(user).exists()
        assert not VisaDocument.objects.for_user(user).exists()


def test_another_entrepreneur_does_not(visa_file):
    other = CoachAssignmentFactory().application.entrepreneur.user
    assert not VisaFile.objects.for_user(other).exists()
