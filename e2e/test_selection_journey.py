"""The selection journey of issue [2] in a real browser, from the open call to the notified decision.

An applicant signs up on a phone-sized window from the call's page, confirms the address with the
link of the e-mail, fills the six steps of the wizard (with a real PDF upload) and submits; the
application is screened on submission. Staff assign two reviewers on the review board; both reviewers
score the rubric; staff shortlist, select with a reason and notify; the applicant logs in again and
reads the decision and its reason on the status page.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import Role, User
from accounts.tests.factories import UserFactory
from cohorts.models import Application, ApplicationStatus, DecisionOutcome, Review
from cohorts.tests.factories import CohortFactory, EligibilityCriterionFactory, RubricCriterionFactory
from partners.models import Region

from .conftest import start_chromium, stop_chromium

# transaction=True: the live server thread must see the rows (and e-mails go out after a real commit).
# serialized_rollback=True: the flush after the test would otherwise wipe the role groups of the migrations.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-for-tests-1"  # UserFactory's password
APPLICANT_EMAIL = "awa.ndiaye@example.sn"
APPLICANT_PASSWORD = "Teranga-2024-Thies!"
PHONE = (390, 844)
SCREENSHOTS = "/tmp/journey_{}.png"


#: A small well-formed one-page PDF (the upload parses it: it must have a cross-reference table).
def _tiny_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


TINY_PDF = _tiny_pdf()
REASON = "Partenariat export mûr, ancrage hors de l'axe Dakar–Thiès et engagement environnemental solide"


# --- Browser helpers ------------------------------------------------------------------------------


def waiter(driver) -> WebDriverWait:
    # Reading a page while it is being replaced raises: retry until the new page is there.
    return WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException))


def css(driver, selector: str):
    return driver.find_element(By.CSS_SELECTOR, selector)


def click_and_load(driver, element) -> None:
    """Click something that loads a new page, and wait until the new page is fully there.

    The old page is marked on its `window` (a new document gets a new one): holding an element of the
    old page and waiting for it to go stale makes chromedriver fail now and then with "Node with given
    id does not belong to the document" while the page changes. The scroll is instant: Bootstrap's
    smooth scrolling would move the button while it is being clicked.

    htmx partials still loading (the selection shares follow every change of the form) are waited for
    first: the test server shares one SQLite connection between its threads, and two requests at once
    would trip over each other's transactions there (PostgreSQL, as in production, has no such limit)."""
    # Leaving the field being typed in fires its "change" (and so its htmx request) now, not during the click.
    driver.execute_script("document.activeElement && document.activeElement.blur();")
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return !document.querySelector('.htmx-request')"))
    driver.execute_script(
        "window.__pemOldPage = true; arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()
    # While the page changes, a script may find no document to run in: ask again until the new one answers.
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return !window.__pemOldPage && document.readyState === 'complete'")
    )


def fill(driver, name: str, value: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def choose(driver, name: str, value: str) -> None:
    Select(driver.find_element(By.NAME, name)).select_by_value(value)


def tick(driver, element_id: str, checked: bool = True) -> None:
    box = driver.find_element(By.ID, element_id)
    if box.is_selected() != checked:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", box)
        box.click()
    assert box.is_selected() == checked


def alerts(driver) -> str:
    return " ".join(element.text for element in driver.find_elements(By.CSS_SELECTOR, "main .alert"))


def page_errors(driver) -> str:
    """Form errors shown on the page, to make a failed step say why."""
    selectors = "main .invalid-feedback, main .alert-danger, main .alert-warning, main .errorlist"
    return " | ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, selectors) if e.text)


def wizard_next(driver, application_pk: int, step: int) -> None:
    """Press "Enregistrer et continuer" on `step` and land on the next step."""
    click_and_load(driver, css(driver, "main button[name=action][value=next]"))
    expected = reverse("cohorts:application_step", kwargs={"pk": application_pk, "step": step + 1})
    assert driver.current_url.endswith(expected), f"step {step} not saved: {page_errors(driver)} ({driver.current_url})"


def log_in(driver, live_server, email: str, password: str, next_path: str) -> None:
    """A fresh session (no cookie of the previous person), then the site's login page."""
    driver.delete_all_cookies()
    driver.get(f"{live_server.url}{reverse('accounts:login')}?next={next_path}")
    fill(driver, "username", email)
    fill(driver, "password", password)
    click_and_load(driver, css(driver, "main form button[type=submit]"))
    assert driver.current_url.endswith(next_path), f"login of {email} failed: {page_errors(driver)}"


def phone_layout_is_sane(driver) -> None:
    """No horizontal scrolling on a phone: the page is as wide as the window, the menu is collapsed."""
    width = driver.execute_script("return document.documentElement.scrollWidth")
    viewport = driver.execute_script("return window.innerWidth")
    assert width <= viewport, f"the page scrolls sideways on a phone ({width}px > {viewport}px) at {driver.current_url}"
    assert css(driver, "button.navbar-toggler").is_displayed()
    assert not css(driver, "#main-nav").is_displayed()


@pytest.fixture
def phone():
    driver = start_chromium(*PHONE)
    try:
        yield driver
    finally:
        stop_chromium(driver)


@pytest.fixture
def tiny_pdf(tmp_path):
    path = tmp_path / "rccm-teranga-bio.pdf"
    path.write_bytes(TINY_PDF)
    return path


# --- The journey ----------------------------------------------------------------------------------


def test_applicant_applies_on_a_phone_is_reviewed_selected_and_reads_the_decision(
    browser, phone, live_server, mailoutbox, tiny_pdf
):
    staff = UserFactory(roles=[Role.STAFF], email="equipe@example.org", first_name="Fatou", last_name="Sarr")
    reviewers = [
        UserFactory(roles=[Role.REVIEWER], email="eval1@example.org", first_name="Ibrahima", last_name="Diop"),
        UserFactory(roles=[Role.REVIEWER], email="eval2@example.be", first_name="Lien", last_name="Peeters"),
    ]
    cohort = CohortFactory(programme__name="PEM-WECCO", name="Cohorte 4 – Kaolack", places=10, min_reviews=2)
    EligibilityCriterionFactory(
        cohort=cohort, field="company_age", operator="gte", value="1", label="Entreprise créée depuis au moins un an"
    )
    EligibilityCriterionFactory(
        cohort=cohort,
        field="has_environmental_commitment",
        operator="true",
        value="",
        label="Engagement environnemental décrit",
    )
    rubric = [
        RubricCriterionFactory(cohort=cohort, code=code, label=label, weight=Decimal(weight))
        for code, label, weight in (
            ("marche", "Potentiel sur le marché belge", "2"),
            ("equipe", "Solidité de l'équipe", "1"),
            ("impact", "Impact social et environnemental", "1"),
        )
    ]
    call_path = reverse("cohorts:call_detail", kwargs={"pk": cohort.pk})

    # --- 1. The applicant, on a phone: sign-up from the call's page -------------------------------
    phone.get(live_server.url + call_path)
    assert "Cohorte 4 – Kaolack" in css(phone, "h1").text
    assert "Entreprise créée depuis au moins un an" in css(phone, "#criteria").text
    phone_layout_is_sane(phone)
    phone.save_screenshot(SCREENSHOTS.format("1_call"))
    click_and_load(phone, phone.find_element(By.LINK_TEXT, "Candidater"))
    assert reverse("accounts:signup") in phone.current_url

    fill(phone, "first_name", "Awa")
    fill(phone, "last_name", "Ndiaye")
    fill(phone, "email", APPLICANT_EMAIL)
    language = Select(phone.find_element(By.NAME, "preferred_language")).first_selected_option
    assert language.get_attribute("value") == "fr"
    click_and_load(phone, css(phone, "main form button[type=submit]"))
    assert phone.current_url.endswith(reverse("accounts:signup_done")), page_errors(phone)
    assert not User.objects.get(email=APPLICANT_EMAIL).is_active

    # The verification e-mail, sent after the sign-up's commit; its link brings back to the call.
    waiter(phone).until(lambda _driver: any(APPLICANT_EMAIL in m.to for m in mailoutbox))
    (verification,) = [m for m in mailoutbox if APPLICANT_EMAIL in m.to]
    link = re.search(r"(/accounts/signup/verify/\S+)", verification.body)
    assert link, verification.body
    # The link opens the page where the owner of the mailbox chooses the password; then they log in.
    phone.get(live_server.url + link.group(1))
    fill(phone, "password1", APPLICANT_PASSWORD)
    fill(phone, "password2", APPLICANT_PASSWORD)
    click_and_load(phone, css(phone, "main form button[type=submit]"))
    assert "compte est activé" in alerts(phone), page_errors(phone)
    fill(phone, "username", APPLICANT_EMAIL)
    fill(phone, "password", APPLICANT_PASSWORD)
    click_and_load(phone, css(phone, "main form button[type=submit]"))
    waiter(phone).until(EC.url_contains(call_path))

    # Start the application from the call's page.
    click_and_load(phone, phone.find_element(By.XPATH, "//main//form//button[normalize-space()='Candidater']"))
    application = Application.objects.get(cohort=cohort, entrepreneur__user__email=APPLICANT_EMAIL)
    assert phone.current_url.endswith(reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 1}))

    # Step 1: the founder.
    choose(phone, "gender", "woman")
    choose(phone, "age_band", "25-34")
    choose(phone, "education", "bachelor")
    choose(phone, "country_of_residence", "SN")
    fill(phone, "phone", "+221 77 123 45 67")
    phone_layout_is_sane(phone)
    phone.save_screenshot(SCREENSHOTS.format("2_step1"))
    wizard_next(phone, application.pk, 1)

    # Step 2: the company, a young formal one outside Dakar–Thiès.
    fill(phone, "name", "Teranga Bio SARL")
    choose(phone, "legal_form", "sarl")
    tick(phone, "id_is_formal")
    choose(phone, "sector", "agrifood")
    choose(phone, "region", str(Region.objects.get(country="SN", code="kaolack").pk))
    fill(phone, "city", "Kaolack")
    fill(phone, "year_founded", "2021")
    choose(phone, "turnover_band", "10-50m")
    fill(phone, "employees", "6")
    fill(phone, "description", "Transformation de bissap et de pain de singe en jus et poudres.")
    wizard_next(phone, application.pk, 2)

    # Step 3: the partnership sought.
    tick(phone, "id_partnership_types_0")  # export
    fill(phone, "partnership_sought", "Un importateur belge de produits biologiques pour nos poudres de baobab.")
    fill(phone, "target_markets", "Belgique, Pays-Bas")
    fill(phone, "motivation", "Rencontrer des distributeurs et obtenir la certification bio européenne.")
    wizard_next(phone, application.pk, 3)

    # Step 4: gender and environment.
    fill(phone, "gender_commitment", "Huit transformatrices sur dix sont des femmes ; la gérante est une femme.")
    fill(phone, "environmental_commitment", "Séchage solaire et emballages compostables.")
    wizard_next(phone, application.pk, 4)

    # Step 5: one real PDF.
    choose(phone, "kind", "registration")
    phone.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(str(tiny_pdf))
    click_and_load(phone, css(phone, "main button[name=action][value=upload]"))
    assert "Document ajouté" in alerts(phone), page_errors(phone)
    assert "rccm-teranga-bio.pdf" in css(phone, "#documents").text
    phone_layout_is_sane(phone)
    phone.save_screenshot(SCREENSHOTS.format("3_documents"))
    wizard_next(phone, application.pk, 5)

    # Step 6: the declaration, then the submission; the status page follows.
    assert not phone.find_elements(By.ID, "missing"), css(phone, "#missing").text
    tick(phone, "id_declaration")
    click_and_load(phone, css(phone, "main button[name=action][value=submit]"))
    detail_path = reverse("cohorts:application_detail", kwargs={"pk": application.pk})
    assert phone.current_url.endswith(detail_path), page_errors(phone)
    assert "candidature est soumise" in alerts(phone)
    phone_layout_is_sane(phone)
    phone.save_screenshot(SCREENSHOTS.format("4_submitted"))

    # Screened on submission: both criteria are met.
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE
    assert application.is_eligible is True
    assert application.failed_criteria == []
    assert application.profile_snapshot["region"] == "kaolack"
    assert application.documents.get().content_type == "application/pdf"
    assert css(phone, "#status").text == "Éligible"
    assert any(APPLICANT_EMAIL in m.to and m is not verification for m in mailoutbox)  # the confirmation

    # --- 2. Staff assign the two reviewers on the review board -------------------------------------
    board_path = reverse("cohorts:review_board", kwargs={"pk": cohort.pk})
    log_in(browser, live_server, staff.email, PASSWORD, board_path)
    row = css(browser, f"#application-{application.pk}")
    assert "Awa Ndiaye" in row.text and "Éligible" in row.text
    for reviewer in reviewers:
        tick(browser, f"reviewer-{reviewer.pk}")
    fill(browser, "per_application", "2")
    click_and_load(browser, browser.find_element(By.XPATH, "//main//button[normalize-space()='Répartir']"))
    assert "2 affectations créées" in alerts(browser), page_errors(browser)
    row = css(browser, f"#application-{application.pk}")
    assert "En évaluation" in row.text
    assert "Ibrahima Diop" in row.text and "Lien Peeters" in row.text
    assert Review.objects.filter(application=application).count() == 2

    # --- 3. Each reviewer scores the rubric and submits --------------------------------------------
    list_path = reverse("cohorts:review_list")
    for reviewer, marks in zip(reviewers, ([5, 4, 4], [4, 4, 5]), strict=True):
        log_in(browser, live_server, reviewer.email, PASSWORD, list_path)
        click_and_load(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Teranga Bio SARL"))
        assert "Teranga Bio SARL" in css(browser, "h1").text
        for criterion, mark in zip(rubric, marks, strict=True):
            fill(browser, f"score_{criterion.pk}", str(mark))
        fill(browser, "comment", "Dossier clair, marché identifié.")
        click_and_load(browser, css(browser, "main [name=submit_review]"))
        assert browser.current_url.endswith(list_path), page_errors(browser)
        assert "Évaluation soumise" in alerts(browser)
        assert "Soumise" in css(browser, ".list-group").text
    assert Review.objects.filter(application=application, submitted_at__isnull=False).count() == 2

    # --- 4. Staff shortlist, select with a reason and notify ---------------------------------------
    selection_path = reverse("cohorts:selection_board", kwargs={"pk": cohort.pk})
    log_in(browser, live_server, staff.email, PASSWORD, selection_path)
    assert "2 avis (2 requis)" in css(browser, "#selection-form tbody").text

    tick(browser, f"pick-{application.pk}")
    choose(browser, "action", "shortlist")
    click_and_load(browser, browser.find_element(By.XPATH, "//main//button[normalize-space()='Appliquer']"))
    assert "1 candidature mise à jour" in alerts(browser), page_errors(browser)
    assert "Présélectionnée" in css(browser, "#selection-form tbody").text

    tick(browser, f"pick-{application.pk}")
    choose(browser, "action", DecisionOutcome.SELECTED)
    fill(browser, "reason", REASON)
    click_and_load(browser, browser.find_element(By.XPATH, "//main//button[normalize-space()='Appliquer']"))
    assert "1 candidature mise à jour" in alerts(browser), page_errors(browser)
    assert "pas encore notifiée" in css(browser, "#selection-form tbody").text

    notify_path = reverse("cohorts:selection_notify", kwargs={"pk": cohort.pk})
    notify = css(browser, f"form[action='{notify_path}'] button")
    assert "Notifier 1 décision" in notify.text
    click_and_load(browser, notify)
    assert "1 e-mail de décision mis en file d'envoi" in alerts(browser), page_errors(browser)
    assert "notifiée le" in css(browser, "#selection-form tbody").text
    waiter(browser).until(lambda _driver: any(REASON in m.body and APPLICANT_EMAIL in m.to for m in mailoutbox))

    # --- 5. The applicant logs in again and reads the decision and its reason -----------------------
    log_in(phone, live_server, APPLICANT_EMAIL, APPLICANT_PASSWORD, detail_path)
    assert css(phone, "#status").text == "Sélectionnée"
    decision = css(phone, "#decision").text
    assert "Décision : Sélectionnée" in decision
    assert REASON in decision
    phone_layout_is_sane(phone)
    phone.save_screenshot(SCREENSHOTS.format("5_decision"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED
    assert application.decision.notified_at is not None
