"""Writes on coaching: a coach logs and edits their sessions with the entrepreneurs assigned to them,
with action items; an entrepreneur or their coach marks an action done. Every check that protects the
records is here, whatever page or import calls it."""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_queue
from accounts.models import User
from cohorts.models import Application
from partners.models import Coach

from .models import (
    ActionItem,
    ActionOwner,
    CoachAssignment,
    CoachDigest,
    CoachingSession,
    CoachingTopic,
    EventAttendance,
    EventKind,
    GroupEvent,
    SessionKind,
)
from .selectors import coach_digest_content, event_applications

#: A session lasts 5 minutes to 12 hours (a Boostcamp day); it is logged within a year.
MIN_MINUTES, MAX_MINUTES = 5, 12 * 60
OLDEST_DAYS = 365


@dataclass(frozen=True)
class ActionSpec:
    title: str
    owner: str = ActionOwner.ENTREPRENEUR
    due_on: datetime.date | None = None


def coach_is_assigned(*, coach: Coach, application: Application) -> bool:
    return CoachAssignment.objects.filter(coach=coach, application=application, ended_on__isnull=True).exists()


def _validate(
    *,
    held_on: datetime.date,
    duration_minutes: int,
    kind: str,
    topic_tags: list[str],
    actions: list[ActionSpec],
    today: datetime.date | None = None,
):
    errors = {}
    today = today or timezone.localdate()
    if held_on > today:
        errors["held_on"] = _("Une séance déjà tenue ne peut pas être datée dans le futur.")
    elif held_on < today - datetime.timedelta(days=OLDEST_DAYS):
        errors["held_on"] = _("Cette date a plus d'un an : vérifiez l'année.")
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = _("Une séance dure de %(min)s minutes à %(max)s heures.") % {
            "min": MIN_MINUTES,
            "max": MAX_MINUTES // 60,
        }
    if kind not in SessionKind.values:
        errors["kind"] = _("Type de séance inconnu.")
    if set(topic_tags) - set(CoachingTopic.values):
        errors["topic_tags"] = _("Thème inconnu.")
    for action in actions:
        if action.owner not in ActionOwner.values:
            errors["actions"] = _("Responsable d'action inconnu.")
        if action.due_on and action.due_on < held_on:
            errors["actions"] = _("L'échéance d'une action ne peut précéder la séance.")
    if errors:
        raise ValidationError(errors)


def coaching_session_log(
    *,
    coach: Coach,
    application: Application,
    held_on: datetime.date,
    duration_minutes: int,
    kind: str = SessionKind.INDIVIDUAL,
    topic_tags: list[str] | None = None,
    summary: str = "",
    private_notes: str = "",
    actions: list[ActionSpec] | None = None,
    client_token: uuid.UUID | None = None,
    by: User | None = None,
    event: GroupEvent | None = None,
    today: datetime.date | None = None,
    logged_at: datetime.datetime | None = None,
) -> tuple[CoachingSession, bool]:
    """Record a session of `coach` with an entrepreneur assigned to them, and its action items.

    Returns (session, created). The same `client_token` sent again (a retry after a dropped connection)
    returns the session recorded the first time, unchanged: never two sessions for one form.
    Raises PermissionDenied when the coach is not assigned, ValidationError on bad values. `today` is the
    day the dates are judged from (the day of logging; the demo's history passes its own), `event` the
    group event the session belongs to.
    """
    topic_tags, actions = list(topic_tags or []), [a for a in (actions or []) if a.title.strip()]
    if client_token is not None:
        existing = CoachingSession.objects.filter(client_token=client_token).first()
        if existing is not None:
            if existing.coach_id != coach.pk:
                raise PermissionDenied
            return existing, False
    if not coach_is_assigned(coach=coach, application=application):
        raise PermissionDenied
    _validate(held_on=held_on, duration_minutes=duration_minutes, kind=kind, topic_tags=topic_tags, actions=actions, today=today)
    try:
        with transaction.atomic():
            session = CoachingSession.objects.create(
                application=application,
                coach=coach,
                kind=kind,
                held_on=held_on,
                duration_minutes=duration_minutes,
                topic_tags=topic_tags,
                topics=summary.strip(),
                private_notes=private_notes.strip(),
                client_token=client_token,
                logged_by=by,
                event=event,
                logged_at=logged_at or timezone.now(),
            )
            ActionItem.objects.bulk_create(
                [
                    ActionItem(application=application, session=session, title=a.title.strip(), owner=a.owner, due_on=a.due_on)
                    for a in actions
                ]
            )
    except IntegrityError:  # the same form sent twice at the same moment: the other request recorded it
        if client_token is None:
            raise
        return CoachingSession.objects.get(client_token=client_token), False
    return session, True


@transaction.atomic
def coaching_session_update(
    *,
    session: CoachingSession,
    by: User,
    held_on: datetime.date,
    duration_minutes: int,
    kind: str,
    topic_tags: list[str],
    summary: str,
    private_notes: str,
) -> CoachingSession:
    """A coach corrects one of their own sessions; the history keeps every version."""
    locked = CoachingSession.objects.select_for_update().select_related("coach").get(pk=session.pk)
    if locked.coach.user_id != by.pk:
        raise PermissionDenied
    _validate(held_on=held_on, duration_minutes=duration_minutes, kind=kind, topic_tags=topic_tags, actions=[])
    locked.held_on, locked.duration_minutes, locked.kind = held_on, duration_minutes, kind
    locked.topic_tags, locked.topics, locked.private_notes = list(topic_tags), summary.strip(), private_notes.strip()
    locked._change_reason = _("Modifiée par le coach")
    locked.save()
    return locked


@transaction.atomic
def action_item_set_done(*, item: ActionItem, by: User, done: bool = True) -> ActionItem:
    """The entrepreneur concerned, or a coach assigned to them, ticks an action done (or not done)."""
    locked = ActionItem.objects.select_for_update().select_related("application__entrepreneur").get(pk=item.pk)
    is_entrepreneur = locked.application.entrepreneur.user_id == by.pk
    is_coach = CoachAssignment.objects.filter(coach__user=by, application=locked.application, ended_on__isnull=True).exists()
    if not (is_entrepreneur or is_coach):
        raise PermissionDenied
    if done and locked.done_at is None:
        locked.done_at, locked.done_by = timezone.now(), by
    elif not done:
        locked.done_at, locked.done_by = None, None
    locked.save(update_fields=["done_at", "done_by"])
    return locked


@transaction.atomic
def coach_assign(
    *, applications: list[Application], coach: Coach, is_lead: bool, by: User, on: datetime.date | None = None
) -> int:
    """Assign `coach` to each application (selected entrepreneurs of a cohort); already assigned ones
    keep their assignment. A lead coach replaces the previous lead. Returns how many were new."""
    created = 0
    for application in applications:
        assignment = CoachAssignment.objects.filter(application=application, coach=coach, ended_on__isnull=True).first()
        if assignment is None:
            assignment = CoachAssignment.objects.create(
                application=application, coach=coach, assigned_by=by, is_lead=is_lead, assigned_on=on or timezone.localdate()
            )
            created += 1
        if is_lead:
            CoachAssignment.objects.filter(application=application, ended_on__isnull=True, is_lead=True).exclude(
                pk=assignment.pk
            ).update(is_lead=False)
            if not assignment.is_lead:
                assignment.is_lead = True
                assignment.save(update_fields=["is_lead"])
    return created


def coach_assignment_end(*, assignment: CoachAssignment, by: User) -> CoachAssignment:
    """End an assignment today (its sessions stay); the coach no longer reaches the entrepreneur."""
    if assignment.ended_on is None:
        assignment.ended_on = max(timezone.localdate(), assignment.assigned_on)
        assignment.save(update_fields=["ended_on"])
    return assignment


def coach_digests_send(*, today: datetime.date | None = None) -> int:
    """The week's reminder to each active coach who has something to act on: overdue actions of their
    entrepreneurs and entrepreneurs without a session for QUIET_DAYS. Once per coach and week, however
    many times it is called (the row is the proof). Returns the number of e-mails queued."""
    today = today or timezone.localdate()
    week_of = today - datetime.timedelta(days=today.weekday())
    sent = 0
    for coach in Coach.objects.filter(is_active=True, user__is_active=True).select_related("user"):
        content = coach_digest_content(coach=coach, today=today)
        if not content["overdue"] and not content["quiet"]:
            continue
        with transaction.atomic():
            digest, created = CoachDigest.objects.get_or_create(
                coach=coach,
                week_of=week_of,
                defaults={"overdue_actions": len(content["overdue"]), "quiet_entrepreneurs": len(content["quiet"])},
            )
            if not created:
                continue
            email_queue(to=coach.user.email, user=coach.user, template="coach_digest", context={"coach": coach, **content})
            sent += 1
    return sent


def group_event_create(
    *, cohort, kind: str, title: str, starts_at, ends_at, location: str = "", description: str = "", by: User
) -> GroupEvent:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("La fin doit venir après le début.")})
    return GroupEvent.objects.create(
        cohort=cohort,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        description=description,
    )


@transaction.atomic
def event_attendance_record(*, event: GroupEvent, present: set[int], coach: Coach | None, by: User) -> tuple[int, int]:
    """Tick who came to a group event, in one go, for the cohort's entrepreneurs. Everyone listed gets a
    row (present or absent); a coach who led it gets one group session per attendee assigned to them (their time counts
    once in the workload, see selectors.coach_workload). Saving again updates rows, never duplicates.
    Returns (present, absent)."""
    applications = list(event_applications(event))
    if set(present) - {a.pk for a in applications}:
        raise ValidationError(_("Une des personnes cochées n'est pas de cette cohorte."))
    minutes = max(MIN_MINUTES, min(MAX_MINUTES, int((event.ends_at - event.starts_at).total_seconds() // 60)))
    # Sessions only for the attendees the coach is assigned to: the same rule as logging one by hand.
    assigned = (
        set(
            CoachAssignment.objects.filter(coach=coach, ended_on__isnull=True, application__in=applications).values_list(
                "application_id", flat=True
            )
        )
        if coach is not None
        else set()
    )
    kind = SessionKind.BOOSTCAMP if event.kind == EventKind.BOOSTCAMP else SessionKind.GROUP
    for application in applications:
        came = application.pk in present
        EventAttendance.objects.update_or_create(event=event, application=application, defaults={"attended": came})
        if application.pk not in assigned:
            continue
        session = CoachingSession.objects.filter(event=event, application=application, coach=coach).first()
        if came and session is None:
            CoachingSession.objects.create(
                application=application,
                coach=coach,
                kind=kind,
                held_on=timezone.localtime(event.starts_at).date(),
                duration_minutes=minutes,
                topics=event.title,
                event=event,
                logged_by=by,
            )
        elif not came and session is not None:
            session.delete()
    return len(present), len(applications) - len(present)
