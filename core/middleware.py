"""Project middleware: the own 404 and 500 pages of the demo (Django's technical pages list the URL patterns
or a traceback, which a person trying the demo must not see), the refusal of NUL characters in URLs, and the
security headers Django does not set itself."""

import threading

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults


class SqliteOneRequestAtATimeMiddleware:
    """The embedded default (SQLite) serves one request at a time per process, in arrival order or close to it.

    With ATOMIC_REQUESTS and IMMEDIATE transactions every view holds SQLite's single write lock from its
    first line to its last, so runserver's threads ran one at a time anyway; but they queued on SQLite's busy
    handler, a lottery that retries every 100 ms and gives up after SQLITE_BUSY_TIMEOUT: with 20 people at
    once (bench/load.py) some requests lost it for 20 s and answered 500 "database is locked", and the
    Celery worker, one competitor among twenty, lost its turns too. Here the threads wait on a lock of the
    process, in turn, up to SQLITE_BUSY_TIMEOUT (then a plain "try again", 503, nothing stored), and the
    worker only competes with the one request in progress. A POST's body is read before the wait. Installed
    only on SQLite (pemwecco/settings.py); PostgreSQL serves requests side by side."""

    lock = threading.Lock()

    def __init__(self, get_response):
        self.get_response = get_response
        # As long as the Celery worker waits for a request's write: past it, a clear "try again" (503).
        self.wait_seconds = float(settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 20))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            # The body is read before waiting, as CSRF's check would read it: a slow upload over a slow
            # connection holds nobody else up (review).
            try:
                request.POST  # noqa: B018 - reading it is the point (multipart files go to temporary files)
            except UnreadablePostError:
                pass
        if not self.lock.acquire(timeout=self.wait_seconds):
            # Before the language middleware (and without the database, which is the point): the FR/EN
            # switcher's cookie, else French.
            with translation.override(_cookie_language(request)):
                text = _("Le serveur est très occupé. Réessayez dans un instant : rien n'a été enregistré.")
            response = HttpResponse(text, status=503, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = "5"
            return response
        try:
            return self.get_response(request)
        finally:
            self.lock.release()


def _cookie_language(request: HttpRequest) -> str:
    try:
        return translation.get_supported_language_variant(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or "")
    except LookupError:
        return settings.LANGUAGE_CODE


class FriendlyErrorPagesMiddleware:
    """Replaces an HTML 404 or 500 response with templates/404.html or 500.html. Installed by the settings
    only when DEBUG and FRIENDLY_ERROR_PAGES are both on (scripts/run_demo.sh turns it on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if response.status_code == 404:
            return defaults.page_not_found(request, Http404())
        if response.status_code == 500:
            return defaults.server_error(request)
        return response


class RejectNulCharactersMiddleware:
    """A NUL character in the query string (`?q=%00`) is refused with 400 Bad Request. PostgreSQL cannot
    store or compare text holding NUL, so such a value reaching a filter or a search of the admin or of a
    list page raised ValueError, a 500. Forms already refuse NUL in what they validate (Django's
    ProhibitNullCharactersValidator); query parameters read directly by list filters are not forms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: a Permissions-Policy (no camera, microphone,
    geolocation... for any page) and `Cache-Control: no-store` on every page shown to a logged-in person and
    on the login and password pages (settings.NO_STORE_URL_NAMES), so that no browser or proxy cache keeps a
    copy of personal data for the next person at a shared computer. Must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        match = request.resolver_match
        if (user is not None and user.is_authenticated) or (match and match.view_name in settings.NO_STORE_URL_NAMES):
            add_never_cache_headers(response)
        return response
