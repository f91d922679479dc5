"""The mobility plan: the entrepreneur drafts and submits it, their coach approves it or sends it back,
staff see every plan's state per cohort. Thin views over mobility.services_plan."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import role_required, staff_required
from accounts.models import Role
from coaching.selectors import coach_assignment_or_404
from cohorts.models import Application, Cohort
from core.forms import form_add_validation_error
from core.spreadsheets import parse_id
from partners.models import Organisation, OrganisationKind, Sector

from . import selectors
from . import services_plan as services
from .forms import MobilityPlanForm, PlanReviewForm
from .models import MobilityPlan, PlanStatus
from .selectors_visa import visa_status_for_coach
from .views_invitations import invitations_section


def _companies():
    return Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).order_by("name")


def _plan(application: Application) -> MobilityPlan | None:
    return MobilityPlan.objects.filter(application=application).prefetch_related("targets__organisation").first()


def _sector_labels(plan: MobilityPlan | None) -> str:
    labels = dict(Sector.choices)
    return ", ".join(str(labels[code]) for code in (plan.sectors if plan else []) if code in labels)


@role_required(Role.ENTREPRENEUR)
def plan_edit(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("entrepreneur", "cohort__programme"),
        pk=application_pk,
        entrepreneur__user=request.user,
    )
    plan = _plan(application)
    editable = plan is None or plan.status in services.EDITABLE
    initial = {}
    if plan is not None:
        initial = {
            "objectives": plan.objectives,
            "agenda_wishes": plan.agenda_wishes,
            "sectors": plan.sectors,
            "preferred_from": plan.preferred_from,
            "preferred_until": plan.preferred_until,
        }
        for n, target in enumerate(plan.targets.all(), start=1):
            initial.update(
                {
                    f"target_{n}_organisation": target.organisation_id,
                    f"target_{n}_name": target.name,
                    f"target_{n}_reason": target.reason,
                }
            )
    form = MobilityPlanForm(request.POST or None, initial=initial, sectors=Sector.choices, companies=_companies())
    if request.method == "POST" and not editable:
        messages.error(request, _("Ce plan est soumis ou validé : il ne se modifie plus."))
        return redirect("mobility:plan_edit", application_pk=application.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.mobility_plan_save(
                application=application,
                by=request.user,
                objectives=data["objectives"],
                agenda_wishes=data["agenda_wishes"],
                sectors=data["sectors"],
                preferred_from=data["preferred_from"],
                preferred_until=data["preferred_until"],
                targets=[
                    services.TargetSpec(organisation_id=o.pk if o else None, name=n, reason=r) for o, n, r in form.targets()
                ],
            )
            if "submit" in request.POST:
                services.mobility_plan_submit(plan=plan, by=request.user)
                messages.success(request, _("Plan soumis à votre coach."))
            else:
                messages.success(request, _("Plan enregistré."))
            return redirect("mobility:plan_edit", application_pk=application.pk)
        except ValidationError as error:
            form_add_validation_error(form, error)
        except PermissionDenied as denied:
            raise Http404 from denied
    context = {"application": application, "plan": plan, "form": form, "editable": editable, "plan_sectors": _sector_labels(plan)}
    context.update(invitations_section(plan, request.user))
    return render(request, "mobility/plan/edit.html", context)


@role_required(Role.COACH)
def plan_review(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = coach_assignment_or_404(request.user, application_pk).application
    plan = _plan(application)
    form = PlanReviewForm(request.POST or None)
    if request.method == "POST" and plan is not None and form.is_valid():
        try:
            services.mobility_plan_review(
                plan=plan, by=request.user, approve="approve" in request.POST, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(
                request, _("Plan validé.") if "approve" in request.POST else _("Plan renvoyé avec votre commentaire.")
            )
            return redirect("mobility:plan_review", application_pk=application.pk)
    context = {
        "application": application,
        "plan": plan,
        "form": form,
        "plan_sectors": _sector_labels(plan),
        # The coach follows the visa's progress: its status and dates, never the passport nor the documents.
        "visa_status": visa_status_for_coach(application=application),
    }
    context.update(invitations_section(plan, request.user))
    return render(request, "mobility/plan/review.html", context)


@staff_required
def plan_staff(request: HttpRequest, application_pk: int) -> HttpResponse:
    """One entrepreneur's plan as staff see it, with its invitations and whether the entrepreneur may
    send them."""
    application = get_object_or_404(Application.objects.select_related("entrepreneur", "cohort__programme"), pk=application_pk)
    plan = _plan(application)
    context = {"application": application, "plan": plan, "plan_sectors": _sector_labels(plan)}
    context.update(invitations_section(plan, request.user))
    return render(request, "mobility/plan/staff.html", context)


#: Entrepreneurs per page of the staff list of plans (as the other staff lists).
PLAN_PAGE_SIZE = 50


@staff_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """Every plan's state for one cohort (the selected entrepreneurs without a plan too)."""
    cohorts = Cohort.objects.select_related("programme").order_by("-programme__pk", "-number")
    cohort = cohorts.filter(pk=parse_id(request.GET.get("cohort")) or 0).first() or cohorts.first()
    page = None
    counts = {}
    if cohort is not None:
        counts = selectors.plan_status_counts(cohort)
        page = Paginator(selectors.plan_rows(cohort), PLAN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mobility/plan/list.html",
        {
            "cohorts": cohorts,
            "cohort": cohort,
            "page": page,
            "query": f"cohort={cohort.pk}" if cohort else "",
            "applications": page.object_list if page else [],
            "counts": counts,
            "PlanStatus": PlanStatus,
        },
    )
