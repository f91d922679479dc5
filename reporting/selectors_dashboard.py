"""Reads of the steering-committee dashboard and the IATI export: which programmes a user may follow,
the programme's cohorts and the finished reports they may download."""

from django.db.models import QuerySet

from accounts.models import Role
from cohorts.models import Cohort, Programme, ProgrammeMembership

from .models import Evaluation, JobStatus, ReportJob

#: Who follows programmes from the dashboard: staff, and the programme's committee and evaluator members.
DASHBOARD_ROLES = (Role.STAFF, Role.COMMITTEE, Role.EVALUATOR)

#: How many finished reports the dashboard lists per programme (the newest).
REPORTS_SHOWN = 20


def dashboard_programmes(user) -> QuerySet[Programme]:
    """Staff see every programme; committee members and evaluators the programmes they are members of
    *in that role* (a committee member who is also a coach elsewhere does not see that other programme)."""
    if not user.is_authenticated or not user.has_role(*DASHBOARD_ROLES):
        return Programme.objects.none()
    if user.has_role(Role.STAFF):
        return Programme.objects.all()
    roles = {Role.COMMITTEE, Role.EVALUATOR} & set(user.role_names)
    memberships = ProgrammeMembership.objects.filter(user=user, role__in=roles).values("programme_id")
    return Programme.objects.filter(pk__in=memberships)


def programme_cohorts(programme: Programme) -> list[Cohort]:
    return list(Cohort.objects.filter(programme=programme).order_by("number"))


def finished_reports(user, *, programme: Programme) -> list[ReportJob]:
    """The programme's finished reports the user may download, newest first."""
    return list(
        ReportJob.objects.for_user(user)
        .filter(programme=programme, status=JobStatus.DONE)
        .select_related("cohort")
        .order_by("-finished_at", "-pk")[:REPORTS_SHOWN]
    )


def has_evaluation(programme: Programme) -> bool:
    return Evaluation.objects.filter(programme=programme).exists()
