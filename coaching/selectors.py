"""Read queries of the coaching app: what a coach's home page lists, in a fixed number of queries."""

from django.db.models import Count, F, Max, Q, QuerySet

from .models import CoachAssignment


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
