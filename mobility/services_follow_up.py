"""Follow-up after the trip: check-ins scheduled once per programme offset when a trip ends (and for
the comparison group, eligible applicants not selected who agreed to be asked), questionnaires and
reminders sent by a daily beat that never sends one step twice, answers from the entrepreneur and, by
personal link, from the Belgian partner, and the stage changes those answers propose to staff."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.emails import email_queue
from accounts.models import User
from cohorts.models import Application, Cohort, Currency, to_eur
from core.links import LinkInvalid, link_token_make, link_token_read

from .models import (
    COMPARISON_MONTHS,
    LIVE_STAGES,
    CheckInGroup,
    CheckInPartnershipAnswer,
    CheckInStatus,
    EconomicMission,
    FollowUpCheckIn,
    PartnerCheckIn,
    Partnership,
    PartnershipStage,
    StageProposal,
    StageProposalStatus,
    Trip,
    TripStatus,
    comparison_condition,
)
from .selectors_follow_up import OVERDUE_AFTER
from .services import partnership_stage_change

#: Days between a questionnaire and its reminder, and between reminders; and how many reminders at most.
REMINDER_EVERY = datetime.timedelta(days=7)
MAX_REMINDERS = 2
#: A questionnaire more than this late when the beat first sees it is not sent any more (staff follow up).
SEND_AT_MOST_LATE = datetime.timedelta(days=60)
#: How long a partner's personal link stays valid after it was sent (each reminder sends a fresh one).
PARTNER_LINK_VALIDITY = datetime.timedelta(days=30)
PARTNER_LINK_PURPOSE = "partner_check_in"
#: Stages before an agreement: a "we signed" answer on such a partnership proposes "agreement signed".
BEFORE_AGREEMENT = (PartnershipStage.PROSPECT, PartnershipStage.DISCUSSION, PartnershipStage.DORMANT)
#: Stages of a partnership still going: a "no, it stopped" answer on such a partnership proposes "dormant".
ALIVE = (*LIVE_STAGES, PartnershipStage.PROSPECT, PartnershipStage.DISCUSSION)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has fewer days (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------------------------------
# Scheduling
# --------------------------------------------------------------------------------------------------


def _partner_contact(partnership: Partnership):
    contacts = [c for c in partnership.organisation.contacts.all() if c.email]
    return contacts[0] if contacts else None


def check_ins_schedule(*, trip: Trip) -> int:
    """The check-ins of a completed trip: the entrepreneur's at each of the programme's offsets after the
    return, and the Belgian partner's for each partnership of the application. Once, however many times
    it is called, concurrently too: the unique constraints decide and conflicting rows are ignored.
    Returns how many rows this call created (0 when the trip is not completed or all exist)."""
    if trip.status != TripStatus.COMPLETED:
        return 0
    application = Application.objects.select_related("cohort__programme").get(pk=trip.application_id)
    offsets = list(application.cohort.programme.check_in_months or [])
    anchor = trip.returns_on
    # Comparison rows of an applicant selected later (off the waiting list) give way to the participant's
    # series: the ones not sent yet are dropped (those already sent or answered stay, as asked then).
    FollowUpCheckIn.objects.filter(
        application=application, group=CheckInGroup.COMPARISON, sent_at__isnull=True, status=CheckInStatus.PENDING
    ).delete()
    before = FollowUpCheckIn.objects.filter(application=application).count()
    # A second completed trip of the same application does not start a second series: the first one stands.
    FollowUpCheckIn.objects.bulk_create(
        [
            FollowUpCheckIn(
                application=application,
                months_after=months,
                due_on=add_months(anchor, months),
                anchor=anchor,
                group=CheckInGroup.PARTICIPANT,
            )
            for months in offsets
        ],
        ignore_conflicts=True,
    )
    created = FollowUpCheckIn.objects.filter(application=application).count() - before
    partnerships = Partnership.objects.filter(application=application).select_related("organisation")
    partnerships = partnerships.prefetch_related("organisation__contacts")
    rows = []
    for partnership in partnerships:
        contact = _partner_contact(partnership)
        if contact is None:
            continue  # nobody to ask yet: the daily beat tries again once a contact is recorded
        for months in offsets:
            due = add_months(anchor, months)
            if due < partnership.started_on:
                continue  # a partnership begun later is not asked about a time before it existed
            rows.append(
                PartnerCheckIn(
                    partnership=partnership,
                    email=contact.email,
                    language=contact.language if contact.language in ("fr", "nl", "en") else "fr",
                    months_after=months,
                    due_on=due,
                )
            )
    if rows:
        before_partner = PartnerCheckIn.objects.filter(partnership__application=application).count()
        PartnerCheckIn.objects.bulk_create(rows, ignore_conflicts=True)
        created += PartnerCheckIn.objects.filter(partnership__application=application).count() - before_partner
    return created


def comparison_anchor(cohort: Cohort) -> datetime.date | None:
    """Where the comparison group's months count from: the end of the cohort's travel window, else the
    end of the last economic mission its travellers joined."""
    if cohort.travel_ends_on:
        return cohort.travel_ends_on
    mission = (
        EconomicMission.objects.filter(trips__application__cohort=cohort).order_by("-ends_on").values_list("ends_on", flat=True)
    )
    return mission.first()


def comparison_group_schedule(*, cohort: Cohort, today: datetime.date | None = None) -> int:
    """The comparison group (mobility.models.comparison_condition: not selected for good, consenting) gets
    check-ins at +6 and +12 months, like the participants' (same unique row per application and month),
    once the cohort's travel window has ended. Once, however often it runs."""
    anchor = comparison_anchor(cohort)
    if anchor is None or anchor > (today or timezone.localdate()):
        return 0  # before the travel window has ended, a waiting-list place may still become a selection
    applications = Application.objects.filter(comparison_condition(), cohort=cohort)
    rows = [
        FollowUpCheckIn(
            application_id=pk,
            months_after=months,
            due_on=add_months(anchor, months),
            anchor=anchor,
            group=CheckInGroup.COMPARISON,
        )
        for pk in applications.values_list("pk", flat=True)
        for months in COMPARISON_MONTHS
    ]
    before = FollowUpCheckIn.objects.filter(application__cohort=cohort, group=CheckInGroup.COMPARISON).count()
    FollowUpCheckIn.objects.bulk_create(rows, ignore_conflicts=True)
    return FollowUpCheckIn.objects.filter(application__cohort=cohort, group=CheckInGroup.COMPARISON).count() - before


def check_ins_schedule_missing() -> int:
    """What the daily beat schedules, so that nothing depends on the trip's service calling
    check_ins_schedule: completed trips whose application has no check-in yet or has a partnership
    without any partner check-in, and every cohort's comparison group."""
    created = 0
    without_check_ins = ~Exists(
        FollowUpCheckIn.objects.filter(application=OuterRef("application"), group=CheckInGroup.PARTICIPANT)
    )
    partner_missing = Exists(
        Partnership.objects.filter(application=OuterRef("application"), organisation__contacts__isnull=False).exclude(
            Exists(PartnerCheckIn.objects.filter(partnership=OuterRef("pk")))
        )
    )
    trips = Trip.objects.filter(status=TripStatus.COMPLETED).filter(without_check_ins | partner_missing)
    for trip in trips.order_by("application_id", "returns_on").distinct():
        created += check_ins_schedule(trip=trip)
    for cohort in Cohort.objects.filter(applications__follow_up_consent=True).distinct():
        created += comparison_group_schedule(cohort=cohort)
    return created


# --------------------------------------------------------------------------------------------------
# Sending: the questionnaire when due, then a reminder every REMINDER_EVERY, at most MAX_REMINDERS
# --------------------------------------------------------------------------------------------------


def partner_link_token(partner_check_in: PartnerCheckIn) -> str:
    return link_token_make(purpose=PARTNER_LINK_PURPOSE, pk=partner_check_in.pk, nonce=partner_check_in.link_nonce)


def _check_in_email(check_in: FollowUpCheckIn, *, reminder: bool) -> None:
    entrepreneur = check_in.application.entrepreneur
    user = entrepreneur.user
    email_queue(
        to=user.email if user else entrepreneur.email,
        user=user,
        template="check_in",
        context={
            "name": entrepreneur.first_name,
            "months": check_in.months_after,
            "reminder": reminder,
            "comparison": check_in.group == CheckInGroup.COMPARISON,
            "path": reverse("mobility:check_in_answer", kwargs={"pk": check_in.pk}),
        },
    )


def _partner_email(partner_check_in: PartnerCheckIn, *, reminder: bool) -> None:
    partnership = partner_check_in.partnership
    email_queue(
        to=partner_check_in.email,
        language=partner_check_in.language,
        template="partner_link/check_in",
        context={
            "company": partnership.organisation.name,
            "entrepreneur": str(partnership.application.entrepreneur),
            "reminder": reminder,
            "path": reverse("mobility:partner_check_in", kwargs={"token": partner_link_token(partner_check_in)}),
            "valid_days": PARTNER_LINK_VALIDITY.days,
        },
    )


def _claim(model, pk: int, now: datetime.datetime, **state) -> bool:
    """One conditional UPDATE decides whether this run sends the step: the row still in `state`
    (a run that lost the race, or a second beat, finds it changed and sends nothing)."""
    if "reminders_sent" in state:
        changes = {"reminders_sent": state["reminders_sent"] + 1, "last_reminded_at": now}
    else:
        changes = {"sent_at": now}
    return model.objects.filter(pk=pk, **state).update(**changes) == 1


def check_ins_send_due(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send what is due (the beat runs it daily, or hourly): each questionnaire once, on or after its due
    date, then up to two reminders a week apart while unanswered. Every step is claimed by a conditional
    UPDATE and its e-mail queued in the same transaction: a second run at the same moment sends nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"sent": 0, "reminded": 0, "partner_sent": 0, "partner_reminded": 0}
    earliest = today - SEND_AT_MOST_LATE
    entrepreneur_rows = FollowUpCheckIn.objects.select_related("application__entrepreneur__user")
    partner_rows = PartnerCheckIn.objects.select_related("partnership__organisation", "partnership__application__entrepreneur")

    # A comparison row whose applicant no longer belongs to the group (selected, withdrawn, consent
    # withdrawn) is not sent: neither questionnaire nor reminder.
    still_compared = Q(group=CheckInGroup.PARTICIPANT) | comparison_condition("application__")
    entrepreneur_rows = entrepreneur_rows.filter(still_compared)
    for check_in in entrepreneur_rows.filter(
        status=CheckInStatus.PENDING, sent_at__isnull=True, due_on__lte=today, due_on__gte=earliest
    ):
        with transaction.atomic():
            if _claim(FollowUpCheckIn, check_in.pk, now, sent_at__isnull=True, status=CheckInStatus.PENDING):
                _check_in_email(check_in, reminder=False)
                counts["sent"] += 1
    last_contact_before = now - REMINDER_EVERY
    for check_in in entrepreneur_rows.filter(
        Q(last_reminded_at__isnull=True, sent_at__lte=last_contact_before) | Q(last_reminded_at__lte=last_contact_before),
        status=CheckInStatus.PENDING,
        reminders_sent__lt=MAX_REMINDERS,
    ):
        with transaction.atomic():
            if _claim(FollowUpCheckIn, check_in.pk, now, reminders_sent=check_in.reminders_sent, status=CheckInStatus.PENDING):
                _check_in_email(check_in, reminder=True)
                counts["reminded"] += 1

    for partner_check_in in partner_rows.filter(
        answered_at__isnull=True, sent_at__isnull=True, due_on__lte=today, due_on__gte=earliest
    ):
        with transaction.atomic():
            if _claim(PartnerCheckIn, partner_check_in.pk, now, sent_at__isnull=True, answered_at__isnull=True):
                _partner_email(partner_check_in, reminder=False)
                counts["partner_sent"] += 1
    for partner_check_in in partner_rows.filter(
        Q(last_reminded_at__isnull=True, sent_at__lte=last_contact_before) | Q(last_reminded_at__lte=last_contact_before),
        answered_at__isnull=True,
        reminders_sent__lt=MAX_REMINDERS,
    ):
        with transaction.atomic():
            if _claim(
                PartnerCheckIn, partner_check_in.pk, now, reminders_sent=partner_check_in.reminders_sent, answered_at__isnull=True
            ):
                _partner_email(partner_check_in, reminder=True)
                counts["partner_reminded"] += 1
    counts["missed"] = check_ins_close_missed(now=now)
    return counts


def check_ins_close_missed(*, now: datetime.datetime | None = None) -> int:
    """Close as missed the questionnaires nobody will answer any more, so that the follow-up ends (alumni
    status waits for every check-in to be done or missed): the last reminder older than the overdue delay,
    or never sent and too late to send. One conditional UPDATE: only rows still pending change."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    gone = Q(last_reminded_at__lte=now - OVERDUE_AFTER) | Q(sent_at__isnull=True, due_on__lt=today - SEND_AT_MOST_LATE)
    return FollowUpCheckIn.objects.filter(gone, status=CheckInStatus.PENDING).update(status=CheckInStatus.MISSED)


# --------------------------------------------------------------------------------------------------
# Answers
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnershipAnswer:
    partnership_id: int
    still_going: bool
    stage: str
    signed: bool = False
    signed_on: datetime.date | None = None
    transactions_value: Decimal | str | None = None
    currency: str = Currency.EUR
    jobs_created: int = 0
    comment: str = ""


def _first_departure(application: Application) -> datetime.date | None:
    return Trip.objects.filter(application=application).order_by("departs_on").values_list("departs_on", flat=True).first()


def _answer_clean(answer: PartnershipAnswer, *, prefix: str, departs_on: datetime.date | None, today: datetime.date):
    errors = {}
    if answer.stage not in PartnershipStage.values:
        errors[f"{prefix}stage"] = _("Étape inconnue.")
    if answer.currency not in Currency.values:
        errors[f"{prefix}currency"] = _("Devise inconnue : choisissez EUR ou XOF.")
    try:
        value = Decimal(str(answer.transactions_value)) if answer.transactions_value not in (None, "") else Decimal(0)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        errors[f"{prefix}transactions_value"] = _("Indiquez un montant positif ou nul.")
    if answer.jobs_created < 0:
        errors[f"{prefix}jobs_created"] = _("Indiquez un nombre positif ou nul.")
    if answer.signed and answer.signed_on is not None:
        if departs_on is not None and answer.signed_on < departs_on:
            errors[f"{prefix}signed_on"] = _("La date de signature ne peut précéder le voyage (départ le %(date)s).") % {
                "date": formats.date_format(departs_on, "SHORT_DATE_FORMAT")
            }
        elif answer.signed_on > today:
            errors[f"{prefix}signed_on"] = _("La date de signature ne peut être dans le futur.")
    return errors, value


def _proposal_for(partnership: Partnership, answer_stage: str, signed: bool, still_going: bool = True) -> str | None:
    """The stage an answer proposes for a partnership, or None when it agrees with the record. "No, it
    stopped" on a partnership alive in the record proposes "dormant" (or the ended stage the person gave)."""
    if not still_going and partnership.stage in ALIVE:
        return answer_stage if answer_stage == PartnershipStage.ENDED else PartnershipStage.DORMANT
    if signed and partnership.stage in BEFORE_AGREEMENT:
        return PartnershipStage.AGREEMENT
    if answer_stage and answer_stage != partnership.stage:
        return answer_stage
    return None


@transaction.atomic
def check_in_answer(
    *,
    check_in: FollowUpCheckIn,
    by: User,
    has_belgian_partner: bool | None,
    exports_to_europe: bool | None,
    jobs_created: int,
    support_request: str = "",
    partnerships: list[PartnershipAnswer] = (),
) -> FollowUpCheckIn:
    """The entrepreneur's answers, recorded once: the check-in is done, each partnership's answer kept,
    and a stage change proposed to staff where the answer differs from the record ("we signed")."""
    locked = FollowUpCheckIn.objects.select_for_update().select_related("application__entrepreneur").get(pk=check_in.pk)
    if locked.application.entrepreneur.user_id != by.pk:
        raise ValidationError(_("Ce questionnaire n'est pas le vôtre."), code="not_owner")
    if locked.status != CheckInStatus.PENDING:
        raise ValidationError(_("Ce questionnaire a déjà reçu une réponse."), code="answered")
    today = timezone.localdate()
    errors = {}
    if jobs_created is None or jobs_created < 0:
        errors["jobs_created"] = _("Indiquez un nombre positif ou nul.")
    known = {p.pk: p for p in Partnership.objects.filter(application=locked.application)}
    departs_on = _first_departure(locked.application)
    cleaned = []
    if locked.group == CheckInGroup.COMPARISON:
        partnerships = []
    for answer in partnerships:
        partnership = known.get(answer.partnership_id)
        if partnership is None:
            errors["__all__"] = _("Un des partenariats n'est pas le vôtre.")
            continue
        answer_errors, value = _answer_clean(answer, prefix=f"p{partnership.pk}_", departs_on=departs_on, today=today)
        errors.update(answer_errors)
        cleaned.append((partnership, answer, value))
    if errors:
        raise ValidationError(errors)

    locked.status, locked.completed_on = CheckInStatus.DONE, today
    locked.has_belgian_partner, locked.exports_to_europe = has_belgian_partner, exports_to_europe
    locked.jobs_created = jobs_created
    locked.support_request = support_request.strip()
    rows = []
    for partnership, answer, value in cleaned:
        row = CheckInPartnershipAnswer(
            check_in=locked,
            partnership=partnership,
            still_going=answer.still_going,
            stage=answer.stage,
            signed=answer.signed,
            signed_on=answer.signed_on if answer.signed else None,
            transactions_value=value,
            currency=answer.currency,
            jobs_created=answer.jobs_created,
        )
        row.full_clean(exclude=["check_in", "transactions_value_eur"])
        rows.append(row)
        to_stage = _proposal_for(partnership, answer.stage, answer.signed, answer.still_going)
        if to_stage is not None:
            note = answer.comment.strip()
            if not note and answer.signed and answer.signed_on:
                note = _("Accord signé le %(date)s selon l'entrepreneur·e.") % {
                    "date": formats.date_format(answer.signed_on, "SHORT_DATE_FORMAT")
                }
            StageProposal.objects.create(
                partnership=partnership,
                to_stage=to_stage,
                check_in=locked,
                answered_on=today,
                signed_on=answer.signed_on if answer.signed and to_stage == PartnershipStage.AGREEMENT else None,
                note=note[:500],
            )
    locked.contracts_signed = sum(1 for _p, a, _v in cleaned if a.signed)
    # The euro value as the database computes it for each answer (the same to_eur function).
    locked.orders_value_eur = sum((to_eur(value, answer.currency) for _p, answer, value in cleaned), Decimal(0))
    locked.full_clean()
    locked.save()
    CheckInPartnershipAnswer.objects.bulk_create(rows)
    check_in.status, check_in.completed_on = locked.status, locked.completed_on
    return locked


def partner_check_in_open(*, token: str) -> PartnerCheckIn:
    """The partner check-in a link opens, or LinkInvalid: "tampered" (not ours, or retired by a newer
    link), "used" (answered already, even if the link has expired since), "expired"."""
    try:
        target = link_token_read(purpose=PARTNER_LINK_PURPOSE, token=token, max_age=PARTNER_LINK_VALIDITY)
        expired = False
    except LinkInvalid as invalid:
        if invalid.reason != "expired":
            raise
        # Signed by us but too old: say "already answered" rather than "expired" when it was answered.
        target = link_token_read(purpose=PARTNER_LINK_PURPOSE, token=token, max_age=datetime.timedelta(days=36500))
        expired = True
    partner_check_in = (
        PartnerCheckIn.objects.select_related("partnership__organisation", "partnership__application__entrepreneur")
        .filter(pk=target.pk, link_nonce=target.nonce)
        .first()
    )
    if partner_check_in is None:
        raise LinkInvalid("tampered")
    if partner_check_in.answered_at is not None:
        raise LinkInvalid("used")
    if expired:
        raise LinkInvalid("expired")
    return partner_check_in


@transaction.atomic
def partner_check_in_answer(*, token: str, still_going: bool, stage: str, comment: str = "") -> PartnerCheckIn:
    """The Belgian partner's answer through its link: once (the row is locked and must be unanswered,
    the link still valid at the moment of answering). A stage different from the record is proposed to staff."""
    opened = partner_check_in_open(token=token)
    locked = PartnerCheckIn.objects.select_for_update().get(pk=opened.pk)
    if locked.answered_at is not None:
        raise LinkInvalid("used")
    if stage and stage not in PartnershipStage.values:
        raise ValidationError({"stage": _("Étape inconnue.")})
    locked.still_going, locked.stage, locked.comment = still_going, stage, comment.strip()
    locked.answered_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["still_going", "stage", "comment", "answered_at"])
    partnership = opened.partnership
    to_stage = _proposal_for(partnership, stage, signed=False, still_going=still_going)
    if to_stage is not None:
        StageProposal.objects.create(
            partnership=partnership,
            to_stage=to_stage,
            partner_check_in=locked,
            answered_on=timezone.localdate(),
            note=locked.comment[:500],
        )
    return locked


# --------------------------------------------------------------------------------------------------
# Staff decide on proposed stage changes
# --------------------------------------------------------------------------------------------------


def _pending(proposal: StageProposal) -> StageProposal:
    locked = StageProposal.objects.select_for_update().select_related("partnership").get(pk=proposal.pk)
    if locked.status != StageProposalStatus.PENDING:
        raise ValidationError(_("Cette proposition a déjà été traitée."), code="decided")
    return locked


@transaction.atomic
def stage_proposal_accept(*, proposal: StageProposal, by: User) -> StageProposal:
    """Move the partnership to the proposed stage, attributed to the staff member who accepts, dated the
    signing day the entrepreneur gave (never before the partnership's last change), else the answer's day;
    the answer's comment is the change's reason. A proposal the partnership has reached meanwhile is
    closed as superseded (rejected, with a message) rather than refused with an error."""
    locked = _pending(proposal)
    partnership = locked.partnership
    if locked.to_stage == partnership.stage:
        superseded = _("Déjà à cette étape : proposition close sans changement.")
        locked.status, locked.decided_by, locked.decided_at = StageProposalStatus.REJECTED, by, timezone.now()
        locked.note = (f"{locked.note} ({superseded})" if locked.note else str(superseded))[:500]
        locked.save(update_fields=["status", "decided_by", "decided_at", "note"])
        locked.superseded = True
        return locked
    source = _("suivi de l'entrepreneur·e") if locked.check_in_id else _("suivi du partenaire belge")
    note = locked.note or str(source)
    on = max(locked.signed_on, partnership.stage_changed_on) if locked.signed_on else locked.answered_on
    try:
        partnership_stage_change(partnership=partnership, to_stage=locked.to_stage, by=by, on=on, note=note[:500])
    except IntegrityError as error:  # pragma: no cover - the service validates before writing
        raise ValidationError(str(error)) from error
    locked.status, locked.decided_by, locked.decided_at = StageProposalStatus.ACCEPTED, by, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    locked.superseded = False
    return locked


@transaction.atomic
def stage_proposal_reject(*, proposal: StageProposal, by: User) -> StageProposal:
    locked = _pending(proposal)
    locked.status, locked.decided_by, locked.decided_at = StageProposalStatus.REJECTED, by, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked
