"""The coach workload chart, drawn on the server as SVG geometry (no JavaScript, a few hundred bytes):
one bar per month, stacked by coach, in hours."""

from dataclasses import dataclass, field

#: Colour-blind-safe palette (Okabe-Ito, then Paul Tol's muted colours), cycled past twelve coaches.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
]
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 240, 40, 40, 10


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class WorkloadChart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    months: list[tuple[float, object]] = field(default_factory=list)  # (x of the label, month date)
    ticks: list[tuple[float, int]] = field(default_factory=list)  # (y, hours)
    legend: list[tuple[str, str, float]] = field(default_factory=list)  # (colour, coach, hours)
    plot_bottom: float = HEIGHT - BOTTOM
    plot_left: float = LEFT

    @property
    def empty(self) -> bool:
        return not self.bars


def _nice_ceiling(value: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if value <= step * 4:
            return step * 4
    return int(value) + 1


def workload_chart(rows: list[dict]) -> WorkloadChart:
    """`rows` from selectors.coach_workload: [{coach, coach__user__first_name, ..., month, minutes}]."""
    chart = WorkloadChart()
    if not rows:
        return chart
    months = sorted({row["month"] for row in rows})
    coaches = []
    for row in rows:
        if row["coach"] not in [c[0] for c in coaches]:
            name = f"{row['coach__user__first_name']} {row['coach__user__last_name']}".strip()
            coaches.append((row["coach"], name))
    colours = {coach: PALETTE[i % len(PALETTE)] for i, (coach, _name) in enumerate(coaches)}
    names = dict(coaches)
    totals = {month: sum(r["minutes"] for r in rows if r["month"] == month) / 60 for month in months}
    top = _nice_ceiling(max(totals.values()))
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 10) / len(months)
    bar_width = max(min(slot * 0.7, 48), 4)
    for index, month in enumerate(months):
        x = LEFT + index * slot + (slot - bar_width) / 2
        y = HEIGHT - BOTTOM
        for row in (r for r in rows if r["month"] == month):
            hours = row["minutes"] / 60
            height = plot_height * hours / top
            y -= height
            chart.bars.append(
                Bar(
                    x,
                    round(y, 1),
                    round(bar_width, 1),
                    round(height, 1),
                    colours[row["coach"]],
                    f"{names[row['coach']]}: {hours:.1f} h",
                )
            )
        if index % max(1, -(-len(months) // 8)) == 0:  # at most 8 month labels, so they never overlap
            chart.months.append((round(x + bar_width / 2, 1), month))
    chart.ticks = [(round(HEIGHT - BOTTOM - plot_height * k / 4, 1), int(top * k / 4)) for k in range(5)]
    chart.legend = [
        (colours[coach], name, round(sum(r["minutes"] for r in rows if r["coach"] == coach) / 60, 1)) for coach, name in coaches
    ]
    return chart
