"""The back office of coaching: the application's change page carries the coach-assignment inline
(added by this app to the cohorts app's admin), and a coach assigned there is attributed to the staff
member who saved the form."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching.models import CoachAssignment
from cohorts.tests.factories import ApplicationFactory
from partners.tests.factories import CoachFactory

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """The POST data of an admin change form as it was shown: every field's value, and each inline
    formset's management form with its existing rows."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for index, row in enumerate(formset.initial_forms):
            for name in row.fields:
                value = row[name].value()
                if value is not None:
                    data[f"{formset.prefix}-{index}-{name}"] = value
    return {key: value for key, value in data.items() if value is not None}


def test_a_coach_assigned_on_the_application_page_is_attributed_to_the_staff_member(client):
    staff = UserFactory(roles=[Role.STAFF], is_staff=True, is_superuser=True)
    client.force_login(staff)
    application = ApplicationFactory(submitted=True)
    coach = CoachFactory()
    url = reverse("admin:cohorts_application_change", args=[application.pk])
    shown = client.get(url)
    assert "coach_assignments-TOTAL_FORMS" in shown.content.decode()

    data = form_data(shown)
    data.update(
        {
            "coach_assignments-TOTAL_FORMS": "1",
            "coach_assignments-0-coach": str(coach.pk),
            "coach_assignments-0-assigned_on": "02/05/2023",
            "coach_assignments-0-application": str(application.pk),
        }
    )
    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    assignment = CoachAssignment.objects.get(application=application)
    assert (assignment.coach, assignment.assigned_by) == (coach, staff)
