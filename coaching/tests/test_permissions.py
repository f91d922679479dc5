"""The role groups hold the coaching permissions granted by `coaching/migrations/0002_role_permissions.py`
(they moved with the models from `cohorts`): a coach logs sessions, an entrepreneur reads them."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def codenames(role: str, app_label: str) -> set[str]:
    return set(
        Group.objects.get(name=role).permissions.filter(content_type__app_label=app_label).values_list("codename", flat=True)
    )


def test_coaches_may_log_sessions_and_read_assignments_and_events():
    assert codenames("coach", "coaching") == {
        "view_coachassignment",
        "add_coachingsession",
        "change_coachingsession",
        "view_coachingsession",
        "view_groupevent",
        "view_eventattendance",
    }


def test_entrepreneurs_read_their_sessions_and_events_only():
    assert codenames("entrepreneur", "coaching") == {"view_coachingsession", "view_groupevent"}


def test_staff_hold_every_coaching_permission_and_other_roles_none():
    assert len(codenames("staff", "coaching")) == 4 * 4
    for role in ("reviewer", "committee", "evaluator"):
        assert codenames(role, "coaching") == set()
