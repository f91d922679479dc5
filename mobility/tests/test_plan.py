"""The mobility plan: the entrepreneur drafts it with Belgian companies on record or proposed, submits
it; their coach approves it or sends it back with a comment; staff see each plan's state; nobody else
reaches it."""

import pytest
from django.urls import reverse

from accounts.models import OutgoingEmail, Role
from accounts.tests.factories import UserFactory
from coaching.tests.factories import CoachAssignmentFactory
from mobility.models import MobilityPlan, PlanStatus
from partners.models import OrganisationKind
from partners.tests.factories import CoachFactory, EntrepreneurFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment():
    user = UserFactory(roles=[Role.ENTREPRENEUR])
    return CoachAssignmentFactory(application__entrepreneur=EntrepreneurFactory(user=user), application__status="selected")


def plan_data(company, **overrides):
    data = {
        "objectives": "Trouver un distributeur de noix de cajou à Anvers.",
        "sectors": ["agrifood"],
        "preferred_from": "2027-03-01",
        "preferred_until": "2027-03-15",
        "agenda_wishes": "Pas le vendredi.",
        "target_1_organisation": company.pk,
        "target_1_name": "",
        "target_1_reason": "Importateur de fruits secs",
        "target_2_organisation": "",
        "target_2_name": "Cashew Trading BV",
        "target_2_reason": "",
    }
    data.update(overrides)
    return data


def test_the_plan_from_draft_to_approval(client, assignment):
    company = OrganisationFactory(kind=OrganisationKind.BELGIAN_COMPANY, name="Antwerp Dry Fruits NV")
    entrepreneur = assignment.application.entrepreneur.user
    client.force_login(entrepreneur)
    url = reverse("mobility:plan_edit", args=[assignment.application_id])
    assert client.get(url).status_code == 200
    both = client.post(url, plan_data(company, target_1_name="Autre nom"))
    assert "pas les deux" in both.content.decode() and not MobilityPlan.objects.exists()
    client.post(url, {**plan_data(company), "submit": "1"})
    plan = MobilityPlan.objects.get()
    assert plan.status == PlanStatus.SUBMITTED
    to_coach = OutgoingEmail.objects.get(kind="plan_submitted")
    assert (
        to_coach.to == assignment.coach.user.email
        and reverse("mobility:plan_review", args=[plan.application_id]) in to_coach.body
    )
    assert [str(t) for t in plan.targets.all()] == ["Antwerp Dry Fruits NV", "Cashew Trading BV"]
    assert "ne se modifie plus" in client.post(url, plan_data(company, objectives="x"), follow=True).content.decode()
    assert MobilityPlan.objects.get().objectives != "x"

    client.force_login(assignment.coach.user)
    review = reverse("mobility:plan_review", args=[assignment.application_id])
    page = client.get(review).content.decode()
    assert "Anvers" in page and "Cashew Trading BV" in page and "agrifood" not in page
    refused = client.post(review, {"return": "1", "comment": ""})
    assert "ce qu&#x27;il faut revoir" in refused.content.decode()
    client.post(review, {"return": "1", "comment": "Ajoutez une entreprise à Liège."})
    assert MobilityPlan.objects.get().status == PlanStatus.CHANGES_REQUESTED
    returned = OutgoingEmail.objects.get(kind="plan_reviewed")
    assert returned.to == assignment.application.entrepreneur.email and "Ajoutez une entreprise à Liège." in returned.body

    client.force_login(entrepreneur)
    assert "Ajoutez une entreprise à Liège." in client.get(url).content.decode()
    client.post(url, {**plan_data(company, target_3_name="Liège Foods SA"), "submit": "1"})
    client.force_login(assignment.coach.user)
    client.post(review, {"approve": "1", "comment": "Très bien."})
    plan = MobilityPlan.objects.get()
    assert plan.status == PlanStatus.VALIDATED and plan.validated_by == assignment.coach.user and plan.targets.count() == 3

    staff = UserFactory(roles=[Role.STAFF])
    client.force_login(staff)
    listing = client.get(reverse("mobility:plan_list"), {"cohort": assignment.application.cohort_id}).content.decode()
    assert str(assignment.application.entrepreneur) in listing and "Validé" in listing


def test_submitting_an_empty_plan_says_what_is_missing(client, assignment):
    client.force_login(assignment.application.entrepreneur.user)
    response = client.post(reverse("mobility:plan_edit", args=[assignment.application_id]), {"submit": "1"})
    assert "Avant de soumettre" in response.content.decode()
    assert MobilityPlan.objects.get().status == PlanStatus.DRAFT


def test_another_coach_or_entrepreneur_reaches_nothing(client, assignment):
    client.force_login(CoachFactory().user)
    assert client.get(reverse("mobility:plan_review", args=[assignment.application_id])).status_code == 404
    other = UserFactory(roles=[Role.ENTREPRENEUR])
    EntrepreneurFactory(user=other)
    client.force_login(other)
    assert client.get(reverse("mobility:plan_edit", args=[assignment.application_id])).status_code == 404


def test_a_malformed_cohort_in_the_staff_list_is_ignored(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    assert client.get(reverse("mobility:plan_list"), {"cohort": "abc"}).status_code == 200


def test_a_long_staff_list_of_plans_is_paginated_with_the_whole_cohorts_counts(client):
    from cohorts.models import ApplicationStatus
    from cohorts.tests.factories import ApplicationFactory, CohortFactory

    cohort = CohortFactory()
    applications = [ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.SELECTED) for _ in range(60)]
    MobilityPlan.objects.create(application=applications[0])
    client.force_login(UserFactory(roles=[Role.STAFF]))
    url = reverse("mobility:plan_list")

    first, second = client.get(url, {"cohort": cohort.pk}), client.get(url, {"cohort": cohort.pk, "page": 2})

    assert (len(first.context["applications"]), len(second.context["applications"])) == (50, 10)
    listed = {a.pk for a in list(first.context["applications"]) + list(second.context["applications"])}
    assert listed == {a.pk for a in applications}
    assert second.context["counts"] == {"Brouillon": 1, "Pas encore commencé": 59}
    assert f"?cohort={cohort.pk}&amp;page=2" in first.content.decode()
