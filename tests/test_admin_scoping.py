"""Admin scoping: a person of a role other than staff who is given "staff status" by mistake sees nothing in
the admin (their roles hold no model permission); staff send a password link, never choose a password for
somebody else."""

import pytest
from django.urls import reverse

from accounts.models import OutgoingEmail, Role, User
from accounts.tests.factories import UserFactory
from mobility.tests.factories import VisaFileFactory

pytestmark = pytest.mark.django_db

NON_STAFF_ROLES = [role for role in Role.values if role != Role.STAFF]


@pytest.mark.parametrize("role", NON_STAFF_ROLES)
def test_a_non_staff_role_ticked_staff_by_mistake_sees_no_model_in_the_admin(client, role):
    person = UserFactory(roles=[role])
    User.objects.filter(pk=person.pk).update(is_staff=True)
    visa_file = VisaFileFactory()
    client.force_login(person)

    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert index.context["app_list"] == []
    assert client.get(reverse("admin:mobility_visafile_changelist")).status_code == 403
    assert client.get(reverse("admin:mobility_visafile_change", args=[visa_file.pk])).status_code == 403
    assert client.get(reverse("admin:cohorts_application_changelist")).status_code == 403
    person = User.objects.get(pk=person.pk)
    assert person.get_all_permissions() == set()
