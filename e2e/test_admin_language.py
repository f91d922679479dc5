"""A staff member logs in through the site's login page, opens a cohort in the admin and switches the
admin to English with the FR / EN switcher."""

import pytest
from django.urls import reverse
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import CohortFactory

# transaction=True: the live server thread must see the rows. serialized_rollback=True: the flush after
# the test would otherwise wipe the role groups created by migrations for the tests that follow.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-for-tests-1"  # UserFactory's password


def html_lang(browser) -> str:
    return browser.find_element(By.TAG_NAME, "html").get_attribute("lang")


def test_staff_logs_in_opens_a_cohort_and_switches_the_admin_to_english(browser, live_server):
    staff = UserFactory(roles=[Role.STAFF], email="equipe@example.org")
    cohort = CohortFactory(name="Cohorte Dakar 2023", programme__name="PEM-WECCO")
    # Reading the page while it is being replaced raises: retry until the new page is there.
    wait = WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException))

    # The site's login page, in French by default.
    browser.get(live_server.url + reverse("accounts:login"))
    assert html_lang(browser) == "fr"
    assert "Connexion" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.NAME, "username").send_keys(staff.email)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()

    # The staff home lists the programme and its cohort.
    wait.until(EC.presence_of_element_located((By.ID, "programmes")))
    assert "Cohorte Dakar 2023" in browser.find_element(By.ID, "programmes").text

    # The admin's cohort list, then the cohort's change page through the list's link.
    browser.get(live_server.url + reverse("admin:cohorts_cohort_changelist"))
    assert html_lang(browser) == "fr"
    browser.find_element(By.LINK_TEXT, "Cohorte Dakar 2023").click()
    change_url = reverse("admin:cohorts_cohort_change", args=[cohort.pk])
    wait.until(EC.url_contains(change_url))
    assert browser.find_element(By.NAME, "_save").get_attribute("value") == "Enregistrer"
    assert "Cohortes" in browser.find_element(By.CSS_SELECTOR, ".breadcrumbs").text

    # Switch to English with the admin's switcher: back on the same page, now in English.
    switcher = browser.find_element(By.ID, "language-form")
    current = switcher.find_element(By.CSS_SELECTOR, "button[aria-current=true]")
    assert current.get_attribute("value") == "fr"
    switcher.find_element(By.CSS_SELECTOR, "button[value=en]").click()
    wait.until(lambda driver: html_lang(driver) == "en")

    assert change_url in browser.current_url
    assert browser.find_element(By.NAME, "_save").get_attribute("value") == "Save"
    assert browser.find_element(By.CSS_SELECTOR, "#logout-form button").text.lower() == "log out"  # CSS upper-cases it
    assert "Cohorts" in browser.find_element(By.CSS_SELECTOR, ".breadcrumbs").text
    assert browser.find_element(By.CSS_SELECTOR, "#language-form button[aria-current=true]").get_attribute("value") == "en"

    # The choice sticks on the site's own pages too.
    browser.get(live_server.url + reverse("home"))
    assert html_lang(browser) == "en"
    assert "Programmes and cohorts" in browser.find_element(By.ID, "programmes").text
