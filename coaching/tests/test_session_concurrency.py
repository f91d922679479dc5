"""The same coaching form sent twice at the same moment (the offline form's retries racing, a double tap on
a slow connection): two requests, each in its own transaction and database connection, both past the
"already recorded?" check before either writes. One session is recorded, both answer without an error,
and the second gets the first one's session back (created=False).

On PostgreSQL (CI): SQLite's test database lives in memory with a shared cache, where a second writer fails
at once ("database table is locked") instead of waiting as it does on the SQLite file of the embedded
default, whose IMMEDIATE transactions make the two requests take turns anyway. With CI=true a missing
PostgreSQL fails the run."""

import datetime
import os
import threading
import uuid
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching import services
from coaching.models import ActionItem, CoachingSession
from coaching.tests.factories import CoachAssignmentFactory
from partners.tests.factories import EntrepreneurFactory


@pytest.mark.services
@pytest.mark.django_db(transaction=True)  # each thread commits through its own connection, as two requests do
def test_two_simultaneous_sends_of_one_form_record_one_session_and_neither_fails():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the tests do not run on PostgreSQL")
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL (two writers at the same moment)")
    assignment = CoachAssignmentFactory(
        application__entrepreneur=EntrepreneurFactory(user=UserFactory(roles=[Role.ENTREPRENEUR]))
    )
    token = uuid.uuid4()
    both_checked = threading.Barrier(2, timeout=10)
    real_is_assigned = services.coach_is_assigned

    def is_assigned_then_wait(**kwargs):
        # Called after the "already recorded?" look-up: both requests have found nothing when they go on.
        assigned = real_is_assigned(**kwargs)
        both_checked.wait()
        return assigned

    results, errors = [], []

    def send() -> None:
        try:
            with transaction.atomic():  # ATOMIC_REQUESTS: the request's own transaction around the service
                results.append(
                    services.coaching_session_log(
                        coach=assignment.coach,
                        application=assignment.application,
                        held_on=timezone.localdate() - datetime.timedelta(days=1),
                        duration_minutes=60,
                        summary="Séance au village",
                        actions=[services.ActionSpec(title="Appeler Liège", owner="entrepreneur", due_on=None)],
                        client_token=token,
                        by=assignment.coach.user,
                    )
                )
        except Exception as error:  # noqa: BLE001 - the test reports any error of either request
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(services, "coach_is_assigned", side_effect=is_assigned_then_wait):
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert CoachingSession.objects.filter(client_token=token).count() == 1
    assert ActionItem.objects.count() == 1  # the loser's action items were not written either
