"""Pages of the cohorts app: the public page of an open call. The home page, which also shows figures
from `mobility`, is project-level (`reporting.views.home.home`)."""

import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.bilingual import text_in

from .. import selectors
from ..models import Application, EligibilityCriterion

#: The call's deadline is always shown in these zones: applicants are in Senegal or in the Belgian diaspora.
DEADLINE_ZONES = (("Africa/Dakar", _("heure de Dakar")), ("Europe/Brussels", _("heure de Bruxelles")))


def deadline_in_zones(deadline: datetime.datetime, user) -> list[dict]:
    """The deadline in Dakar and Brussels time, plus the user's own zone when it is another one."""
    zones = list(DEADLINE_ZONES)
    user_zone = getattr(user, "time_zone", "") if user.is_authenticated else ""
    if user_zone and user_zone not in {name for name, _label in zones}:
        try:
            ZoneInfo(user_zone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
        else:
            zones.append((user_zone, _("votre fuseau (%(zone)s)") % {"zone": user_zone}))
    return [{"zone": name, "label": label, "at": timezone.localtime(deadline, ZoneInfo(name))} for name, label in zones]


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Public page of a call for applications; only calls open now exist for visitors."""
    active_criteria = EligibilityCriterion.objects.filter(is_active=True).order_by("order", "pk")
    cohort = get_object_or_404(
        selectors.open_calls().prefetch_related(Prefetch("criteria", queryset=active_criteria, to_attr="active_criteria")),
        pk=pk,
    )
    criteria = [text_in(criterion, "label") for criterion in cohort.active_criteria]
    user = request.user
    is_entrepreneur = user.is_authenticated and user.has_role(Role.ENTREPRENEUR)
    existing = (
        Application.objects.filter(cohort=cohort, entrepreneur__user=user).only("pk", "status").first()
        if is_entrepreneur
        else None
    )
    context = {
        "cohort": cohort,
        "criteria": criteria,
        "deadlines": deadline_in_zones(cohort.call_closes_at, user),
        "is_entrepreneur": is_entrepreneur,
        "existing_application": existing,
        "show_fictitious_banner": cohort.programme.is_fictitious,
    }
    return render(request, "cohorts/call_detail.html", context)
