"""Pages of the cohorts app: the home page of each role, and the public page of an open call."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.models import Role

from . import selectors


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get the public landing page; a logged-in user sees one section per role held."""
    user = request.user
    if not user.is_authenticated:
        context = {"open_calls": selectors.open_calls()}
        context["show_fictitious_banner"] = _shows_fictitious_data(context)
        return render(request, "home_public.html", context)
    context = {"open_calls": selectors.open_calls()}
    if user.has_role(Role.STAFF):
        context["staff_programmes"] = selectors.programmes_for_staff()
    if user.has_role(Role.COACH):
        context["coach_assignments"] = selectors.coach_assignments_for(user)
    if user.has_role(Role.ENTREPRENEUR):
        context["my_applications"] = selectors.applications_of_entrepreneur(user)
    if user.has_role(Role.COMMITTEE, Role.EVALUATOR):
        context["followed_programmes"] = selectors.programmes_followed_by(user)
    context["show_fictitious_banner"] = _shows_fictitious_data(context)
    return render(request, "home.html", context)


def _shows_fictitious_data(context: dict) -> bool:
    """Whether the page shows a demo programme, so the base template warns that its data is invented.

    Evaluating the querysets here fills their cache: the template reuses the rows, no extra query.
    """
    programmes = [*context.get("staff_programmes", ()), *context.get("followed_programmes", ())]
    programmes += [cohort.programme for cohort in context.get("open_calls", ())]
    programmes += [application.cohort.programme for application in context.get("my_applications", ())]
    programmes += [assignment.application.cohort.programme for assignment in context.get("coach_assignments", ())]
    return any(programme.is_fictitious for programme in programmes)


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Public page of a call for applications; only calls open now exist for visitors."""
    cohort = get_object_or_404(selectors.open_calls(), pk=pk)
    context = {"cohort": cohort, "show_fictitious_banner": cohort.programme.is_fictitious}
    return render(request, "cohorts/call_detail.html", context)
