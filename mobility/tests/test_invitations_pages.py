"""The invitation pages: the company's page opened by its link (no account; in its language, with a
switch; bad links reveal nothing), the "Invitations" section of the plan pages, the invitation form and
staff's list with its response figures (constant query count)."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import OutgoingEmail, Role
from accounts.tests.factories import UserFactory
from coaching.tests.factories import CoachAssignmentFactory
from mobility.models import B2BMeeting, DeclineReason, Invitation, InvitationStatus
from mobility.partner_link import DECLINE_REASON_LABELS, SECTOR_LABELS
from mobility.services_invitations import invitation_send
from mobility.services_trips import b2b_meeting_schedule
from mobility.tests.factories import InvitationFactory, TripFactory
from mobility.tests.invitations_setup import sent_invitation, setting
from partners.models import Sector
from partners.tests.factories import BelgianCompanyFactory

pytestmark = pytest.mark.django_db


def link_path(email: OutgoingEmail) -> str:
    return re.search(r"(/invitation/[^/\s]+/)", email.body).group(1)


def opened(language="fr"):
    s = setting(language=language, company_name="Brugse Zeep BV")
    invitation = sent_invitation(s)
    return s, invitation, link_path(OutgoingEmail.objects.filter(kind="partner_link/invitation").last())


# --- The company's page -----------------------------------------------------------------------------


def test_the_page_says_who_invites_and_shows_the_slots_in_both_time_zones(client):
    s, invitation, path = opened()
    html = client.get(path).content.decode()
    company = s.plan.application.company
    assert company.name in html and "Awa" in html and s.plan.objectives in html
    assert "11 mars 2030, 10:00–11:00 heure de Bruxelles (09:00–10:00 à Dakar)" in html
    assert s.plan.application.entrepreneur.last_name not in html


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "Votre réponse"), ("nl", "Uw antwoord"), ("en", "Your answer")],
)
def test_the_page_is_in_the_invitations_language_and_the_switch_changes_it(client, language, text):
    _s, _invitation, path = opened(language=language)
    assert text in client.get(path).content.decode()
    assert "Uw antwoord" in client.get(path + "?lang=nl").content.decode()
    assert "Brusselse tijd" in client.get(path + "?lang=nl").content.decode()
    assert "Your answer" in client.get(path + "?lang=en").content.decode()


def test_accepting_on_the_page_books_the_meeting_and_the_link_is_then_used(client):
    s, invitation, path = opened()
    chosen = invitation.slots.order_by("starts_at").first()
    done = client.post(path, {"answer": "accept", "slot": chosen.pk, "lang": "fr"})
    assert done.status_code == 200 and "est confirmé" in done.content.decode()
    assert B2BMeeting.objects.get().starts_at == chosen.starts_at
    again = client.get(path)
    assert again.status_code == 410 and "Brugse Zeep" not in again.content.decode()
    assert client.post(path, {"answer": "decline", "reason": "strategy"}).status_code == 410


def test_a_slot_taken_meanwhile_is_explained_and_the_other_can_be_chosen(client):
    s, invitation, path = opened()
    first, second = invitation.slots.order_by("starts_at")
    b2b_meeting_schedule(
        trip=s.trip, organisation=BelgianCompanyFactory(name="Concurrent Caché"), starts_at=first.starts_at, ends_at=first.ends_at
    )
    page = client.post(path, {"answer": "accept", "slot": first.pk}).content.decode()
    assert "vient d&#x27;être pris" in page and "Concurrent Caché" not in page
    assert "n&#x27;est plus disponible" in page or "n'est plus disponible" in page
    assert client.post(path, {"answer": "accept", "slot": second.pk}).status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).chosen_slot == second


def test_declining_without_a_reason_is_refused_and_keeps_what_was_typed(client):
    _s, invitation, path = opened(language="en")
    page = client.post(path, {"answer": "decline", "details": "Busy all spring", "lang": "en"}).content.decode()
    assert "Tell us why you decline." in page and "Busy all spring" in page
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.SENT
    client.post(path, {"answer": "decline", "reason": "unavailable", "details": "Busy all spring"})
    assert Invitation.objects.get(pk=invitation.pk).decline_reason == DeclineReason.UNAVAILABLE


def test_naming_a_colleague_on_the_page_sends_them_the_invitation(client):
    _s, invitation, path = opened(language="nl")
    bad = client.post(path, {"answer": "refer", "name": "Jan", "email": "not-an-address"}).content.decode()
    assert "Dit e-mailadres is niet geldig." in bad and 'value="Jan"' in bad
    client.post(path, {"answer": "refer", "name": "Jan Peeters", "email": "jan@zeep.example.be"})
    colleague = Invitation.objects.get(referred_from=invitation)
    email = OutgoingEmail.objects.get(kind="partner_link/invitation", to="jan@zeep.example.be")
    assert email.language == "nl" and colleague.status == InvitationStatus.SENT
    assert client.get(link_path(email)).status_code == 200


@pytest.mark.parametrize("damage", ["tampered", "retired", "garbage"])
def test_a_bad_link_is_a_404_that_reveals_nothing(client, damage):
    s, invitation, path = opened()
    if damage == "tampered":
        token = path.split("/")[2]
        path = f"/invitation/{token[:-3]}{'xyz' if not token.endswith('xyz') else 'abc'}/"
    elif damage == "retired":
        invitation_send(invitation=invitation, by=s.staff)
    else:
        path = "/invitation/..%2F..%2Fetc/"
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Brugse Zeep" not in body and s.plan.application.company.name not in body and "Awa" not in body


def test_answers_are_posted_with_the_csrf_token():
    _s, invitation, path = opened()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(path, {"answer": "decline", "reason": "strategy"}).status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.SENT
    assert 'name="csrfmiddlewaretoken"' in strict.get(path).content.decode()


def test_the_labels_repeated_for_the_dutch_catalogue_match_the_models():
    assert {k: str(v) for k, v in SECTOR_LABELS.items()} == {k: str(v) for k, v in Sector.choices}
    assert {k: str(v) for k, v in DECLINE_REASON_LABELS.items()} == {k: str(v) for k, v in DeclineReason.choices}


# --- The plan pages and the invitation form ---------------------------------------------------------


def test_staff_invite_from_the_plan_and_see_the_status(client):
    s = setting(company_name="Luikse Stroop SA")
    client.force_login(s.staff)
    page = client.get(reverse("mobility:plan_staff", args=[s.plan.application_id])).content.decode()
    assert "Luikse Stroop SA" in page and "Pas encore invitée" in page
    url = reverse("mobility:invitation_new", args=[s.plan.application_id])
    contact = s.target.organisation.contacts.first()
    outside = client.post(
        url, {"target": s.target.pk, "contact": contact.pk, "slot_1_starts": "2030-04-01T10:00", "message": "Bonjour"}
    )
    assert "pendant le voyage" in outside.content.decode() and 'value="2030-04-01T10:00"' in outside.content.decode()
    assert not Invitation.objects.exists()
    response = client.post(
        url,
        {
            "target": s.target.pk,
            "contact": contact.pk,
            "slot_1_starts": "2030-03-11T10:00",
            "slot_1_minutes": 45,
            "slot_2_starts": "2030-03-12T15:30",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.status == InvitationStatus.SENT and invitation.created_by == s.staff
    first = invitation.slots.order_by("starts_at").first()
    assert first.starts_at == datetime.datetime(2030, 3, 11, 9, 0, tzinfo=datetime.UTC)  # 10:00 in Brussels (UTC+1)
    assert (first.ends_at - first.starts_at) == datetime.timedelta(minutes=45)
    page = client.get(reverse("mobility:plan_staff", args=[s.plan.application_id])).content.decode()
    assert "Envoyée" in page and "Renvoyer" in page


def test_the_entrepreneur_invites_only_once_staff_allow_it_and_the_coach_only_reads(client):
    s = setting()
    entrepreneur = s.plan.application.entrepreneur.user
    client.force_login(entrepreneur)
    edit = reverse("mobility:plan_edit", args=[s.plan.application_id])
    assert "Inviter une entreprise" not in client.get(edit).content.decode()
    assert client.get(reverse("mobility:invitation_new", args=[s.plan.application_id])).status_code == 404
    client.force_login(s.staff)
    client.post(reverse("mobility:plan_invitations_allow", args=[s.plan.application_id]), {"allowed": "1"})
    client.force_login(entrepreneur)
    assert "Inviter une entreprise" in client.get(edit).content.decode()
    assert client.get(reverse("mobility:invitation_new", args=[s.plan.application_id])).status_code == 200
    sent_invitation(s)
    coach = CoachAssignmentFactory(application=s.plan.application).coach.user
    client.force_login(coach)
    review = client.get(reverse("mobility:plan_review", args=[s.plan.application_id])).content.decode()
    assert "Envoyée" in review and "Inviter une entreprise" not in review and "Renvoyer" not in review


def test_another_entrepreneur_cannot_resend_or_invite(client):
    s = setting()
    s.plan.entrepreneur_may_invite = True
    s.plan.save()
    invitation = sent_invitation(s)
    client.force_login(UserFactory(roles=[Role.ENTREPRENEUR]))
    assert client.post(reverse("mobility:invitation_resend", args=[invitation.pk])).status_code == 404
    assert client.get(reverse("mobility:invitation_new", args=[s.plan.application_id])).status_code == 404


# --- Staff's list -----------------------------------------------------------------------------------


def _invitations(n: int) -> None:
    trip = TripFactory()
    for _ in range(n):
        InvitationFactory(trip=trip, status="sent", sent_at=datetime.datetime(2030, 1, 5, tzinfo=datetime.UTC))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_staff_list_costs_the_same_queries_at_3_and_30_rows(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    url = reverse("mobility:invitation_list")
    _invitations(3)
    at_three = _queries(client, url)
    _invitations(27)
    # session and user, cohorts and agencies of the filters, the page's count and rows, the figures
    # overall, per relay agency (and its names) and per cohort (and its names).
    assert _queries(client, url) == at_three


def test_the_staff_list_filters_and_shows_the_figures(client):
    s = setting(company_name="Filtre Test SA")
    sent_invitation(s)
    client.force_login(s.staff)
    url = reverse("mobility:invitation_list")
    page = client.get(url, {"status": "sent", "cohort": s.plan.application.cohort_id}).content.decode()
    assert "Filtre Test SA" in page and "Par agence relais" in page and "Taux de réponse" in page
    assert "Filtre Test SA" not in client.get(url, {"status": "accepted"}).content.decode()
    assert client.get(url, {"cohort": "abc", "page": "999"}).status_code == 200


@pytest.mark.parametrize(
    "answer", [{"answer": "decline", "reason": "strategy"}, {"answer": "refer", "name": "Jan", "email": "jan@zeep.example.be"}]
)
def test_an_invitation_closed_between_the_page_and_the_answer_shows_the_expired_page(client, answer):
    from unittest import mock

    from mobility import views_partner_link

    _s, invitation, path = opened(language="en")
    assert client.get(path).status_code == 200
    read_before = Invitation.objects.select_related("trip__application").get(pk=invitation.pk)
    # The invitation closes while the company's answer is on its way: the token check still saw it open.
    Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.EXPIRED)
    with mock.patch.object(views_partner_link, "invitation_for_token", return_value=read_before):
        page = client.post(path, {**answer, "lang": "en"})

    assert page.status_code == 404 and "This link has expired" in page.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.EXPIRED
