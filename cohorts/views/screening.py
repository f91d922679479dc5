"""Staff pages of the screening area: the cohorts, each cohort's eligibility criteria with a what-if
preview of unsaved changes, and the re-screening of submitted applications."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_for_user_or_404, role_required
from accounts.models import Role
from core.jobs import JobStatus

from .. import selectors_screening
from ..forms.screening import criteria_formset
from ..models import Cohort, CriterionField, EligibilityCriterion
from ..services.screening import RESCREEN_SYNC_LIMIT, choice_fields, choices_for, cohort_rescreen_start, criteria_replace


def _cohort(request: HttpRequest, pk: int) -> Cohort:
    return get_for_user_or_404(Cohort.objects.select_related("programme__watched_region_group"), request.user, pk=pk)


def _allowed_codes(cohort: Cohort) -> list[dict]:
    """The values each choice field accepts; the regions are those of the programme's country, by name."""
    country = cohort.programme.origin_country
    return [
        {
            "field": field,
            "label": CriterionField(field).label,
            "codes": choices_for(field, country=country),
            "names_only": field == CriterionField.REGION,
        }
        for field in choice_fields()
    ]


def _render_edit(request: HttpRequest, cohort: Cohort, formset, what_if: dict | None = None) -> HttpResponse:
    context = {
        "cohort": cohort,
        "formset": formset,
        "what_if": what_if,
        "allowed_codes": _allowed_codes(cohort),
        "screening_status": selectors_screening.cohort_screening_status(cohort=cohort),
        "rescreen_sync_limit": RESCREEN_SYNC_LIMIT,
        "screening_job": cohort.screening_jobs.first(),
        "job_status": JobStatus,
        "show_fictitious_banner": cohort.programme.is_fictitious,
    }
    return render(request, "cohorts/screening/criteria_edit.html", context)


@role_required(Role.STAFF)
def criteria_cohort_list(request: HttpRequest) -> HttpResponse:
    cohorts = selectors_screening.cohorts_for_screening()
    return render(request, "cohorts/screening/cohort_list.html", {"cohorts": cohorts})


@role_required(Role.STAFF)
def criteria_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    if request.method != "POST":
        return _render_edit(request, cohort, criteria_formset(cohort=cohort))
    formset = criteria_formset(cohort=cohort, data=request.POST)
    if formset.is_valid():
        try:
            criteria_replace(cohort=cohort, rows=formset.rows(), by=request.user)
        except ValidationError as error:
            formset.non_form_errors().extend(error.messages)
        else:
            messages.success(
                request,
                _(
                    "Critères enregistrés. Les candidatures déjà examinées ne changent pas tant que vous ne lancez pas le réexamen."
                ),
            )
            return redirect("cohorts:criteria_edit", pk=cohort.pk)
    return _render_edit(request, cohort, formset)


@role_required(Role.STAFF)
@require_POST
def criteria_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What-if of the posted, unsaved criteria: nothing is written. htmx gets the partial; without
    JavaScript the whole page comes back with the form as typed and the preview under it."""
    cohort = _cohort(request, pk)
    formset = criteria_formset(cohort=cohort, data=request.POST)
    what_if = None
    if formset.is_valid():
        criteria = [
            EligibilityCriterion(cohort=cohort, **{name: value for name, value in row.items() if name != "id"})
            for row in formset.rows()
        ]
        what_if = selectors_screening.criteria_what_if(cohort=cohort, criteria=criteria)
    if request.headers.get("HX-Request"):
        return render(request, "cohorts/screening/_what_if.html", {"what_if": what_if, "formset": formset})
    return _render_edit(request, cohort, formset, what_if=what_if)


@role_required(Role.STAFF)
@require_POST
def criteria_rescreen(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    result = cohort_rescreen_start(cohort=cohort, by=request.user)
    if result is None:
        messages.info(
            request,
            _(
                "Réexamen lancé en arrière-plan. Vous recevrez un e-mail avec le résultat ; les compteurs ci-dessous avancent pendant ce temps."
            ),
        )
        job = cohort.screening_jobs.first()
        if job is not None and job.status == JobStatus.QUEUED and job.error:
            messages.warning(request, job.error_display)
    else:
        messages.success(
            request,
            _(
                "Réexamen terminé : %(checked)s candidature(s) examinée(s), %(changed)s changement(s) de statut "
                "(éligibles : %(eligible)s, non éligibles : %(ineligible)s)."
            )
            % result,
        )
    return redirect("cohorts:criteria_edit", pk=cohort.pk)


@role_required(Role.STAFF)
@require_GET
def criteria_rescreen_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status block of the cohort's latest background re-screening; htmx asks again every 2 s while
    it is queued or running."""
    cohort = _cohort(request, pk)
    context = {"cohort": cohort, "screening_job": cohort.screening_jobs.first(), "job_status": JobStatus}
    response = render(request, "cohorts/screening/_rescreen_status.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
