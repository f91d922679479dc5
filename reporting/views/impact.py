"""The impact pages: persistence of partnerships per cohort (+6/+12 months, from the stage history) and
the participants' outcomes beside the comparison group's. Read-only, for the indicators page's readers
(staff, and the committee members and evaluators of the programme); another programme is a 404."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from accounts.access import role_required

from .. import selectors_indicators
from ..charts import persistence_svg
from ..forms.impact import ProgrammeForm
from ..forms.indicators import ScopeForm
from ..persistence import persistence_by_cohort
from ..selectors_impact import outcomes_compared
from .indicators import _cohort, _programme


@role_required(*selectors_indicators.READER_ROLES)
def persistence(request: HttpRequest) -> HttpResponse:
    programme = _programme(request, request.GET.get("programme"))
    figures = persistence_by_cohort(programme)
    form = ProgrammeForm(initial={"programme": programme}, programmes=selectors_indicators.programmes_for_user(request.user))
    return render(
        request,
        "reporting/impact/persistence.html",
        {
            "programme": programme,
            "persistence": figures,
            "chart": mark_safe(persistence_svg(figures)),  # noqa: S308 (built with escaped text)
            "scope_form": form,
            "comparison_query": urlencode({"programme": programme.pk}),
        },
    )


@role_required(*selectors_indicators.READER_ROLES)
def comparison(request: HttpRequest) -> HttpResponse:
    programme = _programme(request, request.GET.get("programme"))
    cohort = _cohort(programme, request.GET.get("cohort"))
    form = ScopeForm(
        initial={"programme": programme, "cohort": cohort},
        programmes=selectors_indicators.programmes_for_user(request.user),
        programme=programme,
    )
    return render(
        request,
        "reporting/impact/comparison.html",
        {
            "programme": programme,
            "cohort": cohort,
            "comparison": outcomes_compared(programme, cohort),
            "scope_form": form,
            "persistence_query": urlencode({"programme": programme.pk}),
        },
    )
