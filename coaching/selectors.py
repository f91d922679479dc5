"""Read queries of the coaching app: what a coach's home page lists, in a fixed number of queries."""

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from cohorts.models import Application

from .models import ActionItem, CoachAssignment, CoachingSession


def coach_assignments_for(user) -> QuerySet[CoachAssignment]:
    """The coach's active assignments, with the entrepreneur, company and cohort, and the number and
    last date of the sessions this coach logged for that application."""
    return (
        CoachAssignment.objects.filter(coach__user=user, ended_on__isnull=True)
        .select_related(
            "application__entrepreneur",
            "application__company",
            "application__cohort__programme",
        )
        .annotate(
            sessions_count=Count(
                "application__coaching_sessions",
                filter=Q(application__coaching_sessions__coach=F("coach")),
                distinct=True,
            ),
            last_session_on=Max(
                "application__coaching_sessions__held_on",
                filter=Q(application__coaching_sessions__coach=F("coach")),
            ),
        )
        .order_by("application__entrepreneur__last_name", "application__entrepreneur__first_name", "pk")
    )


def coach_portal_rows(user) -> QuerySet[CoachAssignment]:
    """ "My entrepreneurs": each active assignment with the sessions count and last date (this coach's),
    the hours, the number of open actions and the next one. A fixed number of queries whatever the size."""
    open_actions = ActionItem.objects.filter(application=OuterRef("application"), done_at__isnull=True)
    next_action = open_actions.order_by(F("due_on").asc(nulls_last=True), "pk")
    return coach_assignments_for(user).annotate(
        minutes=Sum(
            "application__coaching_sessions__duration_minutes",
            filter=Q(application__coaching_sessions__coach=F("coach")),
        ),
        open_actions=Coalesce(Subquery(open_actions.values("application").annotate(n=Count("pk")).values("n")[:1]), Value(0)),
        next_action_title=Subquery(next_action.values("title")[:1]),
        next_action_due=Subquery(next_action.values("due_on")[:1]),
    )


def coach_assignment_or_404(user, application_pk: int) -> CoachAssignment:
    """The coach's active assignment to that application; any other application is a 404."""
    assignment = (
        CoachAssignment.objects.filter(coach__user=user, application_id=application_pk, ended_on__isnull=True)
        .select_related("coach", "application__entrepreneur", "application__company", "application__cohort__programme")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def sessions_of(application, *, with_private: bool) -> QuerySet[CoachingSession]:
    """An application's sessions, newest first, with their coach and actions; private notes deferred for
    the entrepreneur's view."""
    sessions = (
        CoachingSession.objects.filter(application=application)
        .select_related("coach__user", "event")
        .prefetch_related("actions")
        .order_by("-held_on", "-pk")
    )
    return sessions if with_private else sessions.defer("private_notes")


def actions_of(application) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(application=application)
        .select_related("session")
        .order_by(F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "pk")
    )


def entrepreneur_applications_with_coaching(user) -> QuerySet:
    """The entrepreneur's applications that have a coach or sessions (selected ones)."""
    return (
        Application.objects.filter(entrepreneur__user=user)
        .filter(Q(coach_assignments__isnull=False) | Q(coaching_sessions__isnull=False))
        .select_related("cohort__programme")
        .distinct()
    )
