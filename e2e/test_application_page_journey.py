"""Documents the jury can read ([5] item 1), in a real browser.

A reviewer logs in, opens an application assigned to them from their list, and opens its business plan
from the scoring page: the browser gets the PDF inline (application/pdf) and the opening is recorded. The
same reviewer asking for a document of an application not assigned to them is refused, and nothing is
recorded. Staff open the application's page from the staff list and find the answers, the documents (and
open the business plan), the reviews; on a phone the page does not scroll sideways.
"""

import time
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationDocument, ApplicationStatus, DocumentAccess, PartnershipType, Review, ReviewScore
from cohorts.tests.factories import ApplicationFactory, CohortFactory, RubricCriterionFactory
from partners.tests.factories import CompanyFactory, EntrepreneurFactory

from .test_selection_journey import (
    PASSWORD,
    TINY_PDF,
    click_and_load,
    css,
    log_in,
    phone,  # noqa: F401 - a fixture
    phone_layout_is_sane,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = "/tmp/application_page_{}.png"


def _application(cohort, *, company: str, first_name: str):
    company = CompanyFactory(name=company)
    entrepreneur = EntrepreneurFactory(first_name=first_name, last_name="Ndiaye", company=company)
    application = ApplicationFactory(
        cohort=cohort,
        entrepreneur=entrepreneur,
        company=company,
        status=ApplicationStatus.UNDER_REVIEW,
        submitted_at=timezone.now(),
        partnership_types=[PartnershipType.CO_DEVELOPMENT],
        partnership_sought="Un torréfacteur belge pour une gamme commune de cafés Touba.",
        motivation="Exporter vers le Benelux.",
    )
    document = ApplicationDocument(
        application=application,
        kind="business_plan",
        original_name=f"plan-affaires-{first_name.lower()}.pdf",
        content_type="application/pdf",
        size=len(TINY_PDF),
        sha256="0" * 64,
    )
    document.file.save("plan", ContentFile(TINY_PDF), save=True)
    return application, document


def _fetch(driver, url: str) -> dict:
    """GET `url` from the page, with the browser's own session: status and headers as the browser saw them."""
    return driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin'}).then(r => done({
            status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'),
            csp: r.headers.get('content-security-policy')}))
        .catch(e => done({status: -1, type: String(e)}));""",
        url,
    )


def _open_in_new_tab(driver, link) -> str:
    """Click a link that opens in a new tab, switch to it and return the content type of what it shows."""
    before = set(driver.window_handles)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", link)
    link.click()
    WebDriverWait(driver, 30).until(lambda d: set(d.window_handles) - before)
    (tab,) = set(driver.window_handles) - before
    driver.switch_to.window(tab)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return driver.execute_script("return document.contentType")


def _close_tab(driver, main: str) -> None:
    driver.close()
    driver.switch_to.window(main)


def test_a_reviewer_opens_a_business_plan_and_staff_open_the_application_page(browser, phone, live_server):  # noqa: F811
    staff = UserFactory(roles=[Role.STAFF], email="equipe@example.org", first_name="Fatou", last_name="Sarr")
    jury = UserFactory(roles=[Role.REVIEWER], email="jury@example.org", first_name="Ibrahima", last_name="Diop")
    other_jury = UserFactory(roles=[Role.REVIEWER], email="autre@example.org", first_name="Lien", last_name="Peeters")
    cohort = CohortFactory(programme__name="PEM-WECCO", name="Cohorte 5 – Ziguinchor", min_reviews=2)
    criterion = RubricCriterionFactory(cohort=cohort, code="marche", label="Potentiel sur le marché belge", weight=Decimal(1))
    assigned, plan = _application(cohort, company="Café Touba Casamance", first_name="Aminata")
    not_assigned, other_plan = _application(cohort, company="Mangues de Sédhiou", first_name="Khady")
    review = Review.objects.create(application=assigned, reviewer=jury)
    Review.objects.create(application=not_assigned, reviewer=other_jury)
    # Another reviewer already scored the assigned application: staff will read that review.
    done = Review.objects.create(application=assigned, reviewer=other_jury, comment="Marché porteur, équipe solide.")
    ReviewScore.objects.create(review=done, criterion=criterion, score=4, comment="Distributeurs identifiés")
    done.submitted_at = timezone.now()
    done.save(update_fields=["submitted_at"])

    # --- 1. The reviewer: from their list to the scoring page, then the business plan --------------
    list_path = reverse("cohorts:review_list")
    log_in(browser, live_server, jury.email, PASSWORD, list_path)
    click_and_load(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Café Touba Casamance"))
    assert browser.current_url.endswith(reverse("cohorts:review_score", kwargs={"pk": review.pk}))
    link = browser.find_element(By.LINK_TEXT, "plan-affaires-aminata.pdf")
    document_url = reverse("cohorts:application_document_download", kwargs={"pk": assigned.pk, "document_pk": plan.pk})
    assert link.get_attribute("href").endswith(f"{document_url}?view=1")

    seen = _fetch(browser, f"{document_url}?view=1")
    assert (seen["status"], seen["type"]) == (200, "application/pdf"), seen
    assert seen["disposition"].startswith("inline"), seen
    assert "sandbox" in seen["csp"], seen
    main = browser.current_window_handle
    assert _open_in_new_tab(browser, link) == "application/pdf"
    time.sleep(2)  # only for the screenshot: the viewer draws the page after the load
    browser.save_screenshot(SCREENSHOTS.format("1_reviewer_pdf"))
    _close_tab(browser, main)
    openings = DocumentAccess.objects.filter(document=plan, user=jury)
    assert openings.exists() and openings.filter(inline=True).count() == openings.count()

    # Not assigned to this reviewer: refused, and nothing recorded.
    other_url = reverse("cohorts:application_document_download", kwargs={"pk": not_assigned.pk, "document_pk": other_plan.pk})
    assert _fetch(browser, f"{other_url}?view=1")["status"] == 404
    # Nor through the assigned application's address.
    through = reverse("cohorts:application_document_download", kwargs={"pk": assigned.pk, "document_pk": other_plan.pk})
    assert _fetch(browser, through)["status"] == 404
    assert not DocumentAccess.objects.filter(document=other_plan).exists()
    # The staff page is not the reviewer's.
    assert _fetch(browser, reverse("cohorts:application_staff_detail", args=[assigned.pk]))["status"] == 404

    # --- 2. Staff: from the staff list to the application's page ------------------------------------
    log_in(browser, live_server, staff.email, PASSWORD, reverse("cohorts:application_list"))
    page_path = reverse("cohorts:application_staff_detail", args=[assigned.pk])
    click_and_load(browser, css(browser, f"main a[href='{page_path}']"))
    assert browser.current_url.endswith(page_path)
    assert "Café Touba Casamance" in css(browser, "h1").text
    answers = css(browser, "#answers").text
    assert "Co-développement d'un produit ou service" in answers and "co_development" not in answers
    assert "Un torréfacteur belge" in answers
    assert "plan-affaires-aminata.pdf" in css(browser, "#documents").text
    reviews = css(browser, "#reviews").text
    assert "1 avis (2 requis)" in reviews
    assert "Lien Peeters" in reviews and "Potentiel sur le marché belge" in reviews and "4 / 5" in reviews
    assert "Distributeurs identifiés" in reviews and "Marché porteur, équipe solide." in reviews
    assert "Ibrahima Diop" in reviews  # assigned, not submitted yet
    assert css(browser, "[data-test=reviews-missing]").is_displayed()
    browser.save_screenshot(SCREENSHOTS.format("2_staff_page"))

    main = browser.current_window_handle
    assert _open_in_new_tab(browser, css(browser, f"#documents [data-document='{plan.pk}'] a[data-open]")) == "application/pdf"
    _close_tab(browser, main)
    assert DocumentAccess.objects.filter(document=plan, user=staff, inline=True).exists()

    # --- 3. The same page on a phone: cards, no sideways scrolling -----------------------------------
    log_in(phone, live_server, staff.email, PASSWORD, page_path)
    assert "plan-affaires-aminata.pdf" in css(phone, "#documents").text
    phone_layout_is_sane(phone)
    phone.save_screenshot(SCREENSHOTS.format("3_staff_page_phone"))
