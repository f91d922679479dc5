"""A committee member's first login in a real browser: password, enrolment of an authenticator app
(the key read off the page, as a person would type it into the app), recovery codes, the dashboard;
next login with a recovery code. Screenshots land in PEM_SHOTS_DIR when it is set."""

import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from e2e.test_topbar import PASSWORD, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("mfa_enforced"),
]


def click(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def password_login(driver, live_server, user, next_path: str = "") -> None:
    driver.delete_all_cookies()
    driver.get(f"{live_server.url}{reverse('accounts:login')}{next_path}")
    driver.find_element(By.NAME, "username").send_keys(user.email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_committee_member_enrols_an_app_then_logs_in_with_a_recovery_code(browser, live_server, width):
    browser.set_window_size(width, 900)
    user = UserFactory(roles=[Role.COMMITTEE], preferred_language="fr")
    password_login(browser, live_server, user, "?next=" + reverse("reporting:dashboard"))
    WebDriverWait(browser, 30).until(lambda d: reverse("accounts:mfa_setup") in d.current_url)
    assert browser.find_element(By.CSS_SELECTOR, ".pem-qr svg").size["width"] <= width
    shot(browser, f"mfa-setup-{width}")
    click(browser, browser.find_element(By.TAG_NAME, "summary"))
    key = browser.find_element(By.CSS_SELECTOR, "code.user-select-all").text.replace(" ", "")
    code = f"{TOTP(base64.b32decode(key + '=' * (-len(key) % 8))).token():06d}"
    browser.find_element(By.NAME, "token").send_keys(code)
    click(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".pem-recovery-code"))
    codes = [element.text for element in browser.find_elements(By.CSS_SELECTOR, ".pem-recovery-code")]
    assert len(codes) == 10
    shot(browser, f"mfa-codes-{width}")
    click(browser, browser.find_element(By.LINK_TEXT, "J'ai noté mes codes, continuer"))
    WebDriverWait(browser, 30).until(lambda d: d.current_url.endswith(reverse("reporting:dashboard")))

    # Next day, phone left at home: the password, then a recovery code.
    password_login(browser, live_server, user)
    WebDriverWait(browser, 30).until(lambda d: reverse("accounts:mfa_verify") in d.current_url)
    shot(browser, f"mfa-verify-{width}")
    browser.get(f"{live_server.url}{reverse('reporting:dashboard')}")
    assert reverse("accounts:mfa_verify") in browser.current_url  # nothing before the code
    browser.find_element(By.NAME, "token").send_keys(codes[3])
    click(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-warning"))
    assert re.search(r"il vous en reste 9", browser.page_source)
    browser.get(f"{live_server.url}{reverse('reporting:dashboard')}")
    assert browser.current_url.endswith(reverse("reporting:dashboard"))
