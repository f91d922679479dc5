"""The interface language: the one a person chose, else French.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so a phone set to English
would get English pages even though the programme's working language is French. Here the order is:
the language cookie set by the FR/EN switcher, then the logged-in user's preferred language, then
LANGUAGE_CODE (French).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django_otp import user_has_device

from .access import mfa_required

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def language_for(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in SUPPORTED:
        return chosen
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.preferred_language in SUPPORTED:
        return user.preferred_language
    return settings.LANGUAGE_CODE


class PreferredLanguageMiddleware(LocaleMiddleware):
    """Must come after AuthenticationMiddleware (it reads the user's preference)."""

    def process_request(self, request: HttpRequest) -> None:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Pages a person who still owes their second factor may open: the two MFA screens, logging out, the
# language switcher, and the files the pages need.
MFA_OPEN_URL_NAMES = ("accounts:mfa_setup", "accounts:mfa_verify", "accounts:logout", "set_language")


class MfaRequiredMiddleware:
    """Staff, evaluators and committee members reach no page (the Django admin included) before they
    gave a one-time code in this session: to the enrolment screen if they have no authenticator yet,
    else to the code screen. Anyone else who chose to add an authenticator is asked for its code too.
    Must come after django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if (
            user is not None
            and settings.MFA_ENFORCED
            and user.is_authenticated
            and not user.is_verified()
            and (mfa_required(user) or user_has_device(user, confirmed=True))
        ):
            path = request.path_info
            open_paths = {reverse(name) for name in MFA_OPEN_URL_NAMES}
            if path not in open_paths and not path.startswith(settings.STATIC_URL):
                target = "accounts:mfa_verify" if user_has_device(user, confirmed=True) else "accounts:mfa_setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
