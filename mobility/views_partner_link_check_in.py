"""The Belgian partner's follow-up questionnaire, opened by its personal link without an account, in
French, Dutch or English (the link's language, or the one chosen on the page)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_protect

from core.forms import form_add_validation_error
from core.links import LinkInvalid, link_problem_response

from . import services_follow_up as services
from .forms_partner_link_check_in import PartnerCheckInForm
from .models import PartnerLanguage

LANGUAGES = [(code, label) for code, label in PartnerLanguage.choices]


def _language(request: HttpRequest, default: str) -> str:
    chosen = request.GET.get("lang") or request.POST.get("lang")
    return chosen if chosen in PartnerLanguage.values else default


@csrf_protect
def partner_check_in(request: HttpRequest, token: str) -> HttpResponse:
    try:
        partner_check_in = services.partner_check_in_open(token=token)
    except LinkInvalid as invalid:
        with translation.override(_language(request, translation.get_language() or "fr")):
            if request.method == "POST" and invalid.reason == "expired":
                # The page was opened in time but sent too late: say so, and give back what was typed.
                return render(
                    request, "mobility/partner_link/expired.html", {"comment": request.POST.get("comment", "")}, status=404
                )
            return link_problem_response(request, invalid.reason)
    language = _language(request, partner_check_in.language)
    with translation.override(language):
        form = PartnerCheckInForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.partner_check_in_answer(
                    token=token, still_going=data["still_going"], stage=data["stage"], comment=data["comment"]
                )
            except LinkInvalid as invalid:
                return link_problem_response(request, invalid.reason)
            except ValidationError as error:
                form_add_validation_error(form, error)
            else:
                return render(request, "mobility/partner_link/thanks.html", {"language": language})
        context = {
            "partner_check_in": partner_check_in,
            "partnership": partner_check_in.partnership,
            "form": form,
            "language": language,
            "languages": LANGUAGES,
            "token": token,
        }
        response = render(request, "mobility/partner_link/check_in.html", context)
    response["Content-Language"] = language
    return response
