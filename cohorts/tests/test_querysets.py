"""Who sees which application: the `.for_user()` filters every view goes through."""

import pytest

from accounts.tests.factories import UserFactory
from cohorts.models import Application, Cohort, ConflictOfInterest, Programme, Review
from cohorts.tests.factories import (
    ApplicationFactory,
    CohortFactory,
    ProgrammeMembershipFactory,
)

pytestmark = pytest.mark.django_db


def test_staff_see_every_application():
    applications = ApplicationFactory.create_batch(3)
    assert set(Application.objects.for_user(UserFactory(roles=["staff"]))) == set(applications)


def test_an_entrepreneur_sees_only_their_own_applications():
    mine, _other = ApplicationFactory(), ApplicationFactory()
    assert list(Application.objects.for_user(mine.entrepreneur.user)) == [mine]


def test_a_reviewer_never_sees_an_application_they_declared_a_conflict_on():
    reviewer = UserFactory(roles=["reviewer"])
    kept, conflicted, _unassigned = ApplicationFactory.create_batch(3, submitted=True)
    Review.objects.create(application=kept, reviewer=reviewer)
    Review.objects.create(application=conflicted, reviewer=reviewer)
    ConflictOfInterest.objects.create(application=conflicted, reviewer=reviewer, reason="Family member")

    assert list(Application.objects.for_user(reviewer)) == [kept]


def test_committee_members_see_only_the_programmes_they_follow():
    membership = ProgrammeMembershipFactory(role="committee", user=UserFactory(roles=["committee"]))
    followed_cohort = CohortFactory(programme=membership.programme)
    CohortFactory()  # another programme

    assert list(Programme.objects.for_user(membership.user)) == [membership.programme]
    assert list(Cohort.objects.for_user(membership.user)) == [followed_cohort]


def test_anonymous_users_see_nothing():
    from django.contrib.auth.models import AnonymousUser

    ApplicationFactory()
    assert not Application.objects.for_user(AnonymousUser()).exists()
    assert not Programme.objects.for_user(AnonymousUser()).exists()
