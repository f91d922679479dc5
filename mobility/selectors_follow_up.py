"""Reads for the follow-up pages: the check-ins staff follow (due, overdue, answered, per cohort and
group) and the stage changes waiting for a decision."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CheckInStatus, FollowUpCheckIn, PartnerCheckIn, StageProposal, StageProposalStatus

#: A questionnaire unanswered this long after its due date (the two weekly reminders are behind it) is overdue.
OVERDUE_AFTER = datetime.timedelta(days=21)

#: A row's state, as its badge says it.
STATE_LABELS = {
    "upcoming": _("À venir"),
    "due": _("À répondre"),
    "overdue": _("En retard"),
    "answered": _("Répondu"),
}
#: The filter, with the count of rows in each state.
STATES = {
    "upcoming": _("À venir"),
    "due": _("À répondre"),
    "overdue": _("En retard"),
    "answered": _("Répondus"),
}


def _state_filters(today: datetime.date, answered: Q, unanswered: Q) -> dict[str, Q]:
    late = today - OVERDUE_AFTER
    return {
        "upcoming": unanswered & Q(due_on__gt=today),
        "due": unanswered & Q(due_on__lte=today, due_on__gt=late),
        "overdue": unanswered & Q(due_on__lte=late),
        "answered": answered,
    }


def entrepreneur_state_filters(today: datetime.date) -> dict[str, Q]:
    filters = _state_filters(today, Q(status=CheckInStatus.DONE), Q(status=CheckInStatus.PENDING))
    filters["overdue"] |= Q(status=CheckInStatus.MISSED)  # closed without an answer (older follow-ups)
    return filters


def partner_state_filters(today: datetime.date) -> dict[str, Q]:
    return _state_filters(today, Q(answered_at__isnull=False), Q(answered_at__isnull=True))


def check_in_state(check_in, today: datetime.date | None = None) -> str:
    """The state of one row (entrepreneur's or partner's), as the filters count it."""
    today = today or timezone.localdate()
    answered = check_in.answered_at is not None if isinstance(check_in, PartnerCheckIn) else check_in.status == CheckInStatus.DONE
    if isinstance(check_in, FollowUpCheckIn) and check_in.status == CheckInStatus.MISSED:
        return "overdue"
    if answered:
        return "answered"
    if check_in.due_on > today:
        return "upcoming"
    return "overdue" if check_in.due_on <= today - OVERDUE_AFTER else "due"


def staff_check_ins(*, side: str, cohort_id: int | None, group: str, state: str, today: datetime.date):
    """The rows of the staff page and the count per state (for the same cohort and group)."""
    if side == "partner":
        rows: QuerySet = PartnerCheckIn.objects.select_related(
            "partnership__organisation", "partnership__application__entrepreneur", "partnership__application__cohort__programme"
        )
        if cohort_id:
            rows = rows.filter(partnership__application__cohort_id=cohort_id)
        filters = partner_state_filters(today)
    else:
        rows = FollowUpCheckIn.objects.select_related("application__entrepreneur", "application__cohort__programme")
        if cohort_id:
            rows = rows.filter(application__cohort_id=cohort_id)
        if group:
            rows = rows.filter(group=group)
        filters = entrepreneur_state_filters(today)
    counts = rows.aggregate(**{name: Count("pk", filter=condition) for name, condition in filters.items()})
    if state in filters:
        rows = rows.filter(filters[state])
    # Upcoming rows soonest first; otherwise the latest due first (what staff act on now).
    return rows.order_by(*(("due_on", "pk") if state == "upcoming" else ("-due_on", "-pk"))), counts


def pending_stage_proposals() -> QuerySet:
    return (
        StageProposal.objects.filter(status=StageProposalStatus.PENDING)
        .select_related("partnership__organisation", "partnership__application__entrepreneur", "check_in", "partner_check_in")
        .order_by("answered_on", "pk")
    )
