"""The coach portal: a coach logs sessions with action items for the entrepreneurs assigned to them,
and nobody else's; a form sent twice records one session; bad input is refused with a message; the
entrepreneur sees summaries (never the private notes) and ticks their actions; constant query counts."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching.models import ActionItem, CoachingSession
from coaching.tests.factories import CoachAssignmentFactory, CoachingSessionFactory
from partners.tests.factories import CoachFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "held_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "duration_minutes": "90",
        "kind": "individual",
        "topic_tags": ["pitch", "partners"],
        "summary": "Pitch répété, liste de partenaires revue.",
        "private_notes": "Hésite entre deux marchés.",
        "action_1_title": "Envoyer le pitch à Liège",
        "action_1_owner": "entrepreneur",
        "action_1_due": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "action_2_title": "",
        "action_2_owner": "coach",
        "action_2_due": "",
        "client_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def assignment():
    entrepreneur = EntrepreneurFactory(user=UserFactory(roles=[Role.ENTREPRENEUR]))
    return CoachAssignmentFactory(application__entrepreneur=entrepreneur, is_lead=True)


def test_a_coach_logs_a_session_with_an_action_and_a_second_send_records_nothing_more(client, assignment):
    client.force_login(assignment.coach.user)
    url = reverse("coaching:session_log", args=[assignment.application_id])
    assert client.get(url).status_code == 200
    data = form_data()
    response = client.post(url, data)
    assert response.status_code == 302
    session = CoachingSession.objects.get()
    assert (
        session.duration_minutes == 90
        and session.topic_tags == ["pitch", "partners"]
        and session.logged_by == assignment.coach.user
    )
    action = ActionItem.objects.get()
    assert action.session == session and action.owner == "entrepreneur" and action.title == "Envoyer le pitch à Liège"
    again = client.post(url, data, follow=True)  # the retry after a dropped connection
    assert CoachingSession.objects.count() == 1 and ActionItem.objects.count() == 1
    assert "déjà enregistrée" in again.content.decode()
    home = client.get(reverse("coaching:coach_home")).content.decode()
    assert "1 séance" in home and "1 action ouverte" in home and "Envoyer le pitch" in home


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("held_on", (timezone.localdate() + datetime.timedelta(days=2)).isoformat(), "dans le futur"),
        ("held_on", "2019-01-01", "plus d&#x27;un an"),
        ("duration_minutes", "-30", "Sélectionnez un choix valide"),
        ("duration_minutes", "100000", "Sélectionnez un choix valide"),
        ("action_1_due", "2020-01-01", "ne peut précéder la séance"),
        ("kind", "party", "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, assignment, field, value, message):
    client.force_login(assignment.coach.user)
    response = client.post(reverse("coaching:session_log", args=[assignment.application_id]), form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CoachingSession.objects.exists() and not ActionItem.objects.exists()


def test_coach_b_reaches_nothing_of_coach_a(client, assignment):
    session = CoachingSessionFactory(coach=assignment.coach, application=assignment.application)
    other = CoachFactory()
    client.force_login(other.user)
    application_pk = assignment.application_id
    assert client.get(reverse("coaching:coach_entrepreneur", args=[application_pk])).status_code == 404
    assert client.get(reverse("coaching:session_log", args=[application_pk])).status_code == 404
    assert client.post(reverse("coaching:session_log", args=[application_pk]), form_data()).status_code == 404
    assert client.get(reverse("coaching:session_edit", args=[session.pk])).status_code == 404
    assert "Aucun·e entrepreneur·e" in client.get(reverse("coaching:coach_home")).content.decode()
    assert CoachingSession.objects.count() == 1
    # Re-sending coach A's form token does not hand coach A's session to coach B either.
    session.client_token = uuid.uuid4()
    session.save()
    CoachAssignmentFactory(coach=other, application=assignment.application)
    response = client.post(
        reverse("coaching:session_log", args=[application_pk]), form_data(client_token=str(session.client_token))
    )
    assert response.status_code == 404


def test_a_coach_edits_their_session_and_the_history_keeps_the_old_version(client, assignment):
    session = CoachingSessionFactory(coach=assignment.coach, application=assignment.application, duration_minutes=60)
    client.force_login(assignment.coach.user)
    data = form_data(duration_minutes="120")
    response = client.post(reverse("coaching:session_edit", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.duration_minutes == 120
    assert sorted(session.history.values_list("duration_minutes", flat=True)) == [60, 120]


def test_the_entrepreneur_sees_summaries_not_private_notes_and_ticks_an_action(client, assignment):
    client.force_login(assignment.coach.user)
    client.post(reverse("coaching:session_log", args=[assignment.application_id]), form_data())
    entrepreneur = assignment.application.entrepreneur.user
    client.force_login(entrepreneur)
    page = client.get(reverse("coaching:my_coaching")).content.decode()
    assert "Pitch répété" in page and "Hésite entre deux marchés" not in page
    action = ActionItem.objects.get()
    assert client.post(reverse("coaching:action_toggle", args=[action.pk]), {"done": "1"}).status_code == 302
    action.refresh_from_db()
    assert action.done_at is not None and action.done_by == entrepreneur
    session = CoachingSession.objects.get()
    assert client.get(reverse("coaching:session_edit", args=[session.pk])).status_code == 404
    other = UserFactory(roles=[Role.ENTREPRENEUR])
    EntrepreneurFactory(user=other)
    client.force_login(other)
    assert client.post(reverse("coaching:action_toggle", args=[action.pk]), {"done": "0"}).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_coach_portal_keeps_a_constant_query_count(client, django_assert_max_num_queries, count):
    coach = CoachFactory()
    for _n in range(count):
        assignment = CoachAssignmentFactory(coach=coach)
        CoachingSessionFactory(coach=coach, application=assignment.application)
        ActionItem.objects.create(application=assignment.application, title="Relancer")
    client.force_login(coach.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("coaching:coach_home"))
    assert response.content.decode().count("Noter une séance") == count
