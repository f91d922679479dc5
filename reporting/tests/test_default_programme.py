"""The dashboard, the indicators and the selection analysis open on the programme with the most recent
activity (not the newest, still empty one), then on the person's last choice; the analysis never mixes
programmes."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

PAGES = ["reporting:dashboard", "reporting:indicators", "cohorts:selection_analysis"]


@pytest.fixture
def programmes():
    """A running programme with applications, and a newer one that starts later and is still empty."""
    running = ProgrammeFactory(code="RUN", starts_on=datetime.date(2023, 1, 1))
    ApplicationFactory(cohort=CohortFactory(programme=running), submitted=True)
    newest = ProgrammeFactory(code="NEW", starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2027, 12, 31))
    CohortFactory(programme=newest)
    return running, newest


def shown(response):
    context = response.context
    if "programme" in context and context["programme"] is not None and "analysis" not in context:
        return context["programme"]
    return context["filter"].form.cleaned_data["programme"]


@pytest.mark.parametrize("page", PAGES)
def test_it_opens_on_the_programme_with_the_most_recent_activity_then_the_last_choice(client, programmes, page):
    running, newest = programmes
    client.force_login(UserFactory(roles=[Role.STAFF]))
    url = reverse(page)

    assert shown(client.get(url)) == running
    assert shown(client.get(url, {"programme": newest.pk})) == newest
    assert shown(client.get(url)) == newest  # remembered


def test_the_selection_analysis_counts_one_programme_only(client, programmes):
    running, newest = programmes
    ApplicationFactory(cohort=CohortFactory(programme=newest), submitted=True)
    ApplicationFactory(cohort=CohortFactory(programme=newest), submitted=True)
    client.force_login(UserFactory(roles=[Role.STAFF]))

    running_page = client.get(reverse("cohorts:selection_analysis"), {"programme": running.pk})
    newest_page = client.get(reverse("cohorts:selection_analysis"), {"programme": newest.pk})

    assert running_page.context["analysis"].total.applied == 1
    assert newest_page.context["analysis"].total.applied == 2
    assert f"programme={newest.pk}" in newest_page.context["query"]
