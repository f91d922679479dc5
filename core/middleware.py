"""The project's own 404 and 500 pages while DEBUG is on (the demo): Django's technical pages list the
URL patterns or a traceback, which a person trying the demo must not see."""

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
