"""What a coach may reach: the applications assigned to them while the assignment lasts, never the
entrepreneur's private documents."""

import pytest
from django.urls import reverse

from coaching.tests.factories import CoachAssignmentFactory
from cohorts.models import Application
from cohorts.tests.factories import ApplicationDocumentFactory, ApplicationFactory
from partners.tests.factories import CoachFactory

pytestmark = pytest.mark.django_db


def test_a_coach_sees_the_entrepreneurs_assigned_to_them_while_the_assignment_lasts():
    assignment = CoachAssignmentFactory()
    ApplicationFactory(submitted=True)
    coach_user = assignment.coach.user

    assert list(Application.objects.for_user(coach_user)) == [assignment.application]

    assignment.ended_on = assignment.assigned_on
    assignment.save()
    assert list(Application.objects.for_user(coach_user)) == []


def test_a_coach_gets_a_404_on_a_document_assigned_or_not(client):
    document = ApplicationDocumentFactory()
    url = reverse("cohorts:application_document_download", kwargs={"pk": document.application.pk, "document_pk": document.pk})
    coach = CoachFactory()
    client.force_login(coach.user)
    assert client.get(url).status_code == 404
    CoachAssignmentFactory(application=document.application, coach=coach)
    assert client.get(url).status_code == 404
