"""What each step of the wizard checks before moving on ([5] item 2): a file chosen at the documents step
is kept whichever button is pressed; required fields are marked and cannot be skipped until the last
step; a step whose answers fail a condition of the call says so there and is not ticked complete."""

import html
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohorts.models import ApplicationDocument
from cohorts.tests.factories import ApplicationFactory, EligibilityCriterionFactory
from cohorts.tests.factories_apply import CompleteDraftFactory
from cohorts.tests.test_apply_documents import PDF, pdf_bytes

pytestmark = pytest.mark.django_db

ENVIRONMENT = {
    "field": "has_environmental_commitment",
    "operator": "true",
    "value": "",
    "label": "Engagement environnemental décrit",
    "label_en": "Environmental commitment described",
}


def step_url(application, step):
    return reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": step})


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def step_badge(page: str, number: int) -> str:
    """The link of step `number` in the step list, as rendered."""
    match = re.search(rf'<a [^>]*data-step="{number}"[^>]*>.*?</a>', page, re.S)
    assert match, f"no step {number} in the step list"
    return match.group(0)


def is_ticked(page: str, number: int) -> bool:
    return "✓" in step_badge(page, number)


@pytest.fixture
def draft(client):
    application = CompleteDraftFactory(with_document=False, current_step=5)
    client.force_login(application.entrepreneur.user)
    return application


# --- 1. The documents step keeps a chosen file whichever button is pressed --------------------------


@pytest.mark.parametrize(("action", "lands_on"), [("next", 6), ("save", 5), ("back", 4)])
def test_a_file_chosen_is_kept_when_the_main_buttons_are_pressed(client, draft, action, lands_on):
    response = client.post(
        step_url(draft, 5), {"kind": "business_plan", "file": SimpleUploadedFile("plan.pdf", PDF), "action": action}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == step_url(draft, lands_on)
    document = ApplicationDocument.objects.get(application=draft)
    assert (document.kind, document.original_name, document.content_type) == ("business_plan", "plan.pdf", "application/pdf")
    page = client.get(response["Location"]).content.decode()
    assert "Document ajouté" in page
    if lands_on != 4:
        assert "plan.pdf" in page


def test_continuing_without_a_file_still_moves_on(client, draft):
    response = client.post(step_url(draft, 5), {"kind": "registration", "action": "next"})
    assert response["Location"] == step_url(draft, 6)
    assert not ApplicationDocument.objects.exists()


def test_a_bad_file_with_the_main_button_is_a_form_error_and_the_step_stays(client, draft):
    response = client.post(
        step_url(draft, 5),
        {"kind": "financials", "file": SimpleUploadedFile("bilan.pdf", pdf_bytes(js=True)), "action": "next"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce PDF contient du JavaScript" in page
    assert re.search(r'value="financials"[^>]*selected', page)  # the kind chosen is kept
    assert not ApplicationDocument.objects.exists()


def test_the_documents_step_is_one_form_holding_the_file_and_every_button(client, draft):
    page = client.get(step_url(draft, 5)).content.decode()
    forms = re.findall(r"<form [^>]*>.*?</form>", page, re.S)
    (main,) = [form for form in forms if 'type="file"' in form]
    assert 'enctype="multipart/form-data"' in main
    for action in ("upload", "next", "save", "back"):
        assert f'value="{action}"' in main


# --- 2. Required fields are marked and cannot be skipped ---------------------------------------------


@pytest.mark.parametrize("step", [1, 2, 3, 5, 6])
def test_required_fields_are_marked_with_a_legend(client, draft, step):
    page = client.get(step_url(draft, step)).content.decode()
    assert "champ obligatoire" in page
    assert 'class="asteriskField"' in page


def test_the_required_answers_of_step_3_are_marked_and_carry_the_required_attribute(client, draft):
    page = client.get(step_url(draft, 3)).content.decode()
    for name in ("partnership_types", "partnership_sought", "motivation"):
        label = re.search(rf'<(label|legend)[^>]*(for="id_{name}"|fs-6)[^>]*>.*?</(label|legend)>', page, re.S)
        assert label and "asteriskField" in label.group(0), name
    for name in ("partnership_sought", "motivation"):
        assert re.search(rf'<textarea[^>]*name="{name}"[^>]*required', page), name
    assert not re.search(r'<label[^>]*for="id_target_markets"[^>]*>[^<]*<span class="asteriskField"', page)


def test_step_3_refuses_to_continue_without_its_required_answers(client):
    application = ApplicationFactory(current_step=3)
    client.force_login(application.entrepreneur.user)

    response = client.post(step_url(application, 3), {"target_markets": "Belgique", "action": "next"})

    assert response.status_code == 200
    assert "Cette étape n'a pas été enregistrée" in text_of(response)
    application.refresh_from_db()
    assert (application.current_step, application.target_markets) == (3, "")
    assert not is_ticked(client.get(step_url(application, 4)).content.decode(), 3)


def test_back_from_an_untouched_step_goes_back_without_saving(client):
    application = ApplicationFactory(current_step=3)
    client.force_login(application.entrepreneur.user)
    response = client.post(step_url(application, 3), {"action": "back"})
    assert response["Location"] == step_url(application, 2)


def test_back_from_a_half_filled_step_keeps_what_was_typed(client):
    application = ApplicationFactory(current_step=3)
    client.force_login(application.entrepreneur.user)
    response = client.post(step_url(application, 3), {"motivation": "Grandir en Belgique", "action": "back"})
    assert response.status_code == 200
    assert "Grandir en Belgique" in response.content.decode()


def test_a_passed_step_lacking_a_required_answer_is_flagged_not_ticked(client, draft):
    draft.motivation = ""
    draft.save()
    page = client.get(step_url(draft, 3)).content.decode()
    assert not is_ticked(page, 3) and "step-flagged" in step_badge(page, 3)
    missing = re.search(r'id="step-missing">.*?</div>', html.unescape(page), re.S).group(0)
    assert "Pourquoi souhaitez-vous participer au programme ?" in missing  # as the form asks it
    assert is_ticked(page, 2)


# --- 3. A condition of the call not met is said at its step -------------------------------------------


def test_step_4_left_empty_warns_for_a_call_requiring_an_environmental_commitment(client, draft):
    EligibilityCriterionFactory(cohort=draft.cohort, **ENVIRONMENT)
    draft.environmental_commitment = ""
    draft.save()

    page = client.get(step_url(draft, 4)).content.decode()

    assert not is_ticked(page, 4)
    warning = re.search(r'<div class="alert alert-warning" id="unmet-conditions">.*?</div>', page, re.S).group(0)
    assert "Engagement environnemental décrit" in warning and "non éligible" in warning
    assert "has_environmental_commitment" not in page


def test_the_warning_is_in_the_applicants_language(client, draft):
    EligibilityCriterionFactory(cohort=draft.cohort, **ENVIRONMENT)
    draft.environmental_commitment = ""
    draft.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(step_url(draft, 4)).content.decode()

    warning = re.search(r'id="unmet-conditions">.*?</div>', page, re.S).group(0)
    assert "Environmental commitment described" in warning and "not eligible" in warning
    assert "Engagement environnemental" not in warning


def test_leaving_step_4_empty_says_so_on_the_way_out(client):
    application = ApplicationFactory(current_step=4)
    EligibilityCriterionFactory(cohort=application.cohort, **ENVIRONMENT)
    client.force_login(application.entrepreneur.user)

    response = client.post(
        step_url(application, 4), {"gender_commitment": "", "environmental_commitment": "", "action": "next"}, follow=True
    )

    page = text_of(response)
    assert response.redirect_chain[-1][0] == step_url(application, 5)
    assert "Étape 4 : condition de l'appel non remplie (« Engagement environnemental décrit »)" in page
    assert not is_ticked(page, 4)


def test_a_filled_commitment_ticks_step_4_and_silences_the_warning(client, draft):
    EligibilityCriterionFactory(cohort=draft.cohort, **ENVIRONMENT)
    page = client.get(step_url(draft, 4)).content.decode()
    assert is_ticked(page, 4)
    assert 'id="unmet-conditions"' not in page


def test_without_that_condition_an_empty_step_4_is_complete(client, draft):
    draft.environmental_commitment = ""
    draft.save()
    page = client.get(step_url(draft, 4)).content.decode()
    assert is_ticked(page, 4)
    assert 'id="unmet-conditions"' not in page


def test_the_conditions_of_a_step_are_shown_before_it_is_filled(client):
    application = ApplicationFactory(current_step=4)
    EligibilityCriterionFactory(cohort=application.cohort, **ENVIRONMENT)
    client.force_login(application.entrepreneur.user)
    page = client.get(step_url(application, 4)).content.decode()
    assert 'id="call-conditions"' in page and "Engagement environnemental décrit" in page
    assert 'id="unmet-conditions"' not in page


def test_a_company_condition_is_judged_at_step_2_by_the_eligibility_engine(client, draft):
    EligibilityCriterionFactory(
        cohort=draft.cohort, field="employees", operator="gte", value="500", label="Au moins 500 employé·es"
    )
    page = client.get(step_url(draft, 2)).content.decode()
    assert not is_ticked(page, 2)
    assert "Au moins 500 employé·es" in re.search(r'id="unmet-conditions">.*?</div>', page, re.S).group(0)
    assert is_ticked(page, 1) and is_ticked(page, 3)


def test_the_last_step_lists_the_conditions_not_met(client, draft):
    EligibilityCriterionFactory(cohort=draft.cohort, **ENVIRONMENT)
    draft.environmental_commitment = ""
    draft.save()
    page = client.get(step_url(draft, 6)).content.decode()
    warning = re.search(r'id="unmet-conditions">.*?</div>', page, re.S).group(0)
    assert step_url(draft, 4) in warning and "Engagement environnemental décrit" in warning


def test_the_status_page_of_a_draft_lists_the_conditions_not_met(client, draft):
    EligibilityCriterionFactory(cohort=draft.cohort, **ENVIRONMENT)
    draft.environmental_commitment = ""
    draft.save()
    page = client.get(reverse("cohorts:application_detail", kwargs={"pk": draft.pk})).content.decode()
    assert "Engagement environnemental décrit" in re.search(r'id="unmet-conditions">.*?</div>', page, re.S).group(0)
