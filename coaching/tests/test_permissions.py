"""Model permissions are for the admin, and only staff hold them (reporting/migrations/0007): the site
checks roles, so a coach logs sessions and an entrepreneur reads them without any model permission."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Role

pytestmark = pytest.mark.django_db


def codenames(role: str, app_label: str) -> set[str]:
    return set(
        Group.objects.get(name=role).permissions.filter(content_type__app_label=app_label).values_list("codename", flat=True)
    )


def test_staff_hold_every_coaching_permission():
    assert (
        len(codenames("staff", "coaching")) == 7 * 4
    )  # four actions on seven models (sessions history, action items, weekly reminders too)


@pytest.mark.parametrize("role", [role for role in Role.values if role != Role.STAFF])
def test_other_roles_hold_no_permission_at_all(role):
    assert Group.objects.get(name=role).permissions.count() == 0
