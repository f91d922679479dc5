"""The steering committee's dashboard (key indicators, charts, per-cohort figures, reports to download
or ask for) and the programme's IATI 2.03 export. Read-only: staff, and committee members and
evaluators of the programme; any other programme or cohort id is a 404."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from accounts.access import role_required
from cohorts.models import Cohort, Programme
from cohorts.programme_choice import SESSION_KEY as PROGRAMME_SESSION_KEY
from cohorts.programme_choice import programme_default, programme_remember
from core.data_version import DATA, JOBS, cached_per_version
from core.spreadsheets import parse_id

from .. import selectors_dashboard as selectors
from ..iati import iati_activity_xml
from ..models import ReportKind
from ..selectors_dashboard import DASHBOARD_ROLES


def _reverse_or_none(name: str, **kwargs) -> str | None:
    """URLs of the reports area, which may not exist yet on every installation of this code."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    value = parse_id(raw)
    if value is None:
        raise Http404
    return value


@role_required(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Who may see which programme is data too (memberships, roles): read once per data version, per person.
    programmes = cached_per_version(
        f"pem:dashboard-programmes:{user.pk}",
        lambda: list(selectors.dashboard_programmes(user).order_by("-starts_on", "name")),
    )
    programme_pk, cohort_pk = _int_param(request, "programme"), _int_param(request, "cohort")
    if programme_pk is not None:
        programme = next((p for p in programmes if p.pk == programme_pk), None)
        if programme is None:
            raise Http404
        programme_remember(request, programme)
    else:
        remembered = request.session.get(PROGRAMME_SESSION_KEY)
        programme = next((p for p in programmes if p.pk == remembered), None) if isinstance(remembered, int) else None
        if programme is None and programmes:
            default = cached_per_version(
                f"pem:dashboard-default-programme:{user.pk}",
                lambda: getattr(programme_default(request, selectors.dashboard_programmes(user)), "pk", None),
            )
            programme = next((p for p in programmes if p.pk == default), None)
    context = {"programmes": programmes, "programme": programme}
    if programme is None:
        if cohort_pk is not None:
            raise Http404
        return render(request, "reporting/dashboard/dashboard.html", context)

    # The programme's cohorts and whether it has an evaluation change only with the data: read once per version.
    cohorts, has_evaluation = cached_per_version(
        f"pem:dashboard-programme:{programme.pk}",
        lambda: (selectors.programme_cohorts(programme), selectors.has_evaluation(programme)),
    )
    cohort = None
    if cohort_pk is not None:
        cohort = next((c for c in cohorts if c.pk == cohort_pk), None)
        if cohort is None:
            raise Http404
    context.update(
        cohorts=cohorts,
        cohort=cohort,
        reports=[
            (job, _reverse_or_none("reporting:report_download", pk=job.pk))
            # Per person and programme, once per version of the data (memberships) and of the job rows.
            for job in cached_per_version(
                f"pem:dashboard-reports:{user.pk}:{programme.pk}",
                lambda: selectors.finished_reports(user, programme=programme),
                kinds=(DATA, JOBS),
            )
        ],
        reports_url=_reverse_or_none("reporting:report_list"),
        request_url=_reverse_or_none("reporting:report_request"),
        report_requests=_report_requests(cohort, has_evaluation=has_evaluation),
        report_languages=settings.LANGUAGES,
        iati_url=reverse("reporting:iati_export", kwargs={"pk": programme.pk}),
        **_indicator_section(programme, cohort, cohorts),
    )
    return render(request, "reporting/dashboard/dashboard.html", context)


def _report_requests(cohort: Cohort | None, *, has_evaluation: bool) -> list[dict]:
    """The reports one may ask for from here: the DAC report (once the programme has an evaluation) and
    the committee brief cover the whole programme; the cohort report the cohort shown."""
    requests = []
    if has_evaluation:
        requests.append({"kind": ReportKind.DAC_EVALUATION, "label": ReportKind.DAC_EVALUATION.label, "cohort": None})
    requests.append({"kind": ReportKind.COMMITTEE_BRIEF, "label": ReportKind.COMMITTEE_BRIEF.label, "cohort": None})
    if cohort is not None:
        requests.append({"kind": ReportKind.COHORT, "label": ReportKind.COHORT.label, "cohort": cohort})
    return requests


def _indicator_section(programme: Programme, cohort: Cohort | None, cohorts: list[Cohort]) -> dict:
    """The figures' HTML and when they were computed: rendered once per data version (core.data_version),
    day and language for a programme or cohort, then read from the shared cache by every request of every
    member who may see it (the access check is the view's, before). Rendered without the request, so nothing
    per person can end up in the cache."""

    def render() -> tuple:
        context = _indicator_context(programme, cohort, cohorts)
        html = render_to_string("reporting/dashboard/_indicators.html", {**context, "programme": programme, "cohort": cohort})
        indicators = context["indicators"]
        return (indicators.computed_at if indicators is not None else None), str(html)

    computed_at, html = cached_per_version(
        f"pem:dashboard-figures:{programme.pk}:{cohort.pk if cohort is not None else '-'}", render
    )
    return {"computed_at": computed_at, "indicators_html": mark_safe(html)}  # noqa: S308 (our own rendering, escaped)


def _indicator_context(programme: Programme, cohort: Cohort | None, cohorts: list[Cohort]) -> dict:
    """The computed indicators, the charts and the per-cohort table, when the indicators module is there."""
    try:
        from ..indicators import compute_indicators
    except ImportError:
        return {"indicators": None}
    indicators = compute_indicators(programme=programme, cohort=cohort)
    return {
        "indicators": indicators,
        "women_by_stage": [
            {"stage": stage, "women": stage.by.get("gender", {}).get("woman", 0), "share": stage.share("gender", "woman")}
            for stage in indicators.funnel
        ],
        "cohort_rows": _cohort_rows(indicators, cohorts) if cohort is None else [],
        "charts": _charts(indicators),
    }


#: The funnel stages shown per cohort.
COHORT_STAGES = ("applications", "eligible", "selected", "travelled", "with_partnership", "live_6m", "live_12m")


def _cohort_rows(indicators, cohorts: list[Cohort]) -> list[dict]:
    """Per cohort, from the programme-wide set's cohort breakdown: no query per cohort."""
    women_selected: dict[str, int] = {}
    for group in indicators.person_groups:
        if group.get("gender") == "woman":
            key = str(group.get("cohort"))
            women_selected[key] = women_selected.get(key, 0) + group.get("selected", 0)
    rows = []
    for cohort in cohorts:
        key = str(cohort.pk)
        counts = {name: indicators.stage(name).by.get("cohort", {}).get(key, 0) for name in COHORT_STAGES}
        selected = counts["selected"]
        share = round(100 * women_selected.get(key, 0) / selected, 1) if selected else None
        rows.append({"cohort": cohort, "counts": [counts[name] for name in COHORT_STAGES], "women_selected_share": share})
    return rows


def _charts(indicators) -> list[str]:
    """The server-drawn SVG charts (reporting.charts), in the dashboard's order; none if the module is missing."""
    try:
        from .. import charts
    except ImportError:
        return []
    names = ("funnel_svg", "women_by_stage_svg", "visa_outcomes_svg", "partnerships_by_stage_svg", "budget_vs_spending_svg")
    return [getattr(charts, name)(indicators) for name in names if hasattr(charts, name)]


@role_required(*DASHBOARD_ROLES)
def iati_export(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(selectors.dashboard_programmes(request.user).select_related("donor", "implementer"), pk=pk)
    response = HttpResponse(iati_activity_xml(programme=programme), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iati-{programme.code}.xml"'
    return response
