"""Staff's coaching pages per cohort: who coaches whom (bulk assignment), hours and sessions per
entrepreneur, those without a session for 30 days, overdue actions, the coaches' monthly workload as a
chart, and an export."""

import tablib
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import staff_required
from cohorts.models import Cohort
from core.spreadsheets import EXPORT_FORMATS, dataset_response

from . import selectors, services
from .charts import workload_chart
from .forms_staff import AssignForm
from .models import CoachAssignment


def _hours(minutes: int) -> float:
    """Hours to one decimal, the same on the page and in the export."""
    return round((minutes or 0) / 60, 1)


@staff_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    return render(request, "coaching/staff/cohort_list.html", {"cohorts": selectors.cohorts_with_coaching()})


def _assign_form(cohort: Cohort, data=None) -> AssignForm:
    return AssignForm(data, coaches=selectors.active_coaches(), applications=selectors.coached_applications(cohort))


@staff_required
def cohort_overview(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_pk)
    return _overview(request, cohort, _assign_form(cohort))


#: Entrepreneurs per page of the overview (as the staff lists); the figures are the whole cohort's.
PAGE_SIZE = 50


def _overview(request: HttpRequest, cohort: Cohort, form: AssignForm, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    applications = selectors.coached_applications(cohort)
    quiet_only = request.GET.get("quiet") == "1"
    totals = selectors.coaching_totals(applications, today)
    listed = applications.filter(selectors.quiet_condition(today)) if quiet_only else applications
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "cohort": cohort,
        "page": page,
        "query": "quiet=1" if quiet_only else "",
        "rows": [(application, selectors.is_quiet(application, today)) for application in page.object_list],
        "quiet_only": quiet_only,
        "quiet_days": selectors.QUIET_DAYS,
        "quiet_count": totals["quiet"],
        "total_hours": _hours(totals["minutes"]),
        "total_sessions": totals["sessions"],
        "overdue_count": totals["overdue"],
        "chart": workload_chart(selectors.coach_workload(cohort)),
        "form": form,
    }
    return render(request, "coaching/staff/overview.html", context, status=status)


@staff_required
@require_POST
def cohort_assign(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_pk)
    form = _assign_form(cohort, request.POST)
    if not form.is_valid():
        return _overview(request, cohort, form, status=400)
    created = services.coach_assign(
        applications=list(form.cleaned_data["applications"]),
        coach=form.cleaned_data["coach"],
        is_lead=form.cleaned_data["is_lead"],
        by=request.user,
    )
    messages.success(
        request,
        ngettext("%(count)s affectation ajoutée.", "%(count)s affectations ajoutées.", created) % {"count": created},
    )
    return redirect("coaching:cohort_overview", cohort_pk=cohort.pk)


@staff_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(CoachAssignment.objects.select_related("application"), pk=pk)
    services.coach_assignment_end(assignment=assignment, by=request.user)
    messages.success(request, _("Affectation terminée : le coach n'a plus accès à cet·te entrepreneur·e."))
    return redirect("coaching:cohort_overview", cohort_pk=assignment.application.cohort_id)


@staff_required
def cohort_export(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_pk)
    export_format = request.GET.get("format", "csv")
    if export_format not in EXPORT_FORMATS:
        messages.error(request, _("Format d'export inconnu : choisissez CSV ou XLSX."))
        return redirect("coaching:cohort_overview", cohort_pk=cohort.pk)
    today = timezone.localdate()
    dataset = tablib.Dataset(title=_("Coaching"))
    dataset.headers = [
        _("Entrepreneur·e"),
        _("Entreprise"),
        _("Coachs"),
        _("Séances"),
        _("Heures"),
        _("Dernière séance"),
        _("Sans séance depuis %(quiet_days)s jours") % {"quiet_days": selectors.QUIET_DAYS},
        _("Actions ouvertes"),
        _("Actions en retard"),
    ]
    for application in selectors.coached_applications(cohort):
        dataset.append(
            [
                str(application.entrepreneur),
                application.company.name if application.company else "",
                ", ".join(a.coach.user.get_full_name() for a in application.active_assignments),
                application.sessions_count,
                _hours(application.minutes),
                application.last_session_on,
                _("oui") if selectors.is_quiet(application, today) else _("non"),
                application.open_actions,
                application.overdue_actions,
            ]
        )
    return dataset_response(dataset, export_format, _("coaching"))
