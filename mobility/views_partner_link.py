"""The page a Belgian company opens from its invitation e-mail, without an account: who invites it and
why, the proposed slots (Brussels time, Dakar time beside), and its three possible answers. Shown in the
invitation's language, or the one the company picks on the page."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.forms import form_add_validation_error
from core.links import LinkInvalid, link_problem_response

from . import services_invitations as services
from .forms_partner_link import AcceptForm, DeclineForm, ReferForm
from .models import Invitation
from .partner_link import DECLINE_REASON_LABELS, PAGE_LANGUAGES, SECTOR_LABELS, slot_time
from .selectors_invitations import invitation_for_token, slot_is_free


def _language(request: HttpRequest, invitation: Invitation) -> str:
    chosen = request.POST.get("lang") or request.GET.get("lang")
    return chosen if chosen in dict(PAGE_LANGUAGES) else invitation.language


def _context(invitation: Invitation, language: str) -> dict:
    application = invitation.trip.application
    company = application.company
    plan = getattr(application, "mobility_plan", None)
    slots = list(invitation.slots.all())
    free = {slot.pk: slot_is_free(slot, invitation.trip) for slot in slots}
    return {
        "invitation": invitation,
        "company": company,
        "sector": SECTOR_LABELS.get(company.sector, "") if company else "",
        "entrepreneur_first_name": application.entrepreneur.first_name,
        "purpose": plan.objectives if plan else "",
        "slots": [{"slot": slot, "label": slot_time(slot), "free": free[slot.pk]} for slot in slots],
        "free_slots": [slot for slot in slots if free[slot.pk]],
        "languages": PAGE_LANGUAGES,
        "language": language,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_for_token(token)
    except LinkInvalid as problem:
        return link_problem_response(request, problem.reason)
    language = _language(request, invitation)
    with translation.override(language):
        context = _context(invitation, language)
        labels = {item["slot"].pk: item["label"] for item in context["slots"]}
        answer = request.POST.get("answer") if request.method == "POST" else None
        # Any proposed slot may be posted (one taken meanwhile gets the service's clear message); only the
        # free ones are offered.
        accept = AcceptForm(
            request.POST if answer == "accept" else None, slots=[i["slot"] for i in context["slots"]], slot_labels=labels
        )
        decline = DeclineForm(request.POST if answer == "decline" else None)
        refer = ReferForm(request.POST if answer == "refer" else None)
        form = {"accept": accept, "decline": decline, "refer": refer}.get(answer)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if answer == "accept":
                    meeting = services.invitation_accept(invitation=invitation, slot_id=data["slot"])
                    context["chosen"] = slot_time(meeting.invitation.chosen_slot)
                elif answer == "decline":
                    services.invitation_decline(invitation=invitation, reason=data["reason"], details=data["details"])
                    context["reason"] = DECLINE_REASON_LABELS[data["reason"]]
                else:
                    services.invitation_refer(invitation=invitation, name=data["name"], email=data["email"])
                    context["colleague"] = data["name"]
            except services.InvitationAnswered:
                return link_problem_response(request, "used")
            except ValidationError as error:
                if getattr(error, "code", None) == services.NOT_OPEN_CODE:
                    # Closed between the page's check and the lock (trip cancelled, invitation expired).
                    return link_problem_response(request, "expired")
                form_add_validation_error(form, error)
                if answer == "accept":
                    context = _context(invitation, language)
            else:
                context["answer"] = answer
                return render(request, "mobility/partner_link/done.html", context)
        accept.fields["slot"].choices = [(slot.pk, labels[slot.pk]) for slot in context["free_slots"]]
        context.update(accept_form=accept, decline_form=decline, refer_form=refer, open_answer=answer or "")
        return render(request, "mobility/partner_link/answer.html", context)
