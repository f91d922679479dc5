"""The top bar in a real browser: one line at 1366 px and 1920 px for every role and for a visitor (in
French and English), folded behind ☰ on a phone. Screenshots land in PEM_SHOTS_DIR when it is set."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-for-tests-1"  # UserFactory's password
#: A single line of Bootstrap's navbar is about 56 px; two lines are over 90 px.
ONE_LINE = 70
SHOTS = os.environ.get("PEM_SHOTS_DIR", "")


def log_in(driver, live_server, user) -> None:
    driver.delete_all_cookies()
    driver.get(f"{live_server.url}{reverse('accounts:login')}")
    driver.find_element(By.NAME, "username").send_keys(user.email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 30).until(  # logged in: the account menu is there
        lambda d: d.find_elements(By.CSS_SELECTOR, "nav.navbar .dropdown-toggle.pem-account")
    )


def bar_height(driver) -> float:
    return driver.execute_script("return document.querySelector('nav.navbar').getBoundingClientRect().height")


def shot(driver, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("role", [Role.STAFF, Role.COACH, Role.ENTREPRENEUR, Role.COMMITTEE, Role.EVALUATOR, Role.REVIEWER, None])
def test_the_top_bar_is_one_line_at_1366_and_1920_px(browser, live_server, role, language):
    if role is None:
        browser.delete_all_cookies()
        browser.get(f"{live_server.url}/")
        browser.add_cookie({"name": "django_language", "value": language})
    else:
        user = UserFactory(roles=[role], is_staff=role == Role.STAFF, preferred_language=language, first_name="Aminata")
        log_in(browser, live_server, user)
    name = role or "visitor"
    for width in (1366, 1920):
        browser.set_window_size(width, 900)
        browser.get(f"{live_server.url}/")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        height = bar_height(browser)
        shot(browser, f"topbar-{name}-{language}-{width}")
        assert height < ONE_LINE, f"{name} ({language}) at {width}px: top bar {height}px tall"
        assert not browser.find_element(By.CSS_SELECTOR, "button.navbar-toggler").is_displayed()
        if role is None:
            assert browser.find_element(
                By.LINK_TEXT, "Créer un compte" if language == "fr" else "Create an account"
            ).is_displayed()
    browser.set_window_size(390, 844)
    browser.get(f"{live_server.url}/")
    shot(browser, f"topbar-{name}-{language}-390")
    assert browser.find_element(By.CSS_SELECTOR, "button.navbar-toggler").is_displayed()
    browser.set_window_size(1280, 900)
