"""Reads of the steering-committee dashboard and the IATI export: which programmes a user may follow,
the programme's cohorts and the finished reports they may download."""

from django.db.models import QuerySet

from cohorts.models import Cohort, Programme

from .models import READING_ROLES, Evaluation, JobStatus, ReportJob, readable_programmes

#: Who follows programmes from the dashboard: staff, and the programme's committee and evaluator members.
DASHBOARD_ROLES = READING_ROLES

#: How many finished reports the dashboard lists per programme (the newest).
REPORTS_SHOWN = 20


def dashboard_programmes(user) -> QuerySet[Programme]:
    """Staff see every programme; committee members and evaluators the programmes they are members of
    *in that role* (a committee member who is also a coach elsewhere does not see that other programme)."""
    return readable_programmes(user)


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
