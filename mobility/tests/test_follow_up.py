"""Follow-up check-ins: scheduled once per programme offset whatever the number (or concurrency) of
calls, sent once per step by the beat, answered with clear refusals of bad input, and stage changes
proposed by answers moved by staff with their name on it."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from accounts.models import OutgoingEmail, Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus, Programme
from cohorts.tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory
from core.links import LinkInvalid
from mobility.models import (
    CheckInGroup,
    CheckInStatus,
    FollowUpCheckIn,
    PartnerCheckIn,
    PartnershipStage,
    StageProposal,
    StageProposalStatus,
    TripStatus,
)
from mobility.services import partnership_create
from mobility.services_follow_up import (
    PartnershipAnswer,
    add_months,
    check_in_answer,
    check_ins_close_missed,
    check_ins_schedule,
    check_ins_schedule_missing,
    check_ins_send_due,
    comparison_group_schedule,
    partner_check_in_answer,
    partner_check_in_open,
    partner_link_token,
    stage_proposal_accept,
    stage_proposal_reject,
)
from mobility.tests.factories import TripFactory
from partners.tests.factories import BelgianCompanyFactory, OrganisationContactFactory

pytestmark = pytest.mark.django_db

RETURN = datetime.date(2023, 5, 24)


def completed_trip(programme: Programme | None = None, **kwargs):
    cohort = CohortFactory(programme=programme) if programme else CohortFactory()
    application = ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.SELECTED)
    return TripFactory(application=application, status=TripStatus.COMPLETED, returns_on=RETURN, **kwargs)


def partnership_with_contact(application, language="nl"):
    company = BelgianCompanyFactory()
    OrganisationContactFactory(organisation=company, language=language)
    return partnership_create(application=application, organisation=company, type="export", started_on=datetime.date(2023, 5, 17))


# --- Scheduling ---------------------------------------------------------------------------------


def test_a_completed_trip_gets_one_check_in_per_offset_counted_from_the_return():
    trip = completed_trip()

    check_ins_schedule(trip=trip)

    rows = FollowUpCheckIn.objects.filter(application=trip.application).order_by("months_after")
    assert [(c.months_after, c.due_on, c.anchor, c.group) for c in rows] == [
        (1, datetime.date(2023, 6, 24), RETURN, "participant"),
        (3, datetime.date(2023, 8, 24), RETURN, "participant"),
        (6, datetime.date(2023, 11, 24), RETURN, "participant"),
        (12, datetime.date(2024, 5, 24), RETURN, "participant"),
    ]


def test_scheduling_three_times_creates_the_check_ins_once():
    trip = completed_trip()
    partnership_with_contact(trip.application)

    created = [check_ins_schedule(trip=trip) for _ in range(3)]

    assert created == [8, 0, 0]
    assert FollowUpCheckIn.objects.filter(application=trip.application).count() == 4
    assert PartnerCheckIn.objects.filter(partnership__application=trip.application).count() == 4


def test_the_offsets_are_the_programmes():
    programme = ProgrammeFactory(check_in_months=[2, 9, 24])
    trip = completed_trip(programme)

    check_ins_schedule(trip=trip)

    rows = FollowUpCheckIn.objects.filter(application=trip.application).order_by("months_after")
    assert [(c.months_after, c.due_on) for c in rows] == [
        (2, datetime.date(2023, 7, 24)),
        (9, datetime.date(2024, 2, 24)),
        (24, datetime.date(2025, 5, 24)),
    ]


@pytest.mark.parametrize(
    ("months", "problem"),
    [
        ([], "blank"),
        (["x"], "check_in_months_invalid"),
        ([0, 3], "not_positive"),
        ([6, 3], "not_increasing"),
        ([3, 3], "not_increasing"),
        ([1, 40], "too_late"),
        ([1, 3, 12], "without_comparison"),
        ([1, 6], "without_comparison"),
    ],
)
def test_a_programme_refuses_offsets_that_are_not_positive_increasing_and_within_36_months(months, problem):
    programme = ProgrammeFactory.build(check_in_months=months)

    with pytest.raises(ValidationError) as caught:
        programme.full_clean(exclude=["watched_region_group", "code"])

    codes = [e.code for e in caught.value.error_dict["check_in_months"]]
    assert problem in codes or f"check_in_months_{problem}" in codes


def test_a_programme_without_the_comparison_milestones_is_told_which_ones_in_its_language():
    from django.utils import translation

    programme = ProgrammeFactory.build(check_in_months=[1, 3])
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        programme.full_clean(exclude=["watched_region_group", "code"])

    assert "must include 6 and 12 months" in caught.value.message_dict["check_in_months"][0]


def test_the_admin_form_reads_and_writes_the_offsets_as_typed_text():
    from cohorts.models.programmes import MonthOffsetsFormField

    field = MonthOffsetsFormField()
    assert field.prepare_value([1, 3, 6, 12]) == "1, 3, 6, 12"
    assert field.clean("+1; 3, 6 ,12") == [1, 3, 6, 12]
    with pytest.raises(ValidationError):
        field.clean("un, trois")


def test_a_planned_trip_schedules_nothing():
    trip = completed_trip()
    trip.status = TripStatus.PLANNED

    assert check_ins_schedule(trip=trip) == 0
    assert not FollowUpCheckIn.objects.exists()


def test_a_month_end_return_falls_on_the_last_day_of_shorter_months():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2023, 11, 30), 3) == datetime.date(2024, 2, 29)


def test_the_daily_beat_schedules_completed_trips_that_have_none_yet_and_only_once():
    trip = completed_trip()
    TripFactory(status=TripStatus.PLANNED)

    first = check_ins_schedule_missing()
    second = check_ins_schedule_missing()

    assert first == 4 and second == 0
    assert FollowUpCheckIn.objects.filter(application=trip.application).count() == 4


def test_a_partnership_recorded_after_the_first_schedule_gets_its_partner_check_ins_from_the_beat():
    trip = completed_trip()
    check_ins_schedule(trip=trip)
    partnership = partnership_with_contact(trip.application)

    check_ins_schedule_missing()

    assert PartnerCheckIn.objects.filter(partnership=partnership).count() == 4
    assert FollowUpCheckIn.objects.filter(application=trip.application).count() == 4


def _race_two_schedules():
    trip = completed_trip()
    partnership_with_contact(trip.application)
    barrier = threading.Barrier(2)
    errors = []

    def schedule():
        try:
            barrier.wait(timeout=10)
            check_ins_schedule(trip=trip)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=schedule) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert FollowUpCheckIn.objects.filter(application=trip.application).count() == 4
    assert PartnerCheckIn.objects.filter(partnership__application=trip.application).count() == 4


def test_rows_inserted_meanwhile_by_a_concurrent_schedule_cause_no_integrity_error():
    """What the loser of a race meets: some rows already written by the other transaction. The unique
    constraints keep one of each and the conflicting inserts are ignored, not raised."""
    trip = completed_trip()
    partnership = partnership_with_contact(trip.application)
    FollowUpCheckIn.objects.create(application=trip.application, months_after=3, due_on=datetime.date(2023, 8, 24))
    PartnerCheckIn.objects.create(
        partnership=partnership, email="x@example.be", months_after=6, due_on=datetime.date(2023, 11, 24)
    )

    assert check_ins_schedule(trip=trip) == 6

    assert FollowUpCheckIn.objects.filter(application=trip.application).count() == 4
    assert PartnerCheckIn.objects.filter(partnership=partnership).count() == 4


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_schedules_on_postgresql_create_each_check_in_once():
    """Two threads, each with its own PostgreSQL connection, schedule the same trip at the same moment
    (SQLite's in-memory test database cannot be shared by threads: there, the test above)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    _race_two_schedules()


def test_the_comparison_group_is_the_consenting_eligible_not_selected_asked_at_6_and_12_months():
    cohort = CohortFactory(travel_starts_on=datetime.date(2023, 5, 1), travel_ends_on=datetime.date(2023, 6, 30))
    asked = ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.REJECTED, follow_up_consent=True)
    ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.REJECTED, follow_up_consent=False)
    ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.INELIGIBLE, follow_up_consent=True)
    ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.SELECTED, follow_up_consent=True)

    assert comparison_group_schedule(cohort=cohort) == 2
    assert comparison_group_schedule(cohort=cohort) == 0

    rows = FollowUpCheckIn.objects.order_by("months_after")
    assert [(c.application_id, c.months_after, c.due_on, c.group) for c in rows] == [
        (asked.pk, 6, datetime.date(2023, 12, 30), CheckInGroup.COMPARISON),
        (asked.pk, 12, datetime.date(2024, 6, 30), CheckInGroup.COMPARISON),
    ]


def test_the_comparison_group_is_only_applicants_whose_non_selection_is_final_after_the_travel_window():
    cohort = CohortFactory(travel_starts_on=datetime.date(2023, 5, 1), travel_ends_on=datetime.date(2023, 6, 30))
    final = {
        status: ApplicationFactory(cohort=cohort, submitted=True, status=status, follow_up_consent=True)
        for status in (ApplicationStatus.REJECTED, ApplicationStatus.WAITLISTED)
    }
    for status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SHORTLISTED):
        ApplicationFactory(cohort=cohort, submitted=True, status=status, follow_up_consent=True)

    assert comparison_group_schedule(cohort=cohort, today=datetime.date(2023, 6, 29)) == 0
    assert comparison_group_schedule(cohort=cohort, today=datetime.date(2023, 6, 30)) == 4
    assert set(FollowUpCheckIn.objects.values_list("application_id", flat=True)) == {a.pk for a in final.values()}


def test_a_waitlisted_applicant_selected_and_travelling_gets_the_participants_series_instead_of_the_comparison():
    trip = completed_trip()
    application = trip.application
    FollowUpCheckIn.objects.create(
        application=application, months_after=6, due_on=datetime.date(2024, 1, 1), group=CheckInGroup.COMPARISON
    )

    check_ins_schedule(trip=trip)

    rows = FollowUpCheckIn.objects.filter(application=application)
    assert set(rows.values_list("group", flat=True)) == {CheckInGroup.PARTICIPANT}
    assert list(rows.order_by("months_after").values_list("months_after", flat=True)) == list(
        application.cohort.programme.check_in_months
    )


@pytest.mark.parametrize(
    "change", [{"status": ApplicationStatus.SELECTED}, {"status": ApplicationStatus.WITHDRAWN}, {"follow_up_consent": False}]
)
def test_a_comparison_questionnaire_is_not_sent_once_the_applicant_left_the_group(change, django_capture_on_commit_callbacks):
    cohort = CohortFactory(travel_starts_on=datetime.date(2023, 5, 1), travel_ends_on=datetime.date(2023, 6, 30))
    kept = ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.WAITLISTED, follow_up_consent=True)
    left = ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.WAITLISTED, follow_up_consent=True)
    comparison_group_schedule(cohort=cohort, today=datetime.date(2023, 7, 1))
    type(left).objects.filter(pk=left.pk).update(**change)

    with django_capture_on_commit_callbacks(execute=False):
        counts = check_ins_send_due(now=at(datetime.date(2023, 12, 30)))

    assert counts["sent"] == 1
    assert FollowUpCheckIn.objects.get(application=kept, months_after=6).sent_at is not None
    assert FollowUpCheckIn.objects.get(application=left, months_after=6).sent_at is None


# --- Sending and reminders ----------------------------------------------------------------------


def emails(kind: str) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(kind=kind).order_by("pk"))


def at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_beat_twice_sends_one_questionnaire_then_one_reminder_a_week_apart_at_most_two(django_capture_on_commit_callbacks):
    trip = completed_trip()
    partnership_with_contact(trip.application, language="nl")
    check_ins_schedule(trip=trip)
    due = datetime.date(2023, 6, 24)

    steps = []
    for day in (due, due + datetime.timedelta(days=3), due + datetime.timedelta(days=7), due + datetime.timedelta(days=14)):
        with django_capture_on_commit_callbacks(execute=False):
            steps.append((check_ins_send_due(now=at(day)), check_ins_send_due(now=at(day, 9))))
    with django_capture_on_commit_callbacks(execute=False):
        later = check_ins_send_due(now=at(due + datetime.timedelta(days=60)))

    assert [first["sent"] + first["reminded"] for first, _second in steps] == [1, 0, 1, 1]
    assert all(second == dict.fromkeys(second, 0) for _first, second in steps)
    assert later == {**dict.fromkeys(later, 0), "missed": 1}  # the +1 month one, reminded twice, is closed
    assert len(emails("check_in")) == 3
    assert len(emails("partner_link/check_in")) == 3
    check_in = FollowUpCheckIn.objects.get(application=trip.application, months_after=1)
    assert check_in.reminders_sent == 2 and check_in.sent_at == at(due)
    partner_mail = emails("partner_link/check_in")[0]
    assert partner_mail.language == "nl"
    assert "/suivi/partenaire/" in partner_mail.body


def test_an_answered_check_in_gets_no_reminder(django_capture_on_commit_callbacks):
    trip = completed_trip()
    check_ins_schedule(trip=trip)
    due = datetime.date(2023, 6, 24)
    with django_capture_on_commit_callbacks(execute=False):
        check_ins_send_due(now=at(due))
    FollowUpCheckIn.objects.filter(months_after=1).update(status=CheckInStatus.DONE, completed_on=due)

    with django_capture_on_commit_callbacks(execute=False):
        assert check_ins_send_due(now=at(due + datetime.timedelta(days=8)))["reminded"] == 0


def test_a_questionnaire_long_past_its_due_date_is_not_sent(django_capture_on_commit_callbacks):
    trip = completed_trip()
    check_ins_schedule(trip=trip)

    with django_capture_on_commit_callbacks(execute=False):
        counts = check_ins_send_due(now=at(datetime.date(2026, 1, 1)))

    assert counts["sent"] == 0


def test_the_beat_closes_as_missed_what_nobody_will_answer_once_only(django_capture_on_commit_callbacks):
    trip = completed_trip()
    check_ins_schedule(trip=trip)
    due = datetime.date(2023, 6, 24)  # +1 month; +3 months is due 2023-08-24
    for days in (0, 7, 14):
        with django_capture_on_commit_callbacks(execute=False):
            check_ins_send_due(now=at(due + datetime.timedelta(days=days)))
    FollowUpCheckIn.objects.filter(months_after=3).update(due_on=datetime.date(2023, 6, 1))  # never sent

    assert check_ins_close_missed(now=at(due + datetime.timedelta(days=34))) == 0
    assert check_ins_close_missed(now=at(due + datetime.timedelta(days=35))) == 1  # last reminder 21 days old
    assert check_ins_close_missed(now=at(datetime.date(2023, 8, 1))) == 1  # 61 days late, never sent
    assert check_ins_close_missed(now=at(datetime.date(2023, 8, 1))) == 0

    statuses = dict(FollowUpCheckIn.objects.values_list("months_after", "status"))
    assert (statuses[1], statuses[3], statuses[6]) == (CheckInStatus.MISSED, CheckInStatus.MISSED, CheckInStatus.PENDING)


# --- The entrepreneur's answer ------------------------------------------------------------------


@pytest.fixture
def answering():
    trip = completed_trip(departs_on=datetime.date(2023, 5, 14))
    partnership = partnership_with_contact(trip.application)  # opened at "prospect"
    check_ins_schedule(trip=trip)
    check_in = FollowUpCheckIn.objects.get(application=trip.application, months_after=1)
    return check_in, partnership, trip.application.entrepreneur.user


def answer(check_in, user, *parts):
    return check_in_answer(
        check_in=check_in, by=user, has_belgian_partner=True, exports_to_europe=False, jobs_created=2, partnerships=list(parts)
    )


def test_a_we_signed_answer_proposes_the_agreement_stage_to_staff(answering):
    check_in, partnership, user = answering

    answer(
        check_in,
        user,
        PartnershipAnswer(
            partnership_id=partnership.pk,
            still_going=True,
            stage="discussion",
            signed=True,
            signed_on=datetime.date(2023, 6, 10),
            transactions_value="655957",
            currency="XOF",
        ),
    )

    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.DONE and check_in.jobs_created == 2
    assert check_in.orders_value_eur == Decimal("1000.00")
    proposal = StageProposal.objects.get()
    assert (proposal.partnership, proposal.to_stage, proposal.check_in) == (partnership, "agreement", check_in)
    partnership.refresh_from_db()
    assert partnership.stage == "prospect"  # nothing moves before staff decide


def test_a_signature_dated_before_the_trip_is_refused_and_nothing_is_recorded(answering):
    check_in, partnership, user = answering

    with pytest.raises(ValidationError) as caught:
        answer(
            check_in,
            user,
            PartnershipAnswer(
                partnership_id=partnership.pk,
                still_going=True,
                stage="agreement",
                signed=True,
                signed_on=datetime.date(2023, 5, 1),
            ),
        )

    assert f"p{partnership.pk}_signed_on" in caught.value.message_dict
    assert "précéder le voyage" in caught.value.message_dict[f"p{partnership.pk}_signed_on"][0]
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.PENDING and not StageProposal.objects.exists()


def test_an_unknown_currency_is_refused(answering):
    check_in, partnership, user = answering

    with pytest.raises(ValidationError) as caught:
        answer(
            check_in,
            user,
            PartnershipAnswer(
                partnership_id=partnership.pk, still_going=True, stage="discussion", transactions_value="10", currency="USD"
            ),
        )

    assert "Devise inconnue" in caught.value.message_dict[f"p{partnership.pk}_currency"][0]


def test_a_check_in_is_answered_once_and_only_by_its_entrepreneur(answering):
    check_in, partnership, user = answering
    with pytest.raises(ValidationError):
        answer(check_in, UserFactory(roles=[Role.ENTREPRENEUR]))
    answer(check_in, user)
    with pytest.raises(ValidationError, match="déjà reçu une réponse"):
        answer(check_in, user)


def test_staff_accepting_a_proposal_moves_the_stage_in_their_name_on_the_signing_date(answering):
    check_in, partnership, user = answering
    answer(
        check_in,
        user,
        PartnershipAnswer(
            partnership_id=partnership.pk, still_going=True, stage="discussion", signed=True, signed_on=datetime.date(2023, 6, 10)
        ),
    )
    staff = UserFactory(roles=[Role.STAFF])
    proposal = StageProposal.objects.get()

    stage_proposal_accept(proposal=proposal, by=staff)

    partnership.refresh_from_db()
    assert partnership.stage == PartnershipStage.AGREEMENT
    change = partnership.stage_changes.order_by("pk").last()
    assert proposal.answered_on == timezone.localdate() and proposal.signed_on == datetime.date(2023, 6, 10)
    assert (change.to_stage, change.by, change.changed_on) == ("agreement", staff, datetime.date(2023, 6, 10))
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (StageProposalStatus.ACCEPTED, staff)
    with pytest.raises(ValidationError, match="déjà été traitée"):
        stage_proposal_reject(proposal=proposal, by=staff)


def test_a_rejected_proposal_leaves_the_stage(answering):
    check_in, partnership, user = answering
    answer(check_in, user, PartnershipAnswer(partnership_id=partnership.pk, still_going=False, stage="ended"))
    staff = UserFactory(roles=[Role.STAFF])

    stage_proposal_reject(proposal=StageProposal.objects.get(), by=staff)

    partnership.refresh_from_db()
    assert partnership.stage == "prospect"
    assert StageProposal.objects.get().status == StageProposalStatus.REJECTED


def test_a_signing_date_before_the_partnerships_last_change_is_dated_that_change(answering):
    check_in, partnership, user = answering
    answer(
        check_in,
        user,
        PartnershipAnswer(
            partnership_id=partnership.pk, still_going=True, stage="discussion", signed=True, signed_on=datetime.date(2023, 6, 10)
        ),
    )
    type(partnership).objects.filter(pk=partnership.pk).update(stage_changed_on=datetime.date(2023, 7, 1))

    stage_proposal_accept(proposal=StageProposal.objects.get(), by=UserFactory(roles=[Role.STAFF]))

    assert partnership.stage_changes.order_by("pk").last().changed_on == datetime.date(2023, 7, 1)


@pytest.mark.parametrize("stage", ["prospect", "discussion", "agreement", "active"])
def test_no_it_stopped_on_a_live_partnership_proposes_dormant_with_the_comment_as_reason(answering, stage):
    check_in, partnership, user = answering
    type(partnership).objects.filter(pk=partnership.pk).update(stage=stage)
    answer(
        check_in,
        user,
        PartnershipAnswer(partnership_id=partnership.pk, still_going=False, stage=stage, comment="Le client a fermé."),
    )
    proposal = StageProposal.objects.get()
    assert (proposal.to_stage, proposal.note) == (PartnershipStage.DORMANT, "Le client a fermé.")

    stage_proposal_accept(proposal=proposal, by=UserFactory(roles=[Role.STAFF]))

    change = partnership.stage_changes.order_by("pk").last()
    assert (change.to_stage, change.note) == ("dormant", "Le client a fermé.")


def test_the_partners_no_it_stopped_proposes_dormant_with_its_comment(partner_row):
    partner_check_in_answer(token=partner_link_token(partner_row), still_going=False, stage="", comment="Plus de commandes.")

    proposal = StageProposal.objects.get()
    assert (proposal.to_stage, proposal.note, proposal.partner_check_in) == ("dormant", "Plus de commandes.", partner_row)


def test_accepting_a_proposal_the_partnership_already_reached_closes_it_without_error(answering):
    check_in, partnership, user = answering
    answer(check_in, user, PartnershipAnswer(partnership_id=partnership.pk, still_going=True, stage="discussion"))
    type(partnership).objects.filter(pk=partnership.pk).update(stage="discussion")
    staff = UserFactory(roles=[Role.STAFF])

    decided = stage_proposal_accept(proposal=StageProposal.objects.get(), by=staff)

    assert decided.superseded
    proposal = StageProposal.objects.get()
    assert (proposal.status, proposal.decided_by) == (StageProposalStatus.REJECTED, staff)
    assert "Déjà à cette étape" in proposal.note
    assert not partnership.stage_changes.filter(to_stage="discussion", by=staff).exists()


# --- The partner's answer by link ---------------------------------------------------------------


@pytest.fixture
def partner_row():
    trip = completed_trip()
    partnership_with_contact(trip.application)
    check_ins_schedule(trip=trip)
    return PartnerCheckIn.objects.filter(partnership__application=trip.application).order_by("months_after").first()


def test_the_partner_answers_once_through_the_link(partner_row):
    token = partner_link_token(partner_row)

    partner_check_in_answer(token=token, still_going=True, stage="agreement", comment="Contrat signé en juin.")

    partner_row.refresh_from_db()
    assert partner_row.answered_at is not None and partner_row.stage == "agreement"
    assert StageProposal.objects.get().partner_check_in == partner_row
    with pytest.raises(LinkInvalid) as caught:
        partner_check_in_answer(token=token, still_going=True, stage="active")
    assert caught.value.reason == "used"


def test_a_tampered_or_retired_link_opens_nothing(partner_row):
    token = partner_link_token(partner_row)
    with pytest.raises(LinkInvalid) as caught:
        partner_check_in_open(token=token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert caught.value.reason == "tampered"
    partner_row.link_nonce = "new-nonce"
    partner_row.save()
    with pytest.raises(LinkInvalid) as caught:
        partner_check_in_open(token=token)
    assert caught.value.reason == "tampered"


def test_an_expired_link_is_refused_even_when_the_page_was_opened_in_time(partner_row, monkeypatch):
    token = partner_link_token(partner_row)
    later = timezone.now().timestamp() + 31 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    with pytest.raises(LinkInvalid) as caught:
        partner_check_in_answer(token=token, still_going=True, stage="")

    assert caught.value.reason == "expired"
    partner_row.refresh_from_db()
    assert partner_row.answered_at is None


def test_completing_a_trip_through_the_trip_service_schedules_its_check_ins():
    from mobility.services_trips import trip_complete

    trip = TripFactory(application=ApplicationFactory(submitted=True, status=ApplicationStatus.SELECTED), returns_on=RETURN)

    trip_complete(trip=trip, today=datetime.date(2023, 6, 1))

    assert FollowUpCheckIn.objects.filter(application=trip.application, anchor=RETURN).count() == 4
