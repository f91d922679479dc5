"""Project-level pages that bring several apps together. The home page shows one section per role held,
and reads each app through that app's selectors, so that `cohorts` never needs to know about trips."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from coaching import selectors as coaching_selectors
from cohorts import selectors as cohort_selectors
from cohorts.models import ApplicationStatus, Programme
from mobility import selectors as mobility_selectors


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get the public landing page; a logged-in user sees one section per role held."""
    user = request.user
    context = {"open_calls": cohort_selectors.open_calls()}
    if not user.is_authenticated:
        context["show_fictitious_banner"] = _shows_fictitious_data(context)
        return render(request, "home_public.html", context)
    if user.has_role(Role.STAFF):
        context["staff_programmes"] = _with_travelled_counts(cohort_selectors.programmes_for_staff())
    if user.has_role(Role.COACH):
        context["coach_assignments"] = coaching_selectors.coach_assignments_for(user)
    if user.has_role(Role.REVIEWER):
        context["assigned_reviews"] = cohort_selectors.reviews_assigned_to(user)
    if user.has_role(Role.ENTREPRENEUR):
        context["my_applications"] = _with_journey(cohort_selectors.applications_of_entrepreneur(user))
    if user.has_role(Role.COMMITTEE, Role.EVALUATOR):
        context["followed_programmes"] = _with_travelled_counts(cohort_selectors.programmes_followed_by(user))
    context["show_fictitious_banner"] = _shows_fictitious_data(context)
    return render(request, "home.html", context)


def _with_journey(applications) -> list:
    """Each selected application given what follows the selection: coaching, mobility plan, visa, trips."""
    applications = list(applications)
    selected = [a.pk for a in applications if a.status == ApplicationStatus.SELECTED and not a.outcome_hidden]
    if selected:
        coaching = coaching_selectors.coaching_summary_by_application(selected)
        journey = mobility_selectors.journey_by_application(selected)
        for application in applications:
            if application.pk in coaching:
                application.coaching = coaching[application.pk]
                application.journey = journey[application.pk]
    return applications


def _with_travelled_counts(programmes: Iterable[Programme]) -> list[Programme]:
    """The programmes, each prefetched cohort given `travelled_count` (applications that travelled, as
    the indicators count them) from one query."""
    programmes = list(programmes)
    cohorts = [cohort for programme in programmes for cohort in programme.cohorts.all()]
    counts = mobility_selectors.travelled_counts_by_cohort(cohort.pk for cohort in cohorts) if cohorts else {}
    for cohort in cohorts:
        cohort.travelled_count = counts.get(cohort.pk, 0)
    return programmes


def _shows_fictitious_data(context: dict) -> bool:
    """Whether the page shows a demo programme, so the base template warns that its data is invented.

    Evaluating the querysets here fills their cache: the template reuses the rows, no extra query.
    """
    programmes = [*context.get("staff_programmes", ()), *context.get("followed_programmes", ())]
    programmes += [cohort.programme for cohort in context.get("open_calls", ())]
    programmes += [application.cohort.programme for application in context.get("my_applications", ())]
    programmes += [assignment.application.cohort.programme for assignment in context.get("coach_assignments", ())]
    programmes += [review.application.cohort.programme for review in context.get("assigned_reviews", ())]
    return any(programme.is_fictitious for programme in programmes)
