"""The partnership pipeline in a real browser: staff open the board, move a card forward (htmx swaps the
board, no reload), try to move it back without a reason (the error shows on the card), then with one;
they open the partnership and add a transaction in CFA francs."""

import datetime

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationFactory
from e2e.test_topbar import log_in, shot
from mobility import services
from mobility.models import Partnership
from partners.tests.factories import BelgianCompanyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _card_move(browser, pk: int, stage: str, note: str = "") -> None:
    card = browser.find_element(By.ID, f"p{pk}")
    details = card.find_element(By.TAG_NAME, "details")
    if not details.get_attribute("open"):
        browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", details)
        details.find_element(By.TAG_NAME, "summary").click()
    Select(card.find_element(By.NAME, "to_stage")).select_by_value(stage)
    field = card.find_element(By.NAME, "note")
    field.clear()
    if note:
        field.send_keys(note)
    button = card.find_element(By.CSS_SELECTOR, "button[type=submit]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()


def test_staff_move_a_card_forward_back_with_a_reason_and_add_a_transaction_in_cfa_francs(browser, live_server):
    staff = UserFactory(roles=[Role.STAFF], first_name="Awa")
    partnership = services.partnership_create(
        application=ApplicationFactory(submitted=True),
        organisation=BelgianCompanyFactory(name="Gent Cashew NV"),
        type="export",
        started_on=datetime.date(2024, 1, 10),
        by=staff,
    )
    services.partnership_stage_change(partnership=partnership, to_stage="discussion", by=staff, on=datetime.date(2024, 2, 1))
    log_in(browser, live_server, staff)
    browser.get(f"{live_server.url}{reverse('mobility:pipeline_board')}?cohort={partnership.application.cohort_id}")
    browser.execute_script("window.pemNoReload = true")

    # Forward: the board is swapped in place, the card sits in the next column.
    _card_move(browser, partnership.pk, "agreement")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pipeline-board .alert-success"))
    assert browser.find_elements(By.CSS_SELECTOR, f"section[aria-labelledby=stage-agreement] #p{partnership.pk}")
    assert browser.execute_script("return window.pemNoReload") is True

    # Back without a reason: refused, said on the card, nothing changed.
    _card_move(browser, partnership.pk, "discussion")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#p{partnership.pk} .alert-danger"))
    assert "demande un motif" in browser.find_element(By.ID, f"p{partnership.pk}").text
    shot(browser, "pipeline-refused-1280")
    assert Partnership.objects.get().stage == "agreement"

    # Back with a reason: accepted, attributed.
    _card_move(browser, partnership.pk, "discussion", note="Clauses à renégocier")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, f"section[aria-labelledby=stage-discussion] #p{partnership.pk}")
    )
    last = Partnership.objects.get().stage_changes.order_by("pk").last()
    assert (last.to_stage, last.note, last.by) == ("discussion", "Clauses à renégocier", staff)
    assert browser.execute_script("return window.pemNoReload") is True

    # The partnership's page: a transaction in CFA francs.
    browser.find_element(By.CSS_SELECTOR, f"#p{partnership.pk} a").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "history-title"))
    assert "Clauses à renégocier" in browser.find_element(By.TAG_NAME, "main").text
    summary = browser.find_element(By.XPATH, "//summary[normalize-space()='Ajouter une transaction']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", summary)
    summary.click()
    form = summary.find_element(By.XPATH, "following-sibling::form")
    Select(form.find_element(By.NAME, "kind")).select_by_value("order")
    date = form.find_element(By.NAME, "occurred_on")
    browser.execute_script("arguments[0].value = '2024-03-15'", date)
    form.find_element(By.NAME, "value").send_keys("1311914")
    Select(form.find_element(By.NAME, "currency")).select_by_value("XOF")
    form.find_element(By.NAME, "description").send_keys("Première commande")
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success"))
    assert str(Partnership.objects.get().transactions.get().value_eur) == "2000.00"
    assert "Première commande" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "pipeline-partnership-1280")
    csp = [entry for entry in browser.get_log("browser") if "Content Security Policy" in entry.get("message", "")]
    assert not csp, csp
