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


@pytest.fixture
def staff_client(client):
    staff = UserFactory(roles=[Role.STAFF])
    client.force_login(staff)
    client.staff = staff
    return client


@pytest.mark.parametrize("role", Role.values)
def test_staff_cannot_choose_the_password_of_anybody_else(staff_client, role):
    other = UserFactory(roles=[role])

    page = staff_client.get(reverse("admin:accounts_user_change", args=[other.pk]))
    shown = [field for _name, options in page.context["adminform"].fieldsets for field in options["fields"]]
    assert "password" not in shown
    assert "../password/" not in page.content.decode()
    response = staff_client.post(
        reverse("admin:auth_user_password_change", args=[other.pk]),
        {"password1": "Taken-over-2026!", "password2": "Taken-over-2026!", "usable_password": "true"},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert not other.check_password("Taken-over-2026!")


def test_staff_change_their_own_password_in_the_admin(staff_client):
    own = reverse("admin:auth_user_password_change", args=[staff_client.staff.pk])
    assert staff_client.get(own).status_code == 200


def test_staff_send_a_reset_link_instead(staff_client, mailoutbox, django_capture_on_commit_callbacks):
    committee, evaluator = UserFactory(roles=[Role.COMMITTEE]), UserFactory(roles=[Role.EVALUATOR])
    superuser = UserFactory(is_superuser=True, is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_password_link", "_selected_action": [committee.pk, evaluator.pk, superuser.pk]},
        )

    assert response.status_code == 302
    # Not to a superuser: staff do not act on the most privileged accounts.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([committee.email, evaluator.email])
    link = next(m.body for m in mailoutbox if m.to == [committee.email])
    path = link[link.index("/accounts/password/reset/") :].split()[0]
    # The link works: the person chooses their own password with it.
    staff_client.logout()
    form_page = staff_client.get(path, follow=True)
    staff_client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Comite-Dakar-2026", "new_password2": "Comite-Dakar-2026"}
    )
    committee.refresh_from_db()
    assert committee.check_password("Comite-Dakar-2026")
    assert OutgoingEmail.objects.filter(kind="password_link").count() == 2
