"""A selected entrepreneur's home page gathers what follows the selection from every app: coaching
sessions and open actions, the mobility plan's state, the visa file, the trips."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching.models import ActionItem
from coaching.tests.factories import CoachAssignmentFactory, CoachingSessionFactory
from cohorts.tests.factories import SelectionDecisionFactory
from mobility.tests.factories import MobilityPlanFactory, VisaFileFactory
from partners.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment():
    entrepreneur = EntrepreneurFactory(user=UserFactory(roles=[Role.ENTREPRENEUR]))
    return CoachAssignmentFactory(application__entrepreneur=entrepreneur, is_lead=True)


def test_a_selected_entrepreneurs_home_page_shows_coaching_plan_and_visa(client, assignment):
    application = assignment.application
    application.status = "selected"
    application.save(update_fields=["status"])
    SelectionDecisionFactory(application=application, outcome="selected", notified_at=timezone.now())
    CoachingSessionFactory(application=application, coach=assignment.coach)
    ActionItem.objects.create(application=application, title="Envoyer le pitch")
    MobilityPlanFactory(application=application)
    VisaFileFactory(application=application)
    client.force_login(application.entrepreneur.user)
    page = client.get("/").content.decode()
    assert "1 séance" in page and "1 action ouverte" in page
    assert reverse("mobility:plan_edit", args=[application.pk]) in page and "Brouillon" in page
    assert "Visa" in page
