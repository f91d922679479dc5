"""Pages of the cohorts app: the public page of an open call. The home page, which also shows figures
from `mobility`, is project-level (`pemwecco.views.home`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .. import selectors


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Public page of a call for applications; only calls open now exist for visitors."""
    cohort = get_object_or_404(selectors.open_calls(), pk=pk)
    context = {"cohort": cohort, "show_fictitious_banner": cohort.programme.is_fictitious}
    return render(request, "cohorts/call_detail.html", context)
