"""The Content-Security-Policy in a real browser ([6] item 5): the main journeys of each demo role, at 1366 px
and 390 px, raise no CSP violation (Chromium's console and the securitypolicyviolation events), and the
scripts moved out of the pages still work (adding a criterion, htmx's what-if preview, the admin export's
"select all"). Screenshots land in PEM_SHOTS_DIR when it is set."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from cohorts.models import Cohort

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pem-demo-2024"
SHOTS = os.environ.get("PEM_SHOTS_DIR", "")
WIDTHS = (1366, 390)
#: Recorded in every page before its own scripts run, whatever the page's CSP (DevTools injects it).
RECORDER = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber); });"
)


@pytest.fixture
def demo(live_server):
    call_command("load_demo", "--allow-production", stdout=io.StringIO())


@pytest.fixture
def csp_browser(browser):
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    browser.get_log("browser")  # start with an empty console
    try:
        yield browser
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
        browser.set_window_size(1280, 900)


def violations(driver) -> list[str]:
    console = [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]
    ]
    return console + (driver.execute_script("return window.__csp || []") or [])


def visit(driver, live_server, path: str, name: str) -> None:
    """Open `path` at each width; no CSP violation; a screenshot of each."""
    for width in WIDTHS:
        driver.set_window_size(width, 900)
        driver.get(f"{live_server.url}{path}")
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        assert driver.find_element(By.TAG_NAME, "main"), path
        found = violations(driver)
        assert not found, f"CSP violations on {path} at {width}px: {found}"
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(Path(SHOTS) / f"csp-{name}-{width}.png"))


def click(driver, element) -> None:
    # Bootstrap scrolls smoothly: jump instead, so that the element is in place when clicked.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def log_in(driver, live_server, email: str) -> None:
    driver.delete_all_cookies()
    driver.set_window_size(1366, 900)
    driver.get(f"{live_server.url}{reverse('accounts:login')}")
    driver.find_element(By.NAME, "username").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "nav.navbar .pem-account"))
    assert not violations(driver)


JOURNEYS = {
    None: ["home", "accounts:login", "accounts:signup", "accounts:password_reset"],
    "entrepreneur@demo.pem.example": ["home", "cohorts:my_applications", "accounts:password_change"],
    "coach@demo.pem.example": ["home"],
    "reviewer@demo.pem.example": ["home", "cohorts:review_list"],
    "comite@demo.pem.example": ["home", "reporting:dashboard", "reporting:indicators", "reporting:evaluation_index"],
    "evaluateur@demo.pem.example": ["home", "reporting:dashboard", "reporting:evaluation_index", "reporting:report_list"],
    "equipe@demo.pem.example": [
        "home",
        "cohorts:application_list",
        "cohorts:criteria_cohort_list",
        "cohorts:selection_analysis",
        "reporting:dashboard",
        "admin:index",
        "admin:cohorts_application_changelist",
    ],
}


@pytest.mark.parametrize("email", list(JOURNEYS), ids=lambda email: (email or "visitor").split("@")[0])
def test_the_main_pages_of_each_role_raise_no_csp_violation(csp_browser, live_server, demo, email):
    if email:
        log_in(csp_browser, live_server, email)
    for name in JOURNEYS[email]:
        visit(csp_browser, live_server, reverse(name), f"{(email or 'visitor').split('@')[0]}-{name.replace(':', '-')}")


def test_the_scripts_moved_out_of_the_pages_still_work(csp_browser, live_server, demo):
    driver = csp_browser
    log_in(driver, live_server, "equipe@demo.pem.example")
    cohort = Cohort.objects.order_by("pk").first()

    # Eligibility criteria: "add a criterion" (static/js/criteria-formset.js) and the htmx what-if preview.
    visit(driver, live_server, reverse("cohorts:criteria_edit", kwargs={"pk": cohort.pk}), "criteria")
    driver.set_window_size(1366, 900)
    cards = len(driver.find_elements(By.CSS_SELECTOR, "#criterion-forms > *"))
    click(driver, driver.find_element(By.ID, "criterion-add"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "#criterion-forms > *")) == cards + 1
    click(driver, driver.find_element(By.CSS_SELECTOR, "button[hx-post]"))
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "what-if").text.strip())
    assert driver.current_url.endswith(reverse("cohorts:criteria_edit", kwargs={"pk": cohort.pk}))  # swapped in place
    assert not violations(driver)

    # The admin export page: "Select all" (static/js/admin-export-select-all.js) clears and ticks every field.
    visit(driver, live_server, reverse("admin:cohorts_application_export"), "admin-export")
    driver.set_window_size(1366, 900)
    boxes = '.selectable-field-export-row input[type="checkbox"]'
    toggle = driver.find_element(By.CSS_SELECTOR, ".select-toggle")
    click(driver, toggle)
    assert not any(box.is_selected() for box in driver.find_elements(By.CSS_SELECTOR, boxes))
    click(driver, toggle)
    assert all(box.is_selected() for box in driver.find_elements(By.CSS_SELECTOR, boxes))
    assert not violations(driver)
