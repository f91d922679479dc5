"""The PDF reports' figures and pages on the demo programme: charts as numbered figures with a caption
and a source, kept with their heading; pages that fill; a note when the platform's figures post-date
the evaluation; an impact figure for the Impact criterion; indicator definitions, never calculator keys."""

import datetime
import io
import re
from html import unescape

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cohorts.models import Cohort
from reporting import charts
from reporting.indicators import CALCULATORS, calculate, compute_indicators
from reporting.models import Evaluation, ReportJob
from reporting.rendering import CRITERION_CHARTS, dac_context, pdf_from_html, report_html
from scripts.compile_translations import compile_all

pytestmark = pytest.mark.django_db

#: "funnel.applications", "visa.refusal_rate"...: the internal names of the calculations.
CALCULATOR_FAMILIES = "|".join(sorted({key.split(".")[0] for key in CALCULATORS}))
CALCULATOR_KEY = re.compile(rf"\b(?:{CALCULATOR_FAMILIES})\.[a-z_0-9]+\b")
#: A4 in points, and the body between the running header (22 mm) and footer (20 mm) of report.css.
BODY_TOP, BODY_BOTTOM = 841.89 - 22 * 72 / 25.4, 20 * 72 / 25.4


@pytest.fixture(scope="module")
def compiled_translations():
    """The .mo files are build products (git-ignored): compile them, then drop Django's cached catalogues."""
    from pathlib import Path

    from django.utils.translation.reloader import translation_file_changed

    compile_all()
    translation_file_changed(sender=None, file_path=Path("django.mo"))


def job_for(programme, kind: str, language: str = "fr", *, cohort=None, data_as_of=None) -> ReportJob:
    """An unsaved job, as `render_report` builds one: the same HTML as the worker's."""
    return ReportJob(kind=kind, programme=programme, cohort=cohort, language=language, data_as_of=data_as_of or timezone.now())


def visible_text(html: str) -> str:
    """What a reader sees of the report's HTML: no stylesheet, no tags, one line."""
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def body_text(page) -> str:
    """The text of a PDF page between its running header and footer (the header repeats the chapter)."""
    pieces = []

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and BODY_BOTTOM < y < BODY_TOP:
            pieces.append(text)

    page.extract_text(visitor_text=visit)
    return " ".join("".join(pieces).split())


def filled_share(page) -> float:
    """How far down the body the page's text goes (0 empty, 1 full)."""
    lowest = BODY_TOP

    def visit(text, cm, tm, font, size):
        nonlocal lowest
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and BODY_BOTTOM < y < BODY_TOP:
            lowest = min(lowest, y)

    page.extract_text(visitor_text=visit)
    return (BODY_TOP - lowest) / (BODY_TOP - BODY_BOTTOM)


def pdf_of(job: ReportJob) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_from_html(html=report_html(job=job))))


# --- Numbered figures -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["dac", "cohort", "committee"])
def test_every_chart_is_a_numbered_figure_with_its_caption_and_source(demo, kind):
    cohort = Cohort.objects.get(programme=demo, number=1) if kind == "cohort" else None
    job = job_for(demo, kind, cohort=cohort, data_as_of=timezone.make_aware(datetime.datetime(2026, 11, 29, 10)))
    html = report_html(job=job)

    figures = re.findall(r'<figure class="figure" id="figure-(\d+)">(.*?)</figure>', html, flags=re.DOTALL)
    assert figures and html.count("<svg") == len(figures)  # no chart outside a figure
    assert [int(number) for number, _ in figures] == list(range(1, len(figures) + 1))
    for number, figure in figures:
        caption = visible_text(re.search(r"<figcaption.*?</figcaption>", figure, flags=re.DOTALL).group())
        assert re.fullmatch(rf"Figure {number} – \w.+", caption), caption
        assert "Source : plateforme PEM, données au 29/11/2026" in visible_text(figure)


def test_captions_and_sources_are_in_english_in_an_english_report(demo, compiled_translations):
    job = job_for(demo, "committee", "en", data_as_of=timezone.make_aware(datetime.datetime(2026, 11, 29, 10)))
    text = visible_text(report_html(job=job))

    assert "Figure 1 – Applicants' path, from submission to a partnership alive at +12 months" in text
    assert "Source: PEM platform, data as of " in text
    assert "Source : plateforme" not in text


def test_a_figure_caption_sits_on_the_page_of_its_heading_and_of_its_source(demo):
    """The cohort report opens sections 2 to 4 with figures: each heading is on the page of the section's
    first figure; no figure is split from its caption or its source line."""
    reader = pdf_of(job_for(demo, "cohort", cohort=Cohort.objects.get(programme=demo, number=1)))
    pages = [body_text(page) for page in reader.pages]

    def page_of(text: str) -> int:  # after the cover and the table of contents
        return next(number for number, page in enumerate(pages) if number > 1 and text in page)

    assert page_of("2. Parcours des candidat·es") == page_of("Figure 1 – ")
    assert page_of("3. Visas, mobilité et partenariats") == page_of("Figure 3 – ")
    assert page_of("4. Budget et dépenses") == page_of("Figure 6 – ")
    for page in pages:
        assert len(re.findall(r"Figure \d+ – ", page)) == page.count("Source : plateforme PEM, données au")


def test_a_criterion_figure_stays_inside_its_criterion(demo):
    """Never a chart after the next heading: each criterion's figures come between its heading and the
    next criterion's, with their caption and source on one page."""
    reader = pdf_of(job_for(demo, "dac"))
    pages = [body_text(page) for page in reader.pages]
    flat = " ".join(pages)
    headings = [m.start() for m in re.finditer(r"\b3\.\d (?:Pertinence|Cohérence|Efficacité|Efficience|Durabilité|Impact)", flat)]
    assert len(headings) == 6
    number = 0
    for index, criterion in enumerate(CRITERION_CHARTS.values()):
        end = headings[index + 1] if index + 1 < len(headings) else flat.rindex("4. Questions d'évaluation")
        for _chart in criterion:
            number += 1
            assert headings[index] < flat.index(f"Figure {number} – ") < end, number
    for page in pages:
        assert len(re.findall(r"Figure \d+ – ", page)) == page.count("Source : plateforme PEM, données au")


# --- Pages that fill ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_dac_report_pages_are_at_least_half_full(demo, compiled_translations, language):
    """Chapters used to start a page each and a criterion's findings moved whole to the next page: pages
    50 to 70 % empty. Only the cover, the contents, the page before the annex and the last may be short."""
    reader = pdf_of(job_for(demo, "dac", language))
    annex = next(n for n, page in enumerate(reader.pages) if "Annex" in body_text(page)[:40])
    short = {n + 1: round(filled_share(page), 2) for n, page in enumerate(reader.pages) if filled_share(page) < 0.5}
    assert set(short) <= {1, 2, annex, len(reader.pages)}, short


# --- The data period ------------------------------------------------------------------------------


def test_a_note_gives_both_periods_when_the_figures_post_date_the_evaluation(demo):
    evaluation = Evaluation.objects.get(programme=demo)
    assert evaluation.period_end == datetime.date(2024, 6, 30)
    job = job_for(demo, "dac", data_as_of=timezone.make_aware(datetime.datetime(2026, 11, 29, 10)))
    text = visible_text(report_html(job=job))

    note = "Période évaluée : du 1 octobre 2021 au 30 juin 2024. Les chiffres et graphiques de la plateforme sont arrêtés au 29 novembre 2026"
    assert note in text
    # Near the figures: at the head of the findings beside the platform's indicators, and in the annex.
    assert text.rindex("3. Constats par critère") < text.index(note) < text.index("3.1 Pertinence")
    assert text.count(note) == 2
    committee = visible_text(report_html(job=job_for(demo, "committee", data_as_of=job.data_as_of)))
    assert committee.rindex("1. Chiffres clés") < committee.index(note) < committee.rindex("2. Notes par critère CAD")


def test_no_note_when_the_figures_are_dated_within_the_evaluated_period(demo):
    job = job_for(demo, "dac", data_as_of=timezone.make_aware(datetime.datetime(2024, 5, 31, 10)))

    assert "Période évaluée :" not in visible_text(report_html(job=job))


# --- The Impact criterion -------------------------------------------------------------------------


def test_impact_is_shown_by_partnerships_that_last_not_by_applications(demo):
    context = dac_context(job_for(demo, "dac"))
    impact = next(c for c in context["criteria"] if c["grade"].criterion == "impact")
    figures = [figure for row in impact["figure_rows"] for figure in row]

    # [9]: the programme's persistence, then the same per cohort (reporting.persistence).
    assert [figure.name for figure in figures] == ["partnership_persistence_svg", "persistence_by_cohort_svg"]
    svg = figures[0].svg
    assert "Candidatures soumises" not in svg and "Entonnoir" not in svg
    assert "Partenariats vivants à +6 mois" in svg and "Partenariats vivants à +12 mois" in svg
    assert "Persistance des partenariats par cohorte" in figures[1].svg


def test_the_impact_chart_writes_the_indicators_own_values(demo):
    indicators = compute_indicators(programme=demo)
    svg = charts.partnership_persistence_svg(indicators)

    for count_key, share_key in (
        ("partnerships.active_6m", "partnerships.share_active_6m"),
        ("partnerships.active_12m", "partnerships.share_active_12m"),
    ):
        count, share = calculate(count_key, indicators).value, calculate(share_key, indicators).value
        assert f"{charts._number(share, 1)} % ({charts._number(count)})" in svg
    assert "<script" not in svg and 'role="img"' in svg


# --- No calculator keys ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", ["dac", "cohort", "committee"])
def test_no_report_shows_a_calculator_key(demo, compiled_translations, kind, language):
    cohort = Cohort.objects.get(programme=demo, number=1) if kind == "cohort" else None
    text = visible_text(report_html(job=job_for(demo, kind, language, cohort=cohort)))

    assert CALCULATOR_KEY.findall(text) == []
    if language == "fr":  # the annex explains each indicator by its definition instead
        assert "Candidatures soumises aux appels du programme" in text
        assert "Calcul :" not in text


def test_the_pdf_text_shows_no_calculator_key(demo):
    reader = pdf_of(job_for(demo, "dac"))
    text = " ".join(page.extract_text() for page in reader.pages)

    assert "Annexe : indicateurs, définitions et sources" in text
    assert CALCULATOR_KEY.findall(text) == []
