"""Project middleware: the own 404 and 500 pages of the demo (Django's technical pages list the URL patterns
or a traceback, which a person trying the demo must not see), and the refusal of NUL characters in URLs."""

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.views import defaults


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
