"""Middleware of accounts: the interface language, the second factor, and the end of sessions (idle timeout, absolute lifetime).

The interface language: the one a person chose, else French.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so a phone set to English
would get English pages even though the programme's working language is French. Here the order is:
the language cookie set by the FR/EN switcher, then the logged-in user's preferred language, then
LANGUAGE_CODE (French).
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .access import mfa_required
from .models import Role

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


#: Session keys: when the person logged in, and when they were last seen (seconds since the epoch).
SESSION_STARTED_KEY = "pem_session_started"
SESSION_SEEN_KEY = "pem_session_seen"
#: The last-seen time is written at most this often, so that most requests do not save the session.
SEEN_GRANULARITY_SECONDS = 60
#: Roles that reach evaluation data or everyone's personal data: the short idle timeout.
SENSITIVE_ROLES = (Role.STAFF, Role.EVALUATOR, Role.COMMITTEE)


def idle_limit_for(user) -> int:
    """Seconds without a request after which this person's session ends."""
    if user.is_staff or user.has_role(*SENSITIVE_ROLES):
        return settings.SESSION_IDLE_SECONDS_SENSITIVE
    return settings.SESSION_IDLE_SECONDS


def session_clock_start(sender, request: HttpRequest, user, **kwargs) -> None:
    """On login (user_logged_in): the session starts now, and was last seen now."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = request.session[SESSION_SEEN_KEY] = time.time()


class SessionTimeoutMiddleware:
    """Logs a person out after a period without any request (idle timeout, shorter for the roles that see
    personal or evaluation data) and after an absolute lifetime counted from the login, then sends them to
    the login page with a message saying why. Must come after the messages middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired_reason(request, user)
            if expired:
                return self._log_out(request, expired)
        return self.get_response(request)

    def _expired_reason(self, request: HttpRequest, user) -> str | None:
        session = request.session
        now = time.time()
        started = session.get(SESSION_STARTED_KEY)
        seen = session.get(SESSION_SEEN_KEY)
        if started is None:  # a session opened before this middleware existed: its clocks start now
            session[SESSION_STARTED_KEY] = session[SESSION_SEEN_KEY] = now
            return None
        if now - started > settings.SESSION_MAX_AGE_SECONDS:
            return _("Votre session a atteint sa durée maximale. Veuillez vous reconnecter.")
        idle = now - seen if seen is not None else 0
        # The person's roles (a query) matter only once the shorter of the two limits has passed.
        shortest = min(settings.SESSION_IDLE_SECONDS_SENSITIVE, settings.SESSION_IDLE_SECONDS)
        if idle > shortest and idle > idle_limit_for(user):
            return _("Votre session a expiré après une période d'inactivité. Veuillez vous reconnecter.")
        if seen is None or now - seen >= SEEN_GRANULARITY_SECONDS:
            session[SESSION_SEEN_KEY] = now
        return None

    def _log_out(self, request: HttpRequest, reason: str) -> HttpResponse:
        path = request.get_full_path() if request.method == "GET" else None
        logout(request)
        messages.warning(request, reason)
        target = reverse("admin:login" if request.path.startswith(reverse("admin:index")) else settings.LOGIN_URL)
        if path:
            target += "?" + urlencode({REDIRECT_FIELD_NAME: path})
        if request.headers.get("HX-Request"):
            # An htmx request would swap the login page into a fragment: make htmx load the whole page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
