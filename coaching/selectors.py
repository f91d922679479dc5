"""Read queries of the coaching app: what a coach's home page lists, in a fixed number of queries."""

from django.db.models import Count, Exists, F, Func, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from cohorts.models import Application, ApplicationStatus, Cohort
from partners.models import Coach

from .models import ActionItem, CoachAssignment, CoachingSession, EventAttendance, GroupEvent


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
    open_actions = ActionItem.objects.filter(application=OuterRef("application"), done_at__isnull=True).order_by()
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


#: An entrepreneur without a session for this many days is flagged on the staff overview.
QUIET_DAYS = 30


def coached_applications(cohort) -> QuerySet[Application]:
    """A cohort's selected entrepreneurs (and any other with a coach), each with their sessions, hours,
    last session, open and overdue actions and active coaches: a fixed number of queries."""
    today = timezone.localdate()
    actions = ActionItem.objects.filter(application=OuterRef("pk"), done_at__isnull=True).order_by()
    count = Func(F("pk"), function="COUNT")
    return (
        Application.objects.filter(cohort=cohort)
        # EXISTS rather than a join with DISTINCT: a DISTINCT over every annotated column made the
        # counts and filters of a 5,000-application cohort cost hundreds of milliseconds.
        .filter(
            Q(status=ApplicationStatus.SELECTED)
            | Exists(CoachAssignment.objects.filter(application=OuterRef("pk"), ended_on__isnull=True))
        )
        .select_related("entrepreneur", "company")
        .annotate(
            sessions_count=Coalesce(
                Subquery(
                    CoachingSession.objects.filter(application=OuterRef("pk"))
                    .order_by()  # the model's ordering would join the GROUP BY (PostgreSQL refuses it)
                    .values("application")
                    .annotate(n=count)
                    .values("n")[:1]
                ),
                Value(0),
            ),
            minutes=Coalesce(
                Subquery(
                    CoachingSession.objects.filter(application=OuterRef("pk"))
                    .order_by()
                    .values("application")
                    .annotate(total=Sum("duration_minutes"))
                    .values("total")[:1]
                ),
                Value(0),
            ),
            last_session_on=Subquery(
                CoachingSession.objects.filter(application=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
            ),
            open_actions=Coalesce(Subquery(actions.values("application").annotate(n=count).values("n")[:1]), Value(0)),
            overdue_actions=Coalesce(
                Subquery(actions.filter(due_on__lt=today).values("application").annotate(n=count).values("n")[:1]), Value(0)
            ),
        )
        .prefetch_related(
            Prefetch(
                "coach_assignments",
                queryset=CoachAssignment.objects.filter(ended_on__isnull=True)
                .select_related("coach__user")
                .order_by("-is_lead", "pk"),
                to_attr="active_assignments",
            )
        )
        .order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk")
    )


def quiet_condition(today) -> Q:
    """The applications without a session for more than QUIET_DAYS days (as `is_quiet`, in SQL): no
    session on or after the cutoff, an EXISTS that reads the sessions' index rather than the annotated
    last session of every row."""
    cutoff = today - timezone.timedelta(days=QUIET_DAYS)
    return ~Q(Exists(CoachingSession.objects.filter(application=OuterRef("pk"), held_on__gte=cutoff)))


def coaching_totals(applications: QuerySet[Application], today) -> dict:
    """Sessions, minutes, overdue actions and quiet entrepreneurs summed over `coached_applications`
    (the overview shows them for the whole cohort and lists one page of rows): three aggregate queries,
    whatever the number of entrepreneurs."""
    ids = applications.order_by().values("pk")
    sessions = CoachingSession.objects.filter(application__in=ids).aggregate(
        sessions=Count("pk"), minutes=Coalesce(Sum("duration_minutes"), 0)
    )
    overdue = ActionItem.objects.filter(application__in=ids, done_at__isnull=True, due_on__lt=today).count()
    quiet = applications.filter(quiet_condition(today)).count()
    return {**sessions, "overdue": overdue, "quiet": quiet}


def is_quiet(application, today=None) -> bool:
    today = today or timezone.localdate()
    return application.last_session_on is None or (today - application.last_session_on).days > QUIET_DAYS


def coach_workload_rows(sessions: QuerySet[CoachingSession]) -> list[dict]:
    """Hours coaches gave, per coach and month, for the given sessions: [{coach, names, month, minutes,
    sessions}]. A group session or Boostcamp logged for each attendee counts once for the coach (its
    event's duration once). The one definition of coach workload: the coaching overview and the
    indicators both read it."""
    sessions = sessions.order_by().annotate(month=TruncMonth("held_on"))
    keys = ("coach", "coach__user__first_name", "coach__user__last_name", "coach__user__email", "month")
    totals: dict[tuple, dict] = {}

    def add(row: dict, minutes: int, count: int) -> None:
        key = tuple(row[k] for k in keys)
        entry = totals.setdefault(key, {**{k: row[k] for k in keys}, "minutes": 0, "sessions": 0})
        entry["minutes"] += minutes
        entry["sessions"] += count

    for row in sessions.filter(event__isnull=True).values(*keys).annotate(minutes=Sum("duration_minutes"), n=Count("pk")):
        add(row, row["minutes"], row["n"])
    for row in sessions.filter(event__isnull=False).values(*keys, "event").annotate(minutes=Max("duration_minutes")):
        add(row, row["minutes"], 1)
    return sorted(totals.values(), key=lambda r: (r["month"], r["coach__user__last_name"], r["coach"]))


def coach_workload(cohort) -> list[dict]:
    """The coaches' workload per month for one cohort's entrepreneurs (coach_workload_rows)."""
    return coach_workload_rows(CoachingSession.objects.filter(application__cohort=cohort))


def active_coaches() -> QuerySet[Coach]:
    return (
        Coach.objects.filter(is_active=True)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name")
    )


def cohorts_with_coaching() -> QuerySet[Cohort]:
    return (
        Cohort.objects.select_related("programme")
        .annotate(selected=Count("applications", filter=Q(applications__status=ApplicationStatus.SELECTED)))
        .order_by("-programme__pk", "-number")
    )


def coach_digest_content(*, coach: Coach, today) -> dict:
    """What a coach's weekly reminder lists: overdue actions of their entrepreneurs, and their
    entrepreneurs without any session for QUIET_DAYS days (two queries)."""
    applications = Application.objects.filter(coach_assignments__coach=coach, coach_assignments__ended_on__isnull=True)
    overdue = list(
        ActionItem.objects.filter(application__in=applications, done_at__isnull=True, due_on__lt=today)
        .select_related("application__entrepreneur")
        .order_by("due_on", "pk")
    )
    since = today - timezone.timedelta(days=QUIET_DAYS)
    quiet = list(
        applications.annotate(last=Max("coaching_sessions__held_on"))
        .filter(Q(last__isnull=True) | Q(last__lt=since))
        .select_related("entrepreneur")
        .order_by("entrepreneur__last_name", "pk")
    )
    return {"overdue": overdue, "quiet": quiet, "quiet_days": QUIET_DAYS}


def coach_cohorts(user) -> QuerySet[Cohort]:
    """The cohorts where the coach has an active assignment."""
    return Cohort.objects.filter(
        applications__coach_assignments__coach__user=user, applications__coach_assignments__ended_on__isnull=True
    ).distinct()


def events_for_coach(user) -> QuerySet[GroupEvent]:
    return (
        GroupEvent.objects.filter(cohort__in=coach_cohorts(user))
        .select_related("cohort__programme")
        .annotate(present=Count("attendances", filter=Q(attendances__attended=True)))
        .order_by("-starts_at")
    )


def event_for_coach_or_404(user, pk: int) -> GroupEvent:
    event = GroupEvent.objects.filter(pk=pk, cohort__in=coach_cohorts(user)).select_related("cohort__programme").first()
    if event is None:
        raise Http404
    return event


def event_applications(event: GroupEvent) -> QuerySet[Application]:
    """Who may attend: the cohort's selected entrepreneurs, and anyone already ticked."""
    return (
        Application.objects.filter(cohort=event.cohort)
        .filter(Q(status=ApplicationStatus.SELECTED) | Q(attendances__event=event))
        .distinct()
        .select_related("entrepreneur", "company")
        .order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk")
    )


def present_ids(event: GroupEvent) -> set[int]:
    return set(EventAttendance.objects.filter(event=event, attended=True).values_list("application_id", flat=True))


def coaching_summary_by_application(application_ids: list[int]) -> dict[int, dict]:
    """For an entrepreneur's home page: sessions, hours and open actions per application (two queries)."""
    sessions = {
        row["application"]: row
        for row in CoachingSession.objects.filter(application_id__in=application_ids)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"), last=Max("held_on"))
    }
    actions = dict(
        ActionItem.objects.filter(application_id__in=application_ids, done_at__isnull=True)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values_list("application", "n")
    )
    return {
        pk: {
            "sessions": sessions.get(pk, {}).get("n", 0),
            "minutes": sessions.get(pk, {}).get("minutes") or 0,
            "last": sessions.get(pk, {}).get("last"),
            "open_actions": actions.get(pk, 0),
        }
        for pk in application_ids
    }
