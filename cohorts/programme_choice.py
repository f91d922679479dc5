"""Which programme a page opens on when none is asked for: the one the person chose last (kept in their
session), else the one with the most recent activity (an application created or changed), never merely
the newest, often still empty, programme. Used by the dashboard, the indicators and the selection analysis."""

from django.db.models import F, Max, QuerySet
from django.http import HttpRequest

from .models import Programme

SESSION_KEY = "pem_programme"


def programmes_by_activity(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """Most recent application activity first; programmes without any by start date, newest first."""
    return programmes.annotate(last_activity=Max("cohorts__applications__updated_at")).order_by(
        F("last_activity").desc(nulls_last=True), "-starts_on", "name"
    )


def programme_remember(request: HttpRequest, programme: Programme) -> None:
    if request.session.get(SESSION_KEY) != programme.pk:
        request.session[SESSION_KEY] = programme.pk


def programme_default(request: HttpRequest, programmes: QuerySet[Programme]) -> Programme | None:
    """The person's last choice if it is still one of `programmes`, else the most active of them."""
    remembered = request.session.get(SESSION_KEY)
    if isinstance(remembered, int):
        programme = programmes.filter(pk=remembered).first()
        if programme is not None:
            return programme
    return programmes_by_activity(programmes).first()
