"""The PDF reports: the data of a report job gathered in a few queries, its HTML from the templates in
`reporting/reports/pdf/`, in the job's language, and the HTML turned into PDF by WeasyPrint.

Three reports: the DAC evaluation report, a cohort report and the steering-committee brief. Next to
the evaluator's judgement they show the indicators and charts the platform computes from its records
(`reporting.indicators`, `reporting.charts`), so that evidence and judgement sit side by side.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import figures
from core.bilingual import plain_text_in, text_in
from core.data_version import cached_per_version
from core.pdf import PdfRenderError, pdf_render
from core.templatetags.bilingual import marked

from .models import (
    CriterionGrade,
    DacCriterion,
    Evaluation,
    EvaluationQuestion,
    Indicator,
    Recommendation,
    RecommendationLevel,
    ReportJob,
    ReportKind,
)
from .persistence import persistence_by_cohort
from .selectors_impact import outcomes_compared


class ReportRenderError(Exception):
    """The report could not be produced; the message is shown to the user with the failed job."""


# --------------------------------------------------------------------------------------------------
# HTML → PDF
# --------------------------------------------------------------------------------------------------


def pdf_from_html(*, html: str) -> bytes:
    """WeasyPrint, with nothing fetched from the network (the HTML carries its CSS and SVG inline): the
    project's one renderer (core.pdf), its refusal raised as the report's error."""
    try:
        return pdf_render(html=html)
    except PdfRenderError as error:
        raise ReportRenderError(str(error)) from error


# --------------------------------------------------------------------------------------------------
# The platform's evidence: computed indicators and charts
# --------------------------------------------------------------------------------------------------

#: Charts drawn beside each criterion's findings (function name in reporting.charts). Impact is shown by
#: what lasts after the mobility (partnerships still alive at +6 and +12 months), not by the applications.
CRITERION_CHARTS = {
    DacCriterion.RELEVANCE: ["women_by_stage_svg"],
    DacCriterion.COHERENCE: [],
    DacCriterion.EFFECTIVENESS: ["funnel_svg", "visa_outcomes_svg"],
    DacCriterion.EFFICIENCY: ["budget_vs_spending_svg"],
    DacCriterion.SUSTAINABILITY: ["partnerships_by_stage_svg"],
    DacCriterion.IMPACT: ["partnership_persistence_svg", "persistence_by_cohort_svg"],
}
#: The charts' font in the PDF (Debian's fonts-dejavu-core).
PDF_FONT = "font-family:'DejaVu Sans',sans-serif"
ALL_CHARTS = [
    "funnel_svg",
    "women_by_stage_svg",
    "visa_outcomes_svg",
    "partnerships_by_stage_svg",
    "partnership_persistence_svg",
    "persistence_by_cohort_svg",
    "budget_vs_spending_svg",
]
#: The caption of each chart when a report shows it as a numbered figure.
CHART_CAPTIONS = {
    "funnel_svg": gettext_lazy("Parcours des candidat·es, du dépôt au partenariat vivant à +12 mois"),
    "women_by_stage_svg": gettext_lazy("Part des femmes à chaque étape du parcours"),
    "visa_outcomes_svg": gettext_lazy("Décisions sur les demandes de visa"),
    "partnerships_by_stage_svg": gettext_lazy("Partenariats par étape"),
    "partnership_persistence_svg": gettext_lazy("Partenariats encore vivants six et douze mois après la mobilité"),
    "budget_vs_spending_svg": gettext_lazy("Budget et dépenses par année (EUR)"),
    "persistence_by_cohort_svg": gettext_lazy("Partenariats vivants à +6 mois et encore vivants à +12 mois, par cohorte"),
}


@dataclass
class Figure:
    """A chart as a report shows it: numbered in the order of the document, with its caption."""

    number: int
    name: str
    caption: str
    svg: str


def figure_rows(figures: list[Figure]) -> list[list[Figure]]:
    """Figures two by two: a report shows them side by side, one row never split over two pages."""
    return [figures[start : start + 2] for start in range(0, len(figures), 2)]


class FigureNumbering:
    """Hands out figure numbers in the order the report's builder asks for its charts, which is the
    order the template shows them."""

    def __init__(self, evidence: "Evidence"):
        self.evidence = evidence
        self.count = 0

    def take(self, names: list[str]) -> list[Figure]:
        figures = []
        for name in names:
            svg = self.evidence.charts.get(name)
            if not svg:
                continue
            self.count += 1
            figures.append(Figure(number=self.count, name=name, caption=str(CHART_CAPTIONS[name]), svg=svg))
        return figures


@dataclass
class Evidence:
    """What the platform computed for a programme (or one cohort) when the report was made."""

    indicator_set: object = None
    values: dict[str, object] = field(default_factory=dict)  # calculator key -> IndicatorResult (or None)
    charts: dict[str, str] = field(default_factory=dict)  # chart function name -> SVG


def platform_evidence(*, programme, cohort=None, calculators: set[str], charts: list[str]) -> Evidence:
    from . import charts as chart_functions
    from .indicators import compute_indicators

    indicator_set = compute_indicators(programme=programme, cohort=cohort)
    evidence = Evidence(indicator_set=indicator_set)
    for key in sorted(calculators):
        evidence.values[key] = calculator_value(indicator_set, key)
    web_font = getattr(chart_functions, "FONT", None)
    for name in charts:
        svg = getattr(chart_functions, name)(indicator_set)
        if web_font:  # the pages' system font stack; the PDF uses DejaVu everywhere, so it looks the same on any machine
            svg = svg.replace(web_font, PDF_FONT)
        evidence.charts[name] = mark_safe(svg)  # noqa: S308 - our own SVG, its texts escaped by reporting.charts
    return evidence


def calculator_value(indicator_set, key: str):
    """One indicator's computed result (value and disaggregations), None for an unknown key."""
    from .indicators import calculate

    return calculate(key, indicator_set)


def format_value(value, unit: str = "") -> str:
    """A figure in the report, written as every page writes it (core.figures: `39 657 €`, `9,4 %`)."""
    if value is not None and value != "" and not isinstance(value, int | float | Decimal):
        return str(value)
    return figures.measure(value, unit)


# --------------------------------------------------------------------------------------------------
# Context of each report
# --------------------------------------------------------------------------------------------------


def _css_string(text: str) -> str:
    """A CSS string literal: the running header and footer texts go into @page margin boxes."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _localized(obj, name: str, language: str) -> str:
    """`name` of `obj` in the report's language, or the other language marked as such (core.bilingual)."""
    text = text_in(obj, name, language)
    return marked(text.value, text.other_language, paragraphs=False)


def short_finding(text: str, limit: int = 260) -> str:
    """The first sentence(s) of a finding, up to `limit` characters, for the grades table."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    short = ""
    for sentence in sentences:
        if len(short) + len(sentence) > limit:
            break
        short = f"{short} {sentence}".strip()
    return short or text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _indicator_rows(indicators: list[Indicator], evidence: Evidence, language: str) -> list[dict]:
    rows = []
    for indicator in indicators:
        targets = list(indicator.targets.all())
        target = targets[-1] if targets else None
        result = evidence.values.get(indicator.calculator) if indicator.calculator else None
        value = result.value if result is not None else None
        women = (result.by.get("gender") or {}).get("woman") if result is not None else None
        rows.append(
            {
                "indicator": indicator,
                "name": _localized(indicator, "name", language),
                "objective": indicator.objective.code if indicator.objective else "",
                "value": format_value(value, indicator.unit) if indicator.calculator else _("saisie manuelle"),
                "women": format_value(women) if women is not None and indicator.unit in ("nombre", "number") else "",
                "baseline": format_value(indicator.baseline, indicator.unit) if indicator.baseline is not None else "—",
                "target": ("≤ " if indicator.lower_is_better else "") + format_value(target.value, indicator.unit)
                if target
                else "—",
                "target_period": target.period_label if target else "",
                "definition": _localized(indicator, "definition", language) if indicator.definition else "",
                "source": indicator.source or (_("Données de la plateforme") if indicator.calculator else ""),
                "computed": bool(indicator.calculator),
            }
        )
    return rows


def _programme_indicators(programme) -> list[Indicator]:
    return list(
        Indicator.objects.filter(programme=programme)
        .select_related("objective")
        .prefetch_related("targets")
        .order_by("order", "code")
    )


def _evaluation(programme) -> Evaluation | None:
    """The programme's latest evaluation with all that its reports show (grades and findings, questions and
    their indicators, conclusions, recommendations with responses, lessons): nine queries, read once per data
    version (core.data_version) for every report of the programme."""
    return cached_per_version(f"pem:report-evaluation:{programme.pk}", lambda: _evaluation_read(programme))


def _evaluation_read(programme) -> Evaluation | None:
    grades = CriterionGrade.objects.prefetch_related("objective_findings")
    questions = EvaluationQuestion.objects.prefetch_related("indicators").order_by("order", "code")
    recommendations = Recommendation.objects.select_related("management_response").prefetch_related("conclusions")
    return (
        Evaluation.objects.filter(programme=programme)
        .select_related("evaluator")
        .prefetch_related(
            Prefetch("grades", queryset=grades),
            Prefetch("questions", queryset=questions),
            "conclusions",
            Prefetch("recommendations", queryset=recommendations),
            "lessons",
        )
        .order_by("-period_end", "-pk")
        .first()
    )


def _grade_rows(evaluation: Evaluation) -> list[dict]:
    order = {c: i for i, c in enumerate(DacCriterion.values)}
    rows = []
    for grade in sorted(evaluation.grades.all(), key=lambda g: order.get(g.criterion, 99)):
        findings = list(grade.objective_findings.all())
        summary = plain_text_in(grade, "findings")  # the report's language (active), or the other one marked
        if findings and len(summary) < 80:  # "see the findings per objective": summarise those
            summary = " ".join(f"{f.objective} : {plain_text_in(f, 'text')}" for f in findings)
        rows.append(
            {
                "grade": grade,
                "criterion": grade.get_criterion_display(),
                "short": short_finding(summary),
                "findings": sorted(findings, key=lambda f: f.objective),
            }
        )
    return rows


def _recommendation_rows(evaluation: Evaluation) -> list[dict]:
    rows = []
    for recommendation in evaluation.recommendations.all():
        try:
            response = recommendation.management_response
        except Recommendation.management_response.RelatedObjectDoesNotExist:
            response = None
        rows.append(
            {
                "recommendation": recommendation,
                "levels": ", ".join(str(RecommendationLevel(level).label) for level in recommendation.levels),
                "level_numbers": ", ".join(str(level) for level in recommendation.levels),
                "conclusions": ", ".join(c.code for c in recommendation.conclusions.all()),
                "response": response,
            }
        )
    return rows


def _common_context(job: ReportJob, *, title: str, subtitle: str) -> dict:
    data_as_of = timezone.localtime(job.data_as_of or timezone.now())
    generated_at = timezone.localtime(timezone.now())
    as_of_text = formats.date_format(data_as_of, "SHORT_DATETIME_FORMAT")
    return {
        "job": job,
        "programme": job.programme,
        "cohort": job.cohort,
        "language": job.language,
        "kind_label": ReportKind(job.kind).label,
        "title": title,
        "subtitle": subtitle,
        "data_as_of": data_as_of,
        "generated_at": generated_at,
        "figure_source": _("Source : plateforme PEM, données au %(date)s")
        % {"date": formats.date_format(data_as_of, "SHORT_DATE_FORMAT")},
        "css": {
            "snapshot": mark_safe(_css_string(_("Données arrêtées au %(when)s") % {"when": as_of_text})),  # noqa: S308
            "generated": mark_safe(  # noqa: S308
                _css_string(_("Produit le %(date)s") % {"date": formats.date_format(generated_at, "SHORT_DATE_FORMAT")})
            ),
            "page": mark_safe(_css_string(_("Page"))),  # noqa: S308
            "of": mark_safe(_css_string(_("sur"))),  # noqa: S308
        },
    }


def data_period_note(evaluation: Evaluation | None, data_as_of) -> str:
    """When the platform's figures are dated after the evaluated period, say so next to them: they also
    count what happened after the evaluation and may differ from its findings. Empty otherwise."""
    if evaluation is None or evaluation.period_end >= timezone.localtime(data_as_of).date():
        return ""
    return _(
        "Période évaluée : du %(start)s au %(end)s. Les chiffres et graphiques de la plateforme sont arrêtés au "
        "%(as_of)s : ils comptent aussi ce qui s'est passé après la période évaluée et peuvent donc différer des "
        "constats de l'évaluation."
    ) % {
        "start": formats.date_format(evaluation.period_start, "DATE_FORMAT"),
        "end": formats.date_format(evaluation.period_end, "DATE_FORMAT"),
        "as_of": formats.date_format(timezone.localtime(data_as_of), "DATE_FORMAT"),
    }


def dac_context(job: ReportJob) -> dict:
    programme = job.programme
    evaluation = _evaluation(programme)
    if evaluation is None:
        raise ReportRenderError(_("Ce programme n'a pas d'évaluation : le rapport CAD ne peut pas être produit."))
    indicators = _programme_indicators(programme)
    persistence = persistence_by_cohort(programme)
    evidence = platform_evidence(
        programme=programme,
        calculators={i.calculator for i in indicators if i.calculator},
        charts=ALL_CHARTS,
    )
    rows_by_code = {row["indicator"].code: row for row in _indicator_rows(indicators, evidence, job.language)}
    questions = list(evaluation.questions.all())
    numbering = FigureNumbering(evidence)
    criteria = []
    for row in _grade_rows(evaluation):
        criterion = row["grade"].criterion
        linked = [q for q in questions if criterion in (q.criteria or [])]
        codes = []
        for question in linked:
            for indicator in question.indicators.all():
                if indicator.code not in codes:
                    codes.append(indicator.code)
        criteria.append(
            {
                **row,
                "anchor": f"criterion-{criterion}",
                "questions": [q.code for q in linked],
                "indicators": [rows_by_code[c] for c in codes if c in rows_by_code],
                "figure_rows": figure_rows(numbering.take(CRITERION_CHARTS.get(criterion, []))),
            }
        )
    toc = [
        ("summary", _("Résumé et méthodologie"), []),
        ("grades", _("Notes par critère CAD"), []),
        (
            "criteria",
            _("Constats par critère et indicateurs de la plateforme"),
            [(c["anchor"], c["criterion"]) for c in criteria],
        ),
        ("questions", _("Questions d'évaluation"), []),
        ("conclusions", _("Conclusions"), []),
        ("recommendations", _("Recommandations et réponses managériales"), []),
        ("lessons", _("Leçons apprises"), []),
        ("annex", _("Annexe : indicateurs, définitions et sources"), []),
    ]
    common = _common_context(job, title=plain_text_in(evaluation, "title"), subtitle=programme.name)
    return {
        **common,
        "data_period_note": data_period_note(evaluation, common["data_as_of"]),
        "evaluation": evaluation,
        "toc": toc,
        "criteria": criteria,
        "questions": questions,
        "conclusions": list(evaluation.conclusions.all()),
        "recommendations": _recommendation_rows(evaluation),
        "lessons": list(evaluation.lessons.all()),
        "indicators": list(rows_by_code.values()),
        "evidence": evidence,
        # The Impact section's evidence: the same selectors as the persistence and comparison pages.
        "persistence": persistence,
        "comparison": outcomes_compared(programme),
        "impact_graded": any(c["grade"].criterion == DacCriterion.IMPACT for c in criteria),
    }


def cohort_context(job: ReportJob) -> dict:
    programme, cohort = job.programme, job.cohort
    if cohort is None:
        raise ReportRenderError(_("Le rapport de cohorte demande une cohorte."))
    indicators = _programme_indicators(programme)
    evidence = platform_evidence(
        programme=programme, cohort=cohort, calculators={i.calculator for i in indicators if i.calculator}, charts=ALL_CHARTS
    )
    rows = _indicator_rows(indicators, evidence, job.language)
    numbering = FigureNumbering(evidence)
    toc = [
        ("cohort", _("La cohorte"), []),
        ("funnel", _("Parcours des candidat·es"), []),
        ("mobility", _("Visas, mobilité et partenariats"), []),
        ("efficiency", _("Budget et dépenses"), []),
        ("annex", _("Annexe : indicateurs, définitions et sources"), []),
    ]
    title = _("Rapport de cohorte : %(cohort)s") % {"cohort": plain_text_in(cohort, "name")}
    return {
        **_common_context(job, title=title, subtitle=programme.name),
        "toc": toc,
        "indicators": rows,
        "computed": [r for r in rows if r["computed"]],
        "evidence": evidence,
        "figure_rows": {  # in the order of the report's sections, which is the order of their numbers
            "funnel": figure_rows(numbering.take(["funnel_svg", "women_by_stage_svg"])),
            "mobility": figure_rows(
                numbering.take(["visa_outcomes_svg", "partnerships_by_stage_svg", "partnership_persistence_svg"])
            ),
            "efficiency": figure_rows(numbering.take(["budget_vs_spending_svg"])),
        },
    }


def key_figure_rows(figures: list[dict]) -> list[list[dict]]:
    """The committee brief's key figures three to a row (a table in the PDF: no flexbox, see report.css)."""
    return [figures[start : start + 3] for start in range(0, len(figures), 3)]


#: The steering committee's charts: the path of the applicants, the partnerships and what lasts of them, the money.
COMMITTEE_CHARTS = ["funnel_svg", "partnerships_by_stage_svg", "partnership_persistence_svg", "budget_vs_spending_svg"]


def committee_context(job: ReportJob) -> dict:
    programme = job.programme
    evaluation = _evaluation(programme)
    indicators = _programme_indicators(programme)
    evidence = platform_evidence(
        programme=programme,
        calculators={i.calculator for i in indicators if i.calculator},
        charts=COMMITTEE_CHARTS,
    )
    rows = _indicator_rows(indicators, evidence, job.language)
    recommendations = _recommendation_rows(evaluation) if evaluation else []
    toc = [("figures", _("Chiffres clés"), [])]
    if evaluation:
        toc += [("grades", _("Notes par critère CAD"), []), ("follow-up", _("Suivi des recommandations"), [])]
    toc += [("charts", _("Graphiques"), []), ("annex", _("Annexe : indicateurs, définitions et sources"), [])]
    common = _common_context(job, title=_("Note au comité de pilotage"), subtitle=programme.name)
    return {
        **common,
        "data_period_note": data_period_note(evaluation, common["data_as_of"]),
        "figure_rows": figure_rows(FigureNumbering(evidence).take(COMMITTEE_CHARTS)),
        "toc": toc,
        "evaluation": evaluation,
        "grades": _grade_rows(evaluation) if evaluation else [],
        "recommendations": recommendations,
        "open_recommendations": [
            r for r in recommendations if not r["response"] or r["response"].status not in ("done", "dropped")
        ],
        "indicators": rows,
        "key_figure_rows": key_figure_rows([r for r in rows if r["computed"]][:8]),
        "evidence": evidence,
    }


CONTEXTS = {
    ReportKind.DAC_EVALUATION: (dac_context, "reporting/reports/pdf/dac.html"),
    ReportKind.COHORT: (cohort_context, "reporting/reports/pdf/cohort.html"),
    ReportKind.COMMITTEE_BRIEF: (committee_context, "reporting/reports/pdf/committee.html"),
}


def report_html(*, job: ReportJob) -> str:
    """The whole report as one HTML document (CSS and charts inline), in the job's language."""
    builder, template = CONTEXTS[ReportKind(job.kind)]
    with translation.override(job.language):
        return render_to_string(template, builder(job))
