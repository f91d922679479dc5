"""Follow-up pages: the entrepreneur's questionnaire, and staff's view of what is due, overdue and
answered with the stage changes the answers propose. Thin views over mobility.services_follow_up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required, staff_required
from accounts.models import Role
from cohorts.models import Cohort
from core.forms import form_add_validation_error
from core.spreadsheets import parse_id

from . import selectors_follow_up as selectors
from . import services_follow_up as services
from .forms_follow_up import CheckInForm
from .models import CheckInGroup, CheckInStatus, FollowUpCheckIn, Partnership, StageProposal

PAGE_SIZE = 50


@role_required(Role.ENTREPRENEUR)
def check_in_answer(request: HttpRequest, pk: int) -> HttpResponse:
    check_in = get_object_or_404(
        FollowUpCheckIn.objects.select_related("application__cohort", "application__entrepreneur"),
        pk=pk,
        application__entrepreneur__user=request.user,
    )
    comparison = check_in.group == CheckInGroup.COMPARISON
    context = {"check_in": check_in, "comparison": comparison}
    if check_in.status != CheckInStatus.PENDING:
        return render(request, "mobility/follow_up/answered.html", context)
    if check_in.sent_at is None and check_in.due_on > timezone.localdate():
        return render(request, "mobility/follow_up/not_yet.html", context)
    partnerships = (
        Partnership.objects.filter(application=check_in.application).select_related("organisation").order_by("organisation__name")
    )
    form = CheckInForm(request.POST or None, partnerships=partnerships, comparison=comparison)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = [
            services.PartnershipAnswer(
                partnership_id=p.pk,
                still_going=data[f"p{p.pk}_still_going"],
                stage=data[f"p{p.pk}_stage"],
                signed=data[f"p{p.pk}_signed"],
                signed_on=data[f"p{p.pk}_signed_on"],
                transactions_value=data[f"p{p.pk}_transactions_value"],
                currency=data[f"p{p.pk}_currency"],
                jobs_created=data[f"p{p.pk}_jobs_created"],
                comment=data.get(f"p{p.pk}_comment", ""),
            )
            for p in form.partnerships
        ]
        try:
            services.check_in_answer(
                check_in=check_in,
                by=request.user,
                has_belgian_partner=data["has_belgian_partner"],
                exports_to_europe=data["exports_to_europe"],
                jobs_created=data["jobs_created"],
                support_request=data.get("support_request", ""),
                partnerships=answers,
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Merci : vos réponses sont enregistrées."))
            return redirect("mobility:check_in_answer", pk=check_in.pk)
    return render(request, "mobility/follow_up/questionnaire.html", {**context, "form": form})


@staff_required
def follow_up_staff(request: HttpRequest) -> HttpResponse:
    """What is due, overdue and answered, per cohort and group, entrepreneurs' or partners' side; and
    the stage changes proposed by answers, to accept or reject."""
    today = timezone.localdate()
    cohorts = Cohort.objects.select_related("programme").order_by("-programme__starts_on", "-number")
    cohort_id = parse_id(request.GET.get("cohort"))
    side = "partner" if request.GET.get("side") == "partner" else "entrepreneur"
    group = request.GET.get("group") if request.GET.get("group") in CheckInGroup.values else ""
    state = request.GET.get("state") if request.GET.get("state") in selectors.STATES else ""
    rows, counts = selectors.staff_check_ins(side=side, cohort_id=cohort_id, group=group, state=state, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.state = selectors.check_in_state(row, today)
    proposals = list(selectors.pending_stage_proposals()[:PAGE_SIZE])
    filters = {"cohort": cohort_id or "", "side": side, "group": group}
    query = urlencode({k: v for k, v in {**filters, "state": state}.items() if v})
    base_query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "cohorts": cohorts,
        "cohort_id": cohort_id,
        "side": side,
        "group": group,
        "state": state,
        "states": selectors.STATES,
        "state_labels": selectors.STATE_LABELS,
        "state_counts": [(value, label, counts[value]) for value, label in selectors.STATES.items()],
        "groups": CheckInGroup.choices,
        "page": page,
        "query": query,
        "base_query": base_query,
        "proposals": proposals,
        "today": today,
    }
    return render(request, "mobility/follow_up/staff.html", context)


@staff_required
@require_POST
def stage_proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(StageProposal.objects.select_related("partnership__organisation"), pk=pk)
    try:
        if request.POST.get("decision") == "accept":
            decided = services.stage_proposal_accept(proposal=proposal, by=request.user)
            if decided.superseded:
                messages.info(
                    request,
                    _("%(partnership)s est déjà à l'étape %(stage)s : la proposition est close sans changement.")
                    % {"partnership": proposal.partnership.organisation, "stage": proposal.get_to_stage_display()},
                )
            else:
                messages.success(
                    request,
                    _("Étape de %(partnership)s mise à jour : %(stage)s.")
                    % {"partnership": proposal.partnership.organisation, "stage": proposal.get_to_stage_display()},
                )
        elif request.POST.get("decision") == "reject":
            services.stage_proposal_reject(proposal=proposal, by=request.user)
            messages.success(request, _("Proposition refusée : l'étape reste inchangée."))
        else:
            messages.error(request, _("Choisissez d'accepter ou de refuser."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith(reverse("mobility:follow_up_staff")) else "mobility:follow_up_staff")
