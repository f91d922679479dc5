"""The documents step of the wizard in a real browser ([5] item 2): a file chosen in the file input is
kept when the applicant presses the main "Enregistrer et continuer" button instead of "Ajouter ce
document" (the file travels with the form of the main button and goes through the same checks)."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from cohorts.models import ApplicationDocument
from cohorts.tests.factories_apply import CompleteDraftFactory

from .test_selection_journey import PASSWORD, TINY_PDF, alerts, choose, click_and_load, css, log_in, page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_file_chosen_then_saved_with_the_main_button_is_listed(browser, live_server, tmp_path):
    application = CompleteDraftFactory(with_document=False, current_step=5)
    business_plan = tmp_path / "plan-affaires-teranga.pdf"
    business_plan.write_bytes(TINY_PDF)
    documents_path = reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 5})
    log_in(browser, live_server, application.entrepreneur.user.email, PASSWORD, documents_path)

    choose(browser, "kind", "business_plan")
    browser.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(str(business_plan))
    click_and_load(browser, css(browser, "main button[name=action][value=next]"))

    declaration_path = reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 6})
    assert browser.current_url.endswith(declaration_path), page_errors(browser)
    assert "Document ajouté" in alerts(browser)
    listed = css(browser, "#documents").text
    assert "plan-affaires-teranga.pdf" in listed and "Plan d'affaires" in listed
    document = ApplicationDocument.objects.get(application=application)
    assert (document.kind, document.content_type) == ("business_plan", "application/pdf")
    browser.save_screenshot("/tmp/wizard_documents_kept.png")
