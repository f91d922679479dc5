"""The PDF reports' stylesheet stays one that WeasyPrint lays out fast.

WeasyPrint's flexbox layout costs more than the same boxes as a table: rows of two figures as table
rows of two cells and the committee brief's key figures as a table of three to a row instead of flex rows
lay out faster with the same pages. Measured on the demo (issue [10], WeasyPrint 70, CPU time, median of 7,
interleaved): the cohort report 0.91x and the committee brief 0.91x of their flexbox versions, the DAC
report 0.98x, with the same pages. Web fonts (`@font-face`, `url(...)`) would be fetched and subset on
every report, and the fetcher refuses them anyway (reporting/tests/test_pdf_fetcher.py). These tests keep
such constructs out of the stylesheet, the report templates and the charts drawn into them.
"""

import re
from pathlib import Path

import pytest

from cohorts.models import Cohort
from reporting.rendering import key_figure_rows, report_html
from reporting.tests.test_reports_figures import job_for

PDF_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "reporting" / "reports" / "pdf"

#: What WeasyPrint lays out slowly or fetches: flex and grid containers and their item properties, web fonts.
SLOW = re.compile(
    r"display\s*:\s*(?:inline-)?(?:flex|grid)\b"
    r"|\bflex(?:-[a-z]+)*\s*:"
    r"|\bgrid(?:-[a-z]+)*\s*:"
    r"|@font-face|@import|\burl\(",
    flags=re.IGNORECASE,
)


def without_comments(css: str) -> str:
    css = re.sub(r"/\*.*?\*/", " ", css, flags=re.DOTALL)
    return re.sub(r"\{% comment %\}.*?\{% endcomment %\}", " ", css, flags=re.DOTALL)


def slow_constructs(text: str) -> list[str]:
    return [match.group() for match in SLOW.finditer(without_comments(text))]


def test_the_report_stylesheet_and_templates_ask_for_no_flexbox_grid_or_web_font():
    files = sorted(PDF_TEMPLATES.glob("*.css")) + sorted(PDF_TEMPLATES.glob("*.html"))
    assert any(path.name == "report.css" for path in files)
    found = {path.name: slow_constructs(path.read_text()) for path in files}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_guard_sees_what_it_is_meant_to_see():
    assert slow_constructs(".row { display: flex; gap: 6mm; }") == ["display: flex"]
    assert slow_constructs(".a{display:inline-grid} .b { flex: 0 0 82mm } .c { grid-template-columns: 1fr 1fr }") == [
        "display:inline-grid",
        "flex:",
        "grid-template-columns:",
    ]
    assert slow_constructs("@font-face { src: url(x.woff2) }") == ["@font-face", "url("]
    assert slow_constructs("/* a flex row: display: flex */ .figure-row { display: table; align-items: flex-start }") == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["dac", "cohort", "committee"])
def test_no_report_html_asks_for_a_slow_layout(demo, kind):
    """The whole HTML WeasyPrint receives: stylesheet, inline styles and the charts' SVG."""
    cohort = Cohort.objects.get(programme=demo, number=1) if kind == "cohort" else None
    html = report_html(job=job_for(demo, kind, cohort=cohort))
    styles = re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.DOTALL) + re.findall(r'\sstyle="([^"]*)"', html)
    assert len(styles) > 1  # the stylesheet, and the inline styles of the charts
    assert [hit for style in styles for hit in slow_constructs(style)] == []


def test_key_figures_three_to_a_row():
    assert key_figure_rows(list(range(8))) == [[0, 1, 2], [3, 4, 5], [6, 7]]
    assert key_figure_rows([]) == []
