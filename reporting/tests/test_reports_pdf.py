"""The PDF reports of the demo programme, read back with pypdf: what the evaluation says, with the
platform's figures, in French and in English, with page numbers in the table of contents."""

import io
import re

import pytest
from pypdf import PdfReader

from cohorts.models import Cohort
from reporting.models import JobStatus, Recommendation, ReportJob
from reporting.services.reports import report_render_run
from scripts.compile_translations import compile_all

pytestmark = pytest.mark.django_db

GRADES_FR = {"Pertinence": "A", "Cohérence": "B", "Efficacité": "B", "Efficience": "B", "Durabilité": "C", "Impact": "B"}
GRADES_EN = {"Relevance": "A", "Coherence": "B", "Effectiveness": "B", "Efficiency": "B", "Sustainability": "C", "Impact": "B"}


@pytest.fixture(scope="module")
def compiled_translations():
    """The .mo files are build products (git-ignored): compile them, then drop Django's cached catalogues."""
    from pathlib import Path

    from django.utils.translation.reloader import translation_file_changed

    compile_all()
    translation_file_changed(sender=None, file_path=Path("django.mo"))


def render(programme, kind: str, language: str, cohort=None) -> tuple[ReportJob, PdfReader]:
    job = ReportJob.objects.create(programme=programme, kind=kind, language=language, cohort=cohort)
    report_render_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.file.open("rb") as handle:
        return job, PdfReader(io.BytesIO(handle.read()))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def dac_fr(demo, django_db_blocker):
    with django_db_blocker.unblock():
        return render(demo, "dac", "fr")


def test_the_dac_report_holds_the_six_criteria_with_their_grades(dac_fr):
    job, reader = dac_fr
    grades_page = next(
        page.extract_text()
        for page in reader.pages
        if "Notes par critère CAD" in page.extract_text() and "Constat principal" in page.extract_text()
    )
    for criterion, grade in GRADES_FR.items():
        assert re.search(rf"^{criterion}\s+{grade}\b", grades_page, re.MULTILINE), (criterion, grade, grades_page)
    assert job.size == len(job.file.open("rb").read())
    assert len(job.sha256) == 64


def test_the_dac_report_lists_r1_to_r8_with_level_priority_and_type(demo, dac_fr):
    _job, reader = dac_fr
    text = one_line(text_of(reader))
    table = text[text.index("Recommandation Niveau Priorité Type Réponse managériale") :]
    for recommendation in Recommendation.objects.filter(evaluation__programme=demo).order_by("order"):
        start = table.index(f"{recommendation.code} – ")
        row = table[start : start + 600]
        levels = {1: "1 – Projet / programme", 3: "3 – Organisation de l'agence", 4: "4 – Cadre global de la coopération"}
        for level in recommendation.levels:
            assert levels[level] in row, (recommendation.code, row)
        assert recommendation.get_priority_display() in row, (recommendation.code, row)
        assert recommendation.get_type_display() in row, (recommendation.code, row)
    assert "Acceptée" in table  # management responses sit in the same table


def test_the_table_of_contents_gives_the_page_of_each_section(dac_fr):
    _job, reader = dac_fr
    toc = reader.pages[1].extract_text()
    annex = re.search(r"Annexe : indicateurs, définitions et sources\s*\.*\s*(\d+)", toc)
    assert annex, toc
    annex_page = int(annex.group(1))
    assert "Annexe : indicateurs, définitions et sources" in reader.pages[annex_page - 1].extract_text()
    assert annex_page == len(reader.pages)


def test_every_page_after_the_cover_carries_page_x_of_y_and_the_data_snapshot(dac_fr):
    job, reader = dac_fr
    total = len(reader.pages)
    for number, page in enumerate(reader.pages[1:], start=2):
        text = page.extract_text()
        assert f"Page {number} sur {total}" in text
        assert "Données arrêtées au" in text
    assert "Page 1 sur" not in reader.pages[0].extract_text()  # the cover has no header or footer
    assert job.data_as_of is not None


def test_the_platform_figures_and_charts_sit_next_to_the_findings(dac_fr):
    _job, reader = dac_fr
    text = one_line(text_of(reader))
    assert "Indicateurs calculés par la plateforme" in text
    assert "Entreprises ayant effectué la mobilité" in text
    assert "Entonnoir" in text or "Candidatures soumises" in text  # the funnel chart's labels are text, not pixels


def test_the_pdf_embeds_dejavu_so_it_looks_the_same_everywhere(dac_fr):
    _job, reader = dac_fr
    fonts = set()
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu" in name for name in fonts), fonts


def test_the_dac_report_in_english(demo, compiled_translations):
    _job, reader = render(demo, "dac", "en")
    text = text_of(reader)
    grades_page = next(page.extract_text() for page in reader.pages[2:] if all(c in page.extract_text() for c in GRADES_EN))
    for criterion, grade in GRADES_EN.items():
        assert re.search(rf"^{criterion}\s+{grade}\b", grades_page, re.MULTILINE), (criterion, grade, grades_page)
    assert "Pertinence" not in text
    assert re.search(r"Page 2 of \d+", text)
    for code in [f"R{n}" for n in range(1, 9)]:
        assert f"{code} – " in text
    flat = one_line(text)
    assert "Short term" in flat and "Medium term" in flat and "Strategic" in flat and "Operational" in flat


def test_the_cohort_report_and_the_committee_brief(demo):
    cohort = Cohort.objects.get(programme=demo, number=1)
    _job, reader = render(demo, "cohort", "fr", cohort=cohort)
    text = one_line(text_of(reader))
    assert cohort.name in text
    assert "Parcours des candidat·es" in text

    _job, reader = render(demo, "committee", "fr")
    text = one_line(text_of(reader))
    assert "Note au comité de pilotage" in text
    assert "Suivi des recommandations" in text
    for criterion, grade in GRADES_FR.items():
        assert re.search(rf"{criterion} {grade}\b", text), criterion
