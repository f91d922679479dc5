"""Reads of the reports area: which programmes a user may ask reports for, and the jobs they may see."""

from django.db.models import QuerySet

from cohorts.models import Programme

from .models import READING_ROLES, ReportJob, readable_programmes

#: The roles that read reports: staff everywhere, committee members and evaluators in their programmes.
REPORT_ROLES = READING_ROLES


def report_programmes_for_user(user) -> QuerySet[Programme]:
    """Programmes whose reports `user` may request and download."""
    return readable_programmes(user)


def report_jobs_for_user(user, *, limit: int = 50) -> QuerySet[ReportJob]:
    """The most recent report jobs of the programmes `user` may see, with what the list shows."""
    return (
        ReportJob.objects.for_user(user)
        .select_related("programme", "cohort", "requested_by")
        .order_by("-requested_at", "-pk")[:limit]
    )
