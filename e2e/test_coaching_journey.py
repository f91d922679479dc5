"""The coach's minute, in a real browser 390 px wide: a coach logs a session with an action item from
their phone (clicks and keystrokes counted, time measured), the entrepreneur ticks the action done; and
the same form typed while the connection is down is kept and arrives once when it is back."""

import time

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching.models import ActionItem, CoachingSession
from coaching.tests.factories import CoachAssignmentFactory
from e2e.test_topbar import log_in, shot
from partners.tests.factories import EntrepreneurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Counter:
    def __init__(self, driver):
        self.driver, self.clicks, self.keys = driver, 0, 0

    def click(self, element):
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
        element.click()
        self.clicks += 1

    def type(self, element, text: str):
        self.click(element)
        element.send_keys(text)
        self.keys += len(text)


def assignment_with_entrepreneur():
    user = UserFactory(roles=[Role.ENTREPRENEUR], first_name="Aminata")
    return CoachAssignmentFactory(
        application__entrepreneur=EntrepreneurFactory(user=user, first_name="Aminata", last_name="Ndiaye")
    )


def test_a_coach_logs_a_session_with_an_action_in_under_a_minute_and_the_entrepreneur_ticks_it(browser, live_server):
    browser.set_window_size(390, 844)
    assignment = assignment_with_entrepreneur()
    log_in(browser, live_server, assignment.coach.user)
    browser.get(f"{live_server.url}{reverse('coaching:coach_home')}")
    counter = Counter(browser)
    started = time.monotonic()
    counter.click(browser.find_element(By.LINK_TEXT, "Noter une séance"))
    counter.click(browser.find_element(By.CSS_SELECTOR, "input[name=topic_tags][value=pitch]"))
    counter.type(browser.find_element(By.NAME, "summary"), "Pitch répété")
    counter.type(browser.find_element(By.NAME, "action_1_title"), "Envoyer le pitch")
    shot(browser, "coach-session-form-390")
    counter.click(browser.find_element(By.XPATH, "//button[normalize-space()='Enregistrer la séance']"))
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success"))
    elapsed = time.monotonic() - started
    shot(browser, "coach-entrepreneur-390")
    print(f"coach session: {counter.clicks} clicks, {counter.keys} keystrokes, {elapsed:.1f} s")
    assert counter.clicks <= 6 and counter.keys <= 40 and elapsed < 60
    session = CoachingSession.objects.get()
    assert session.duration_minutes == 60 and session.topic_tags == ["pitch"]
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390

    log_in(browser, live_server, assignment.application.entrepreneur.user)
    browser.get(f"{live_server.url}{reverse('coaching:my_coaching')}")
    assert "Pitch répété" in browser.page_source
    Counter(browser).click(browser.find_element(By.XPATH, "//button[normalize-space()='Marquer comme faite']"))
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.XPATH, "//button[normalize-space()='Rouvrir']"))
    shot(browser, "entrepreneur-coaching-390")
    assert ActionItem.objects.get().done_at is not None

    staff = UserFactory(roles=[Role.STAFF])
    log_in(browser, live_server, staff)
    browser.get(f"{live_server.url}{reverse('coaching:cohort_overview', args=[assignment.application.cohort_id])}")
    assert browser.find_element(By.CSS_SELECTOR, "[data-figure=hours]").text == "1"  # one hour: the session of 60 min
    assert browser.find_element(By.CSS_SELECTOR, "[data-figure=sessions]").text == "1"
    assert "Ndiaye" in browser.page_source
    shot(browser, "staff-coaching-overview-390")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390


def test_a_session_typed_without_connection_arrives_once_when_it_is_back(browser, live_server):
    browser.set_window_size(390, 844)
    assignment = assignment_with_entrepreneur()
    log_in(browser, live_server, assignment.coach.user)
    browser.get(f"{live_server.url}{reverse('coaching:session_log', args=[assignment.application_id])}")
    browser.find_element(By.NAME, "summary").send_keys("Séance au village, sans réseau")
    browser.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    button = browser.find_element(By.XPATH, "//button[normalize-space()='Enregistrer la séance']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "offline-notice").is_displayed())
    shot(browser, "coach-offline-390")
    assert not CoachingSession.objects.exists()
    assert browser.execute_script("return Object.keys(localStorage).filter(k => k.startsWith('pem-offline:')).length") == 1
    button.click()  # a second tap while offline: still one form kept
    browser.set_network_conditions(offline=False, latency=0, download_throughput=500_000, upload_throughput=500_000)
    browser.execute_script("window.dispatchEvent(new Event('online'))")
    WebDriverWait(browser, 40).until(lambda d: CoachingSession.objects.exists())
    WebDriverWait(browser, 40).until(
        lambda d: d.execute_script("return Object.keys(localStorage).filter(k => k.startsWith('pem-offline:')).length") == 0
    )
    time.sleep(1)
    assert CoachingSession.objects.count() == 1
    assert CoachingSession.objects.get().topics == "Séance au village, sans réseau"
