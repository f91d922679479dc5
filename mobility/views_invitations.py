"""Invitations seen from the platform: the section of the mobility plan pages (staff, coach, the
entrepreneur), the invitation form, and staff's list of every invitation with the response figures.
Thin views over mobility.services_invitations and selectors_invitations."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required, staff_required
from accounts.models import Role, User
from cohorts.models import Application, Cohort
from core.forms import form_add_validation_error
from core.meeting_time import BRUSSELS
from partners.models import Organisation, OrganisationContact, OrganisationKind

from . import services_invitations as services
from .forms_invitations import InvitationFilterForm, InvitationForm
from .models import Invitation, MobilityPlan
from .selectors_invitations import (
    invitation_response_stats_all,
    invitations_for_staff_list,
    invitations_list_rows,
    plan_invitations,
)

PAGE_SIZE = 50


def plan_page_url(user: User, application_id: int) -> str:
    from django.urls import reverse

    if user.has_role(Role.STAFF):
        return reverse("mobility:plan_staff", args=[application_id])
    if user.has_role(Role.ENTREPRENEUR):
        return reverse("mobility:plan_edit", args=[application_id])
    return reverse("mobility:plan_review", args=[application_id])


def invitations_section(plan: MobilityPlan | None, user: User) -> dict:
    """What the "Invitations" section of a plan page shows: the plan's target companies with their
    invitations, whether this user may invite, and the trip the invitations are for."""
    if plan is None:
        return {"invitation_rows": [], "may_invite": False, "invitation_trip": None}
    trip = services.planned_trip(plan.application_id)
    # The planned trip's invitations; without one, those of the trips made (what the plan led to).
    by_company = plan_invitations(plan, trip=trip)
    rows = [
        {"target": t, "invitations": by_company.get(t.organisation_id, []) if t.organisation_id else []}
        for t in plan.targets.all()
    ]
    return {
        "invitation_rows": rows,
        "may_invite": services.invitation_may_send(plan=plan, user=user),
        "invitation_trip": trip,
    }


def _application_for_inviter(request: HttpRequest, application_pk: int) -> tuple[Application, MobilityPlan]:
    applications = Application.objects.select_related("entrepreneur", "cohort__programme")
    if not request.user.has_role(Role.STAFF):
        applications = applications.filter(entrepreneur__user=request.user)
    application = get_object_or_404(applications, pk=application_pk)
    plan = MobilityPlan.objects.filter(application=application).prefetch_related("targets__organisation").first()
    if plan is None or not services.invitation_may_send(plan=plan, user=request.user):
        raise Http404
    return application, plan


@role_required(Role.STAFF, Role.ENTREPRENEUR)
def invitation_new(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Invite one of the plan's target companies, with one to three proposed slots; sent at once."""
    application, plan = _application_for_inviter(request, application_pk)
    targets = [t for t in plan.targets.all() if t.organisation_id]
    contacts = OrganisationContact.objects.filter(organisation__in=[t.organisation_id for t in targets]).select_related(
        "organisation"
    )
    initial = {"target": request.GET.get("target")}
    form = InvitationForm(request.POST or None, initial=initial, targets=targets, contacts=contacts)
    trip = services.planned_trip(application.pk)
    if trip is not None:  # the browser's date picker opens on the trip's days
        for starts, _minutes in form.slot_rows():
            starts.field.widget.attrs.update(min=f"{trip.departs_on}T00:00", max=f"{trip.returns_on}T23:59")
    if request.method == "POST":
        with timezone.override(BRUSSELS):
            valid = form.is_valid()
        if valid:
            data = form.cleaned_data
            target = next((t for t in targets if t.pk == data["target"]), None)
            contact = next((c for c in contacts if c.pk == data["contact"]), None) if data["contact"] else None
            slots = [
                services.SlotSpec(
                    starts_at=data[f"slot_{n}_starts"],
                    ends_at=data[f"slot_{n}_starts"] + datetime.timedelta(minutes=data[f"slot_{n}_minutes"] or 60),
                )
                for n in range(1, 4)
                if data.get(f"slot_{n}_starts")
            ]
            try:
                if target is None:
                    raise ValidationError({"target": _("Choisissez une entreprise du plan.")})
                invitation = services.invitation_create(
                    target=target,
                    by=request.user,
                    contact=contact,
                    email=data["email"],
                    language=data["language"],
                    message=data["message"],
                    slots=slots,
                )
                services.invitation_send(invitation=invitation, by=request.user)
            except ValidationError as error:
                if hasattr(error, "error_dict") and "slots" in error.error_dict:
                    error = ValidationError({"slot_1_starts": error.error_dict.pop("slots"), **error.error_dict})
                form_add_validation_error(form, error)
            except PermissionDenied as denied:
                raise Http404 from denied
            else:
                messages.success(
                    request,
                    _("Invitation envoyée à %(company)s (%(email)s).")
                    % {"company": invitation.organisation.name, "email": invitation.email},
                )
                return redirect(plan_page_url(request.user, application.pk) + "#invitations")
    context = {
        "application": application,
        "plan": plan,
        "form": form,
        "trip": trip,
        "back": plan_page_url(request.user, application.pk),
    }
    return render(request, "mobility/invitations/new.html", context)


@role_required(Role.STAFF, Role.ENTREPRENEUR)
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the e-mail again with a new link (the previous link stops working)."""
    invitation = get_object_or_404(Invitation.objects.select_related("trip"), pk=pk)
    _application_for_inviter(request, invitation.trip.application_id)
    try:
        services.invitation_send(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as denied:
        raise Http404 from denied
    else:
        messages.success(request, _("Invitation renvoyée avec un nouveau lien : l'ancien lien ne fonctionne plus."))
    return redirect(plan_page_url(request.user, invitation.trip.application_id) + "#invitations")


@staff_required
@require_POST
def plan_invitations_allow(request: HttpRequest, application_pk: int) -> HttpResponse:
    plan = get_object_or_404(MobilityPlan, application_id=application_pk)
    allowed = request.POST.get("allowed") == "1"
    services.mobility_plan_invitations_allow(plan=plan, by=request.user, allowed=allowed)
    messages.success(
        request,
        _("L'entrepreneur·e peut maintenant envoyer ses invitations.")
        if allowed
        else _("Seule l'équipe envoie désormais les invitations."),
    )
    return redirect("mobility:plan_staff", application_pk=application_pk)


@staff_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    """Every invitation (filters: cohort, status, relay agency), 50 per page, with the response rate and
    median days to answer per relay agency and per cohort at the top."""
    cohorts = Cohort.objects.select_related("programme").order_by("-programme__pk", "-number")
    agencies = Organisation.objects.filter(relayed_companies__kind=OrganisationKind.BELGIAN_COMPANY).distinct().order_by("name")
    form = InvitationFilterForm(request.GET or None, cohorts=cohorts, agencies=agencies)
    filters = form.cleaned_data if form.is_valid() else {}
    invitations = invitations_for_staff_list(
        cohort_id=filters.get("cohort"), status=filters.get("status", ""), relay_agency_id=filters.get("relay_agency")
    )
    page = Paginator(invitations_list_rows(invitations), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    stats = invitation_response_stats_all(invitations)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "overall": stats["overall"][0],
        "by_agency": stats["relay_agency"],
        "by_cohort": stats["cohort"],
    }
    return render(request, "mobility/invitations/list.html", context)
