"""Texts people write exist in French and English, and a page or PDF in one language shows that language;
a text that exists only in the other language is shown marked with its language, never silently."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Role
from accounts.tests.factories import UserFactory
from core.bilingual import plain_text_in, text_in
from reporting import demo as reporting_demo
from reporting.demo_fr import FRENCH
from reporting.models import Conclusion, Evaluation, JobStatus, ReportJob, ReportKind
from reporting.services.reports import report_render_run
from reporting.tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


def demo_english_texts() -> list[str]:
    """Every prose text of the demo evaluation, as the English source summary gives it."""
    texts = []
    for _criterion, _grade, text, split in reporting_demo.GRADES:
        texts += [text, *split.values()]
    for question in reporting_demo.QUESTIONS:
        texts += [question[2], question[3]]
    for conclusion in reporting_demo.CONCLUSIONS:
        texts += [conclusion[1], conclusion[2]]
    for recommendation in reporting_demo.RECOMMENDATIONS:
        texts += [recommendation[1], recommendation[2], recommendation[4]]
    for lesson in reporting_demo.LESSONS:
        texts += [lesson[1], lesson[2]]
    texts += [reporting_demo.SUMMARY, reporting_demo.METHODOLOGY]
    return [text for text in texts if text]


def test_every_text_of_the_demo_evaluation_has_a_french_version():
    missing = [text[:60] for text in demo_english_texts() if not FRENCH.get(text, "").strip()]
    assert missing == []
    untranslated = [text[:60] for text in demo_english_texts() if FRENCH[text] == text]
    assert untranslated == []


# --- The DAC report of the demo in each language ---------------------------------------------------


def _squeezed(text: str) -> str:
    """Letters only: PDF text extraction breaks lines and hyphenates, so compare without spaces or punctuation."""
    return re.sub(r"[^\w]", "", text).lower()


def _fragments(texts: list[str], length: int = 40) -> set[str]:
    """A fragment of each sentence long enough to belong to one language only."""
    fragments = set()
    for text in texts:
        for sentence in re.split(r"(?<=[.;:!?])\s+", text):
            squeezed = _squeezed(sentence)
            if len(squeezed) >= length:
                fragments.add(squeezed[:length])
    return fragments


def _dac_pdf_pages(programme, language: str) -> list[str]:
    job = ReportJob.objects.create(programme=programme, kind=ReportKind.DAC_EVALUATION, language=language)
    report_render_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [page.extract_text() for page in reader.pages]


def test_the_french_dac_report_holds_no_english_paragraph_of_the_evaluation_and_the_english_one_no_french(demo):
    english = demo_english_texts()
    french = [FRENCH[text] for text in english]
    french_pages = _dac_pdf_pages(demo, "fr")
    english_pages = _dac_pdf_pages(demo, "en")
    french_pdf, english_pdf = _squeezed(" ".join(french_pages)), _squeezed(" ".join(english_pages))

    # The English cover: the report's number, not "Baseline" (the indicators' word) nor internal codes.
    assert "Report no." in english_pages[0]
    assert "Baseline" not in english_pages[0] and "pem-wecco-dac" not in english_pages[0]
    assert "N° du rapport" in french_pages[0]

    english_in_french_pdf = sorted(f for f in _fragments(english) if f in french_pdf)
    french_in_english_pdf = sorted(f for f in _fragments(french) if f in english_pdf)
    assert english_in_french_pdf == []
    assert french_in_english_pdf == []
    # ...and each report does hold its own language's texts.
    assert sum(f in french_pdf for f in _fragments(french)) > 50
    assert sum(f in english_pdf for f in _fragments(english)) > 50


def test_the_english_indicators_page_names_the_indicators_in_english(client, demo):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    url = reverse("reporting:indicators") + f"?programme={demo.pk}"
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    client.cookies["django_language"] = "fr"
    french = client.get(url).content.decode()
    for code, _objective, name_fr, name_en, *_rest in reporting_demo.INDICATORS:
        assert name_en in english, code
        assert name_fr in french, code


# --- One display rule ---------------------------------------------------------------------------------


def test_a_text_written_only_in_french_is_shown_marked_as_french_on_the_english_page(client):
    evaluation = EvaluationFactory()
    Conclusion.objects.create(evaluation=evaluation, code="C9", title_fr="Une conclusion écrite en français seulement")
    evaluator = UserFactory(roles=[Role.STAFF])
    client.force_login(evaluator)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("reporting:evaluation_detail", args=[evaluation.pk])).content.decode()

    assert '<span lang="fr" class="other-language">Une conclusion écrite en français seulement</span>' in page
    assert "in French" in page


def test_long_texts_are_paragraphs_escaped_once(client):
    evaluation = EvaluationFactory()
    Conclusion.objects.create(
        evaluation=evaluation, code="C1", title_fr="Titre", text_fr="L'équipe <b>dit</b> :\n\nun second paragraphe"
    )
    client.force_login(UserFactory(roles=[Role.STAFF]))

    page = client.get(reverse("reporting:evaluation_detail", args=[evaluation.pk])).content.decode()

    assert "<p>L&#x27;équipe &lt;b&gt;dit&lt;/b&gt; :</p>" in page  # HTML typed by a person stays text
    assert "<p>un second paragraphe</p>" in page
    assert "&lt;p&gt;" not in page and "&amp;#x27;" not in page


def test_the_reader_gets_their_language_and_the_other_one_only_marked():
    conclusion = Conclusion(title_fr="Titre", title_en="Title")
    assert (str(text_in(conclusion, "title", "fr")), text_in(conclusion, "title", "fr").other_language) == ("Titre", None)
    assert (str(text_in(conclusion, "title", "en")), text_in(conclusion, "title", "en").other_language) == ("Title", None)
    only_french = Conclusion(title_fr="Titre")
    assert text_in(only_french, "title", "en").other_language == "fr"
    assert plain_text_in(only_french, "title", "en") == "Titre [in French]"


def test_the_evaluator_edits_both_languages_side_by_side(client):
    evaluation = EvaluationFactory()
    client.force_login(UserFactory(roles=[Role.STAFF]))
    url = reverse("reporting:evaluation_item_create", args=[evaluation.pk, "conclusion"])

    form = client.get(url).content.decode()
    assert 'name="title_fr"' in form and 'name="title_en"' in form

    response = client.post(
        url, {"code": "C1", "title_fr": "Pertinent", "title_en": "Relevant", "text_fr": "Oui.", "text_en": "Yes."}
    )

    assert response.status_code == 302
    conclusion = Conclusion.objects.get(evaluation=evaluation, code="C1")
    assert (conclusion.title_fr, conclusion.title_en, conclusion.text_fr, conclusion.text_en) == (
        "Pertinent",
        "Relevant",
        "Oui.",
        "Yes.",
    )


def test_the_admin_change_form_shows_both_languages(admin_client):
    evaluation = EvaluationFactory()
    conclusion = Conclusion.objects.create(evaluation=evaluation, code="C1", title_fr="Titre", title_en="Title")
    page = admin_client.get(reverse("admin:reporting_conclusion_change", args=[conclusion.pk])).content.decode()
    assert 'name="title_fr"' in page and 'name="title_en"' in page
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()


def test_saving_a_criterion_unchanged_in_both_languages_records_no_new_version():
    from reporting.models import CriterionGrade
    from reporting.services.evaluation import criterion_grade_set

    evaluation = EvaluationFactory()
    findings = {"fr": "Très pertinent.", "en": "Very relevant."}
    criterion_grade_set(evaluation=evaluation, criterion="relevance", grade="A", findings=findings, by=None)
    criterion_grade_set(evaluation=evaluation, criterion="relevance", grade="A", findings=dict(findings), by=None)
    assert CriterionGrade.history.filter(evaluation=evaluation).count() == 1
    criterion_grade_set(
        evaluation=evaluation, criterion="relevance", grade="A", findings={**findings, "en": "Relevant."}, by=None
    )
    assert CriterionGrade.history.filter(evaluation=evaluation).count() == 2
    assert CriterionGrade.objects.get(evaluation=evaluation).findings_en == "Relevant."
