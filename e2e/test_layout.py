"""Layout in a real browser: the staff application list on a phone (cards, no sideways scroll), and the
shares table of the selection board inside its card on a laptop. Screenshots land in PEM_SHOTS_DIR."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import CohortFactory
from cohorts.tests.factories_review import application_reviewed
from partners.tests.factories import CompanyFactory, EntrepreneurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-for-tests-1"  # UserFactory's password
SHOTS = os.environ.get("PEM_SHOTS_DIR", "")


def log_in(driver, live_server, user) -> None:
    driver.delete_all_cookies()
    driver.get(f"{live_server.url}{reverse('accounts:login')}")
    driver.find_element(By.NAME, "username").send_keys(user.email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "nav.navbar .pem-account"))


def shot(driver, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    for index in range(4):
        entrepreneur = EntrepreneurFactory(
            first_name="Marie-Christine",
            last_name=f"Ndiaye-Diallo-Sarr {index}",
            email=f"marie.christine.{index}@exemple-tres-long.sn",
        )
        company = CompanyFactory(name=f"Transformation Agroalimentaire du Sine-Saloum {index}")
        application_reviewed(ApplicationStatus.UNDER_REVIEW, cohort=cohort, entrepreneur=entrepreneur, company=company)
    return cohort


def test_the_staff_application_list_has_no_sideways_scroll_on_a_phone(browser, live_server, cohort):
    log_in(browser, live_server, UserFactory(roles=[Role.STAFF], preferred_language="fr"))
    browser.set_window_size(390, 844)
    try:
        browser.get(f"{live_server.url}{reverse('cohorts:application_list')}")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        inner = browser.execute_script("return window.innerWidth")
        table_width = browser.execute_script("return document.querySelector('table.table-stack').scrollWidth")
        shot(browser, "application-list-390")
        assert width <= inner, f"the page is {width}px wide in a {inner}px window"
        assert table_width <= inner
        label = browser.execute_script(
            "return getComputedStyle(document.querySelector('table.table-stack td[data-label]'), '::before').content"
        )
        assert "Candidat" in label
    finally:
        browser.set_window_size(1280, 900)


@pytest.mark.parametrize(("width", "language"), [(1366, "fr"), (1366, "en"), (1920, "fr")])
def test_the_shares_table_stays_inside_its_card(browser, live_server, cohort, width, language):
    log_in(browser, live_server, UserFactory(roles=[Role.STAFF], preferred_language=language))
    browser.set_window_size(width, 900)
    try:
        browser.get(f"{live_server.url}{reverse('cohorts:selection_board', args=[cohort.pk])}")
        table, card, scrolls = browser.execute_script(
            "const t = document.querySelector('#selection-shares table'), w = t.parentElement;"
            "return [t.getBoundingClientRect().right, t.closest('.card-body').getBoundingClientRect().right,"
            " w.scrollWidth > w.clientWidth];"
        )
        shot(browser, f"selection-board-{language}-{width}")
        assert table <= card + 0.5, f"the shares table ends at {table}px, its card's content at {card}px"
        assert not scrolls, "the shares table needs a scroll bar inside its card"
        browser.set_window_size(width, 1400)
        shot(browser, f"selection-decision-form-{language}-{width}")
    finally:
        browser.set_window_size(1280, 900)
