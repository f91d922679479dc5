"""Charts of the indicators, drawn once on the server as SVG strings and used by the pages and the PDF
reports alike: no script, no external font or file, inline styles, an accessible <title> and <desc>.

Each chart is a list of labelled horizontal bars, the label on its own line above the bar and the
value printed at the bar's end, so that it stays readable on a phone (the viewBox scales it to the
width available) and in black-and-white print (the values are written, not only drawn).
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _

from core import figures
from mobility.models import LIVE_STAGES

from .indicators import IndicatorSet, calculate
from .persistence import Persistence, persistence_by_cohort

WIDTH = 400
PADDING = 8
LABEL_SIZE = 13
VALUE_SIZE = 12
BAR_HEIGHT = 14
#: Room kept right of the longest bar for its value.
VALUE_ROOM = 96
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif"
TEXT = "#212529"
MUTED = "#6c757d"
BLUE, GREEN, RED, GREY, ORANGE, PURPLE = "#1f5f8b", "#2e7d32", "#c62828", "#9e9e9e", "#ef6c00", "#6a1b9a"


@dataclass
class Bar:
    value: float
    text: str
    color: str = BLUE


@dataclass
class BarRow:
    label: str
    bars: list[Bar]


def _number(value, places: int = 0) -> str:
    return figures.number(value, places)


def _svg(*, title: str, scope: str, description: str, rows: list[BarRow], maximum: float | None = None,
         legend: list[tuple[str, str]] | None = None) -> str:  # fmt: skip
    """Rows of one or more bars each, scaled to `maximum` (the largest value by default). The title and
    the scope (programme or cohort) take a line each, so that long names are not cut on a phone."""
    values = [bar.value for row in rows for bar in row.bars if bar.value is not None]
    scale_max = maximum if maximum else max(values, default=0) or 1
    bar_room = WIDTH - 2 * PADDING - VALUE_ROOM
    parts: list[str] = []
    y = PADDING + LABEL_SIZE
    parts.append(
        f'<text x="{PADDING}" y="{y}" style="{FONT};font-size:{LABEL_SIZE + 2}px;font-weight:600;fill:{TEXT}">{escape(title)}</text>'
    )
    y += LABEL_SIZE + 4
    parts.append(f'<text x="{PADDING}" y="{y}" style="{FONT};font-size:{VALUE_SIZE}px;fill:{MUTED}">{escape(scope)}</text>')
    y += 8
    if legend:
        x = PADDING
        y += 6
        for color, label in legend:
            parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" style="fill:{color}"/>')
            parts.append(
                f'<text x="{x + 16}" y="{y + 10}" style="{FONT};font-size:{VALUE_SIZE}px;fill:{TEXT}">{escape(label)}</text>'
            )
            x += 16 + 8 * len(label) + 16
        y += 14
    if not rows or not values:
        y += LABEL_SIZE + 10
        parts.append(
            f'<text x="{PADDING}" y="{y}" style="{FONT};font-size:{LABEL_SIZE}px;fill:{MUTED}">{escape(_("Aucune donnée pour le moment."))}</text>'
        )
        y += PADDING
    for row in rows:
        y += LABEL_SIZE + 10
        parts.append(
            f'<text x="{PADDING}" y="{y}" style="{FONT};font-size:{LABEL_SIZE}px;fill:{TEXT}">{escape(row.label)}</text>'
        )
        y += 4
        for bar in row.bars:
            length = 0 if not bar.value else max(1.5, bar_room * min(float(bar.value), scale_max) / scale_max)
            parts.append(
                f'<rect x="{PADDING}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" rx="2" style="fill:{bar.color}"/>'
            )
            parts.append(
                f'<text x="{PADDING + length + 6:.1f}" y="{y + BAR_HEIGHT - 3}" '
                f'style="{FONT};font-size:{VALUE_SIZE}px;font-weight:600;fill:{TEXT}">{escape(bar.text)}</text>'
            )
            y += BAR_HEIGHT + 3
    height = y + PADDING
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{escape(title)} – {escape(scope)}" '
        f'style="max-width:{WIDTH * 2}px;height:auto;display:block;background:#fff">'
        f"<title>{escape(title)} – {escape(scope)}</title><desc>{escape(description)}</desc>{''.join(parts)}</svg>"
    )


def _scope(indicators: IndicatorSet) -> str:
    return indicators.cohort.name if indicators.cohort else indicators.programme.name


def funnel_svg(indicators: IndicatorSet) -> str:
    """How many applications reach each stage, from submission to a partnership still alive a year on."""
    first = indicators.funnel[0].total if indicators.funnel else 0
    rows = []
    for stage in indicators.funnel:
        share = (
            f" ({figures.percent(Decimal(100 * stage.total) / first, 0)})" if first and stage is not indicators.funnel[0] else ""
        )
        rows.append(BarRow(stage.label, [Bar(stage.total, f"{_number(stage.total)}{share}")]))
    description = "; ".join(f"{stage.label} : {stage.total}" for stage in indicators.funnel)
    return _svg(title=_("Entonnoir"), scope=_scope(indicators), description=description, rows=rows)


def women_by_stage_svg(indicators: IndicatorSet) -> str:
    """The share of women at each stage: where the programme loses them."""
    rows, parts = [], []
    for stage in indicators.funnel:
        women = stage.by.get("gender", {}).get("woman", 0)
        share = stage.share("gender", "woman")
        text = f"{figures.percent(share)} ({women}/{stage.total})" if share is not None else "—"
        rows.append(BarRow(stage.label, [Bar(float(share) if share is not None else 0, text, PURPLE)]))
        parts.append(f"{stage.label} : {text}")
    return _svg(
        title=_("Part des femmes à chaque étape"),
        scope=_scope(indicators),
        description="; ".join(parts),
        rows=rows,
        maximum=100,
    )


def partnerships_by_stage_svg(indicators: IndicatorSet) -> str:
    """Partnerships by their current stage; the live stages (agreement, first transaction, active) in green."""
    rows = [
        BarRow(row.label, [Bar(row.count, _number(row.count), GREEN if row.key in LIVE_STAGES else BLUE)])
        for row in indicators.partnerships.by_stage
    ]
    return _svg(
        title=_("Partenariats par étape"),
        scope=_scope(indicators),
        description="; ".join(f"{row.label} : {row.count}" for row in indicators.partnerships.by_stage),
        rows=rows if indicators.partnerships.total else [],
        legend=[(GREEN, _("vivant")), (BLUE, _("autre étape"))],
    )


def visa_outcomes_svg(indicators: IndicatorSet) -> str:
    """Visa files granted, refused and awaiting a decision, with the refusal rate and the median delay."""
    visa = indicators.visa
    rows = [
        BarRow(_("Accordés"), [Bar(visa.granted, _number(visa.granted), GREEN)]),
        BarRow(
            _("Refusés (taux de refus : %(rate)s)") % {"rate": figures.percent(visa.refusal_rate)},
            [Bar(visa.refused, _number(visa.refused), RED)],
        ),
        BarRow(_("En attente de décision"), [Bar(visa.pending, _number(visa.pending), GREY)]),
    ]
    description = _(
        "%(granted)s accordés, %(refused)s refusés, %(pending)s en attente ; taux de refus %(rate)s ; "
        "délai médian dépôt–décision %(days)s jours"
    ) % {
        "granted": figures.count(visa.granted), "refused": figures.count(visa.refused), "pending": figures.count(visa.pending),
        "rate": figures.percent(visa.refusal_rate), "days": figures.decimal(visa.median_days),
    }  # fmt: skip
    return _svg(
        title=_("Visas"),
        scope=_scope(indicators),
        description=description,
        rows=rows if visa.submitted else [],
    )


def budget_vs_spending_svg(indicators: IndicatorSet) -> str:
    """Budget and spending (EUR) per year; for one cohort, only the spending booked on it."""
    efficiency = indicators.efficiency
    rows = []
    parts = []
    for year, planned, spent in efficiency.by_year:
        bars = []
        if planned is not None:
            bars.append(Bar(float(planned), figures.money(planned), BLUE))
        bars.append(Bar(float(spent), figures.money(spent), ORANGE))
        rows.append(BarRow(str(year), bars))
        parts.append(f"{year} : " + (f"{figures.money(planned)} / " if planned is not None else "") + figures.money(spent))
    legend = [(ORANGE, _("dépenses"))] if indicators.cohort else [(BLUE, _("budget")), (ORANGE, _("dépenses"))]
    return _svg(
        title=_("Budget et dépenses par année (EUR)"),
        scope=_scope(indicators),
        description="; ".join(parts),
        rows=rows,
        legend=legend,
    )


def partnership_persistence_svg(indicators: IndicatorSet) -> str:
    """The programme's impact: the share of partnerships still alive six and twelve months after the
    mobility, each among those old enough to be measured. The figures are the indicators' own
    calculators (`reporting.indicators.calculate`), so the chart says what the indicator tables say."""
    rows, parts = [], []
    for label, count_key, share_key in (
        (_("Partenariats vivants à +6 mois"), "partnerships.active_6m", "partnerships.share_active_6m"),
        (_("Partenariats vivants à +12 mois"), "partnerships.active_12m", "partnerships.share_active_12m"),
    ):
        count, share = calculate(count_key, indicators).value, calculate(share_key, indicators).value
        if share is None:  # none of the partnerships is old enough yet
            continue
        text = f"{_number(share, 1)} % ({_number(count)})"
        rows.append(BarRow(label, [Bar(float(share), text, GREEN)]))
        parts.append(f"{label} : {text}")
    return _svg(
        title=_("Partenariats encore vivants après la mobilité"),
        scope=_scope(indicators),
        description="; ".join(parts),
        rows=rows,
        maximum=100,
    )


def persistence_svg(persistence: Persistence, *, cohort=None) -> str:
    """Per cohort, the share of partnerships alive at +6 months and still alive at +12 months after the
    return, each among those old enough to be measured (`reporting.persistence`, the indicators' own
    definition). A cohort with nothing measurable yet says so instead of drawing an empty bar."""
    rows, parts = [], []
    for item in persistence.cohorts:
        if cohort is not None and item.cohort != cohort:
            continue
        bars = []
        for label, alive, measured, value, color in (
            (_("+6 mois"), item.alive_6m, item.due_6m, item.share_6m, GREEN),
            (_("+12 mois"), item.alive_12m, item.due_12m, item.share_12m, BLUE),
        ):
            if value is None:
                text = _("%(when)s : pas encore mesurable") % {"when": label}
                bars.append(Bar(0, text, color))
            else:
                text = f"{label} : {_number(value, 1)} % ({_number(alive)}/{_number(measured)})"
                bars.append(Bar(float(value), text, color))
            parts.append(f"{item.cohort.name}, {text}")
        rows.append(BarRow(item.cohort.name, bars))
    measured = any(item.due_6m for item in persistence.cohorts if cohort is None or item.cohort == cohort)
    return _svg(
        title=_("Persistance des partenariats par cohorte"),
        scope=cohort.name if cohort is not None else persistence.programme.name,
        description="; ".join(parts),
        rows=rows if measured else [],
        maximum=100,
        legend=[(GREEN, _("vivants à +6 mois")), (BLUE, _("encore vivants à +12 mois"))],
    )


def persistence_by_cohort_svg(indicators: IndicatorSet) -> str:
    """The persistence chart for a report (the programme's cohorts, or the report's one cohort); the
    persistence is read once per data version for every reader (reporting.persistence)."""
    return persistence_svg(persistence_by_cohort(indicators.programme), cohort=indicators.cohort)


CHARTS = {
    "funnel": funnel_svg,
    "women_by_stage": women_by_stage_svg,
    "partnerships_by_stage": partnerships_by_stage_svg,
    "visa_outcomes": visa_outcomes_svg,
    "budget_vs_spending": budget_vs_spending_svg,
}
