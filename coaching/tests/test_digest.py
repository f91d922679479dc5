"""The coaches' weekly reminder: what it lists, sent once per coach and week even when beat fires
twice, nothing to a coach with nothing to act on, and again the next week."""

import datetime

import pytest

from accounts.models import OutgoingEmail
from coaching.models import ActionItem, CoachDigest
from coaching.services import coach_digests_send
from coaching.tests.factories import CoachAssignmentFactory, CoachingSessionFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)


def test_the_digest_lists_overdue_actions_and_quiet_entrepreneurs_once_a_week(django_capture_on_commit_callbacks):
    busy = CoachAssignmentFactory(coach__user__preferred_language="fr")
    ActionItem.objects.create(
        application=busy.application, title="Relancer la société de Liège", due_on=MONDAY - datetime.timedelta(days=3)
    )
    CoachingSessionFactory(application=busy.application, coach=busy.coach, held_on=MONDAY - datetime.timedelta(days=45))
    calm = CoachAssignmentFactory()
    CoachingSessionFactory(application=calm.application, coach=calm.coach, held_on=MONDAY - datetime.timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert coach_digests_send(today=MONDAY) == 1
        assert coach_digests_send(today=MONDAY) == 0  # beat fires twice
        assert coach_digests_send(today=MONDAY + datetime.timedelta(days=2)) == 0  # later the same week
    email = OutgoingEmail.objects.get()
    assert email.to == busy.coach.user.email
    assert "Relancer la société de Liège" in email.body and str(busy.application.entrepreneur) in email.body
    assert "/coach/" in email.body
    assert CoachDigest.objects.get().overdue_actions == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert coach_digests_send(today=MONDAY + datetime.timedelta(days=7)) == 1  # the next week
    assert OutgoingEmail.objects.count() == 2


def test_the_digest_is_in_the_coachs_language(django_capture_on_commit_callbacks):
    assignment = CoachAssignmentFactory(coach__user__preferred_language="en")
    ActionItem.objects.create(
        application=assignment.application, title="Send the pitch", due_on=MONDAY - datetime.timedelta(days=1)
    )
    coach_digests_send(today=MONDAY)
    email = OutgoingEmail.objects.get()
    assert "Overdue actions" in email.body and "Actions en retard" not in email.body
    assert " : " not in email.body
