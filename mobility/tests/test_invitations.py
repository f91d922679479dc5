"""Invitations to Belgian companies: the personal link (signed, expiring, single use, retired when sent
again), the three answers, the reminders (never twice), the response figures and the e-mail language."""

import datetime
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail, Role
from accounts.tests.factories import UserFactory
from core.links import LinkInvalid
from mobility.models import B2BMeeting, Invitation, InvitationStatus
from mobility.selectors_invitations import LINK_MAX_AGE, invitation_for_token, invitation_response_stats
from mobility.services_invitations import (
    InvitationAnswered,
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_refer,
    invitation_remind,
    invitation_reminders_due,
    invitation_send,
    invitations_remind,
)
from mobility.services_trips import b2b_meeting_schedule
from mobility.tests.factories import InvitationFactory, TripFactory
from mobility.tests.invitations_setup import brussels, sent_invitation, setting, slot
from partners.tests.factories import BelgianCompanyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def token_of(email: OutgoingEmail) -> str:
    return re.search(r"/invitation/([^/\s]+)/", email.body).group(1)


def company_emails(kind: str = "partner_link/invitation"):
    return OutgoingEmail.objects.filter(kind=kind).order_by("pk")


# --- The link ---------------------------------------------------------------------------------------


def test_the_e_mail_carries_a_signed_link_that_opens_this_invitation_only(settings):
    settings.SITE_URL = "http://localhost:8302"
    invitation = sent_invitation(setting())
    email = company_emails().get()
    assert email.to == invitation.email and "http://localhost:8302/invitation/" in email.body
    assert invitation_for_token(token_of(email)).pk == invitation.pk
    tampered = token_of(email)[:-2] + ("AA" if not token_of(email).endswith("AA") else "BB")
    with pytest.raises(LinkInvalid) as caught:
        invitation_for_token(tampered)
    assert caught.value.reason == "tampered"


def test_the_link_expires():
    start = 1_900_000_000.0
    with mock.patch("django.core.signing.time.time", return_value=start):
        sent_invitation(setting())
    token = token_of(company_emails().get())
    with mock.patch("django.core.signing.time.time", return_value=start + LINK_MAX_AGE.total_seconds() - 60):
        assert invitation_for_token(token)
    with (
        mock.patch("django.core.signing.time.time", return_value=start + LINK_MAX_AGE.total_seconds() + 60),
        pytest.raises(LinkInvalid) as caught,
    ):
        invitation_for_token(token)
    assert caught.value.reason == "expired"


def test_sending_again_retires_the_old_link():
    s = setting()
    invitation = sent_invitation(s)
    first = token_of(company_emails().get())
    invitation_send(invitation=invitation, by=s.staff)
    second = token_of(company_emails().last())
    with pytest.raises(LinkInvalid) as caught:
        invitation_for_token(first)
    assert caught.value.reason == "tampered"
    assert invitation_for_token(second).pk == invitation.pk


def test_an_answered_invitation_link_is_used():
    invitation = sent_invitation(setting())
    token = token_of(company_emails().get())
    invitation_decline(invitation=invitation, reason="strategy")
    with pytest.raises(LinkInvalid) as caught:
        invitation_for_token(token)
    assert caught.value.reason == "used"
    with pytest.raises(InvitationAnswered):
        invitation_decline(invitation=invitation, reason="strategy")


# --- Creating and sending ---------------------------------------------------------------------------


def test_slots_must_fall_within_the_trip_and_number_one_to_three():
    s = setting()
    contact = s.target.organisation.contacts.first()
    with pytest.raises(ValidationError) as outside:
        invitation_create(target=s.target, by=s.staff, contact=contact, slots=[slot(25, 10)])
    assert "pendant le voyage" in str(outside.value)
    with pytest.raises(ValidationError):
        invitation_create(target=s.target, by=s.staff, contact=contact, slots=[])
    with pytest.raises(ValidationError):
        invitation_create(target=s.target, by=s.staff, contact=contact, slots=[slot(11, h) for h in (9, 11, 13, 15)])
    assert not Invitation.objects.exists()


def test_the_language_defaults_to_the_contacts_and_a_company_is_invited_once_per_trip():
    s = setting(language="nl")
    invitation = sent_invitation(s)
    assert invitation.language == "nl" and invitation.email == s.target.organisation.contacts.first().email
    with pytest.raises(ValidationError, match="déjà invitée"):
        sent_invitation(s)


def test_the_entrepreneur_invites_only_when_staff_allow_it():
    s = setting()
    entrepreneur = s.plan.application.entrepreneur.user
    contact = s.target.organisation.contacts.first()
    with pytest.raises(PermissionDenied):
        invitation_create(target=s.target, by=entrepreneur, contact=contact, slots=[slot(11, 10)])
    s.plan.entrepreneur_may_invite = True
    s.plan.save()
    invitation = invitation_create(target=s.target, by=entrepreneur, contact=contact, slots=[slot(11, 10)])
    assert invitation_send(invitation=invitation, by=entrepreneur).status == InvitationStatus.SENT
    with pytest.raises(PermissionDenied):
        invitation_create(target=s.target, by=UserFactory(roles=[Role.ENTREPRENEUR]), contact=contact, slots=[slot(12, 10)])


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        ("fr", "Invitation à un rendez-vous d'affaires avec Awa", "Créneaux proposés"),
        ("nl", "Uitnodiging voor een zakelijke afspraak met Awa", "Voorgestelde tijdstippen"),
        ("en", "Invitation to a business meeting with Awa", "Proposed times"),
    ],
)
def test_the_company_reads_its_e_mails_in_its_language(language, subject, body):
    invitation = sent_invitation(setting(language=language))
    email = company_emails().get()
    assert email.language == language and subject in email.subject and body in email.body
    invitations_remind(now=invitation.sent_at + datetime.timedelta(days=3, minutes=1))
    reminder = company_emails("partner_link/invitation_reminder").get()
    assert reminder.language == language
    assert {"fr": "Rappel", "nl": "Herinnering", "en": "Reminder"}[language] in reminder.subject


# --- Answers ----------------------------------------------------------------------------------------


def test_accepting_a_slot_schedules_the_meeting_and_tells_the_entrepreneur_and_staff():
    s = setting()
    invitation = sent_invitation(s)
    chosen = invitation.slots.order_by("starts_at").last()
    meeting = invitation_accept(invitation=invitation, slot_id=chosen.pk)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.chosen_slot == chosen
    assert B2BMeeting.objects.get() == meeting
    assert (meeting.starts_at, meeting.ends_at, meeting.invitation, meeting.trip) == (
        chosen.starts_at,
        chosen.ends_at,
        invitation,
        s.trip,
    )
    notices = OutgoingEmail.objects.filter(kind="invitation_answered")
    assert {e.to for e in notices} == {s.plan.application.entrepreneur.email, s.staff.email}


def test_accepting_goes_through_b2b_meeting_schedule():
    invitation = sent_invitation(setting())
    with mock.patch("mobility.services_invitations.b2b_meeting_schedule", wraps=b2b_meeting_schedule) as schedule:
        invitation_accept(invitation=invitation, slot_id=invitation.slots.first().pk)
    assert schedule.call_count == 1 and schedule.call_args.kwargs["invitation"].pk == invitation.pk


def test_a_slot_taken_meanwhile_gives_a_clear_message_and_the_company_can_pick_another():
    s = setting()
    invitation = sent_invitation(s)
    first, second = invitation.slots.order_by("starts_at")
    other = BelgianCompanyFactory(name="Secret Competitor BV")
    b2b_meeting_schedule(trip=s.trip, organisation=other, starts_at=first.starts_at, ends_at=first.ends_at)
    with pytest.raises(ValidationError) as caught:
        invitation_accept(invitation=invitation, slot_id=first.pk)
    assert "vient d'être pris" in str(caught.value) and "Secret Competitor" not in str(caught.value)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT and invitation.answered_at is None
    assert invitation.slots.count() == 2
    invitation_accept(invitation=invitation, slot_id=second.pk)
    assert B2BMeeting.objects.filter(invitation=invitation).count() == 1


def test_declining_needs_a_reason_and_other_needs_words():
    invitation = sent_invitation(setting())
    with pytest.raises(ValidationError):
        invitation_decline(invitation=invitation, reason="")
    with pytest.raises(ValidationError):
        invitation_decline(invitation=invitation, reason="other", details="  ")
    invitation_decline(invitation=invitation, reason="other", details="Fermeture annuelle")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason, invitation.decline_details) == (
        "declined",
        "other",
        "Fermeture annuelle",
    )


def test_naming_a_colleague_creates_and_sends_them_an_invitation_with_the_same_slots():
    s = setting(language="nl")
    invitation = sent_invitation(s)
    colleague = invitation_refer(invitation=invitation, name="Jan Janssens", email="jan@koffie.example.be")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REFERRED and invitation.referred_email == "jan@koffie.example.be"
    assert colleague.referred_from == invitation and colleague.status == InvitationStatus.SENT
    assert colleague.organisation == invitation.organisation and colleague.language == "nl"
    assert [sl.starts_at for sl in colleague.slots.all()] == [sl.starts_at for sl in invitation.slots.all()]
    to_colleague = company_emails().get(to="jan@koffie.example.be")
    assert invitation_for_token(token_of(to_colleague)).pk == colleague.pk
    with pytest.raises(InvitationAnswered):
        invitation_refer(invitation=invitation, name="X", email="x@example.be")


# --- Reminders --------------------------------------------------------------------------------------


def test_reminders_at_three_and_seven_days_then_none_even_when_run_twice():
    invitation = sent_invitation(setting())
    sent = invitation.sent_at
    reminders = company_emails("partner_link/invitation_reminder")
    assert invitations_remind(now=sent + datetime.timedelta(days=2, hours=23)) == 0
    for _ in range(2):
        invitations_remind(now=sent + datetime.timedelta(days=3, hours=1))
    assert reminders.count() == 1
    for _ in range(2):
        invitations_remind(now=sent + datetime.timedelta(days=7, hours=1))
    assert reminders.count() == 2
    for days in (8, 14, 30):
        invitations_remind(now=sent + datetime.timedelta(days=days))
    assert reminders.count() == 2
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 2


def test_no_reminder_once_answered():
    invitation = sent_invitation(setting())
    invitation_decline(invitation=invitation, reason="too_late")
    assert invitations_remind(now=invitation.sent_at + datetime.timedelta(days=4)) == 0


def test_a_late_run_sends_one_reminder_not_two_at_once():
    invitation = sent_invitation(setting())
    assert invitations_remind(now=invitation.sent_at + datetime.timedelta(days=9)) == 1
    assert invitations_remind(now=invitation.sent_at + datetime.timedelta(days=9, hours=1)) == 0
    assert invitations_remind(now=invitation.sent_at + datetime.timedelta(days=10, hours=1)) == 1


def test_two_workers_reading_the_same_due_list_send_each_reminder_once():
    invitation = sent_invitation(setting())
    reminders = company_emails("partner_link/invitation_reminder")
    for days in (3, 7):
        now = invitation.sent_at + datetime.timedelta(days=days, hours=1)
        # Both workers read the due list before either sends: the stale read a race gives.
        first_worker, second_worker = invitation_reminders_due(now=now), invitation_reminders_due(now=now)
        assert first_worker == second_worker == [(invitation.pk, days // 4)]
        sent = [invitation_remind(pk=pk, reminders_sent=n, now=now) for pk, n in first_worker + second_worker]
        assert sent == [True, False]
    assert reminders.count() == 2
    assert invitation_reminders_due(now=invitation.sent_at + datetime.timedelta(days=60)) == []


# --- Response figures -------------------------------------------------------------------------------


def test_response_figures_per_relay_agency_and_cohort_agree_with_the_indicator():
    awex = OrganisationFactory(name="AWEX", kind="support_agency", country="BE")
    fit = OrganisationFactory(name="FIT", kind="support_agency", country="BE")
    s1 = setting(company_name="A NV", relay_agency=awex)
    s2 = setting(company_name="B NV", relay_agency=fit, application=s1.plan.application)
    s3 = setting(company_name="C NV", relay_agency=awex)
    answered = [sent_invitation(s) for s in (s1, s2, s3)]
    day = timezone.now()
    # Answered after 2 days (AWEX, cohort of s1) and 6 days (FIT, same cohort); s3's stays open.
    for invitation, days, status in ((answered[0], 2, "accepted"), (answered[1], 6, "declined")):
        Invitation.objects.filter(pk=invitation.pk).update(
            sent_at=day - datetime.timedelta(days=days), answered_at=day, status=status, decline_reason="strategy"
        )
    InvitationFactory(trip=TripFactory(application=s1.plan.application), status="draft")
    overall = invitation_response_stats(Invitation.objects.all())[0]
    assert (overall.sent, overall.answered, overall.accepted) == (3, 2, 1)
    assert overall.response_rate == Decimal("66.7") and overall.median_days == Decimal("4.0")
    by_agency = {row.label: row for row in invitation_response_stats(Invitation.objects.all(), by="relay_agency")}
    assert (by_agency["AWEX"].sent, by_agency["AWEX"].response_rate, by_agency["AWEX"].median_days) == (
        2,
        Decimal("50.0"),
        Decimal("2.0"),
    )
    assert (by_agency["FIT"].response_rate, by_agency["FIT"].median_days) == (Decimal("100.0"), Decimal("6.0"))
    by_cohort = {row.key: row for row in invitation_response_stats(Invitation.objects.all(), by="cohort")}
    assert by_cohort[s1.plan.application.cohort_id].response_rate == Decimal("100.0")
    assert by_cohort[s3.plan.application.cohort_id].response_rate == Decimal("0.0")


def test_the_beat_entry_runs_the_thin_task(settings):
    from mobility.tasks import invitations_remind_task

    assert settings.CELERY_BEAT_SCHEDULE["invitations-remind"]["task"] == invitations_remind_task.name
    sent_invitation(setting())
    assert invitations_remind_task() == 0


def test_answer_notices_link_to_the_plan_pages():
    s = setting(company_name="Gentse Koffiebranders NV")
    invitation = sent_invitation(s)
    invitation_accept(invitation=invitation, slot_id=invitation.slots.first().pk)
    to_staff = OutgoingEmail.objects.get(kind="invitation_answered", to=s.staff.email)
    assert reverse("mobility:plan_staff", args=[s.plan.application_id]) in to_staff.body
    assert "Gentse Koffiebranders NV" in to_staff.subject
    assert brussels(11, 10).day == 11


def test_an_invitation_unanswered_when_the_trip_begins_closes_and_its_link_expires():
    s = setting()
    invitation = sent_invitation(s)
    token = token_of(company_emails().get())
    departure = datetime.datetime.combine(s.trip.departs_on, datetime.time(8), tzinfo=datetime.UTC)
    assert invitations_remind(now=departure) == 0
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED
    with pytest.raises(LinkInvalid) as caught:
        invitation_for_token(token)
    assert caught.value.reason == "expired"


def test_the_three_figures_of_the_staff_list_are_those_read_one_by_one():
    from mobility.selectors_invitations import invitation_response_stats_all

    sent_at = timezone.now() - datetime.timedelta(days=4)
    for status, days in (("sent", None), ("accepted", 1), ("declined", 3), ("sent", None)):
        answered_at = sent_at + datetime.timedelta(days=days) if days else None
        InvitationFactory(status=status, sent_at=sent_at, answered_at=answered_at)
    invitations = Invitation.objects.all()

    together = invitation_response_stats_all(invitations)

    assert together["overall"] == invitation_response_stats(invitations)
    assert together["relay_agency"] == invitation_response_stats(invitations, by="relay_agency")
    assert together["cohort"] == invitation_response_stats(invitations, by="cohort")
