"""Reads of the reports area: which programmes a user may ask reports for, and the jobs they may see."""

from django.db.models import QuerySet

from accounts.models import Role
from cohorts.models import Programme

from .models import ReportJob

#: The roles that read reports: staff everywhere, committee members and evaluators in their programmes.
REPORT_ROLES = (Role.STAFF, Role.COMMITTEE, Role.EVALUATOR)


def report_programmes_for_user(user) -> QuerySet[Programme]:
    """Programmes whose reports `user` may request and download."""
    if not user.is_authenticated or not user.has_role(*REPORT_ROLES):
        return Programme.objects.none()
    if user.has_role(Role.STAFF):
        return Programme.objects.all()
    roles = {Role.COMMITTEE.value, Role.EVALUATOR.value} & user.role_names
    return Programme.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def report_jobs_for_user(user, *, limit: int = 50) -> QuerySet[ReportJob]:
    """The most recent report jobs of the programmes `user` may see, with what the list shows."""
    return (
        ReportJob.objects.for_user(user)
        .select_related("programme", "cohort", "requested_by")
        .order_by("-requested_at", "-pk")[:limit]
    )
