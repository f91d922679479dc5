"""A Belgian company's invitation, in a real browser: staff invite it from the entrepreneur's mobility
plan with two slots; the company opens the link of the e-mail (no account), reads the page in its
language, accepts a slot; the meeting is on the trip's agenda and staff see the invitation accepted."""

import re

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import OutgoingEmail, Role
from accounts.tests.factories import UserFactory
from e2e.test_topbar import log_in, shot
from mobility.models import B2BMeeting, Invitation, InvitationStatus
from mobility.tests.invitations_setup import setting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _click(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def _set(driver, name: str, value: str) -> None:
    """datetime-local inputs are typed differently per locale: set the value as a browser submits it."""
    field = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].value = arguments[1]", field, value)


def test_staff_invite_the_company_accepts_a_slot_by_its_link_and_the_meeting_exists(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    staff = UserFactory(roles=[Role.STAFF], preferred_language="fr")
    s = setting(language="nl", company_name="Antwerpse Cacao NV")
    s.staff = staff

    log_in(browser, live_server, staff)
    browser.get(f"{live_server.url}{reverse('mobility:plan_staff', args=[s.plan.application_id])}")
    assert "Antwerpse Cacao NV" in browser.page_source
    _click(browser, browser.find_element(By.LINK_TEXT, "Inviter"))
    Select(browser.find_element(By.NAME, "contact")).select_by_index(1)
    _set(browser, "slot_1_starts", "2030-03-11T10:00")
    _set(browser, "slot_2_starts", "2030-03-12T14:30")
    browser.find_element(By.NAME, "message").send_keys("Au plaisir de vous rencontrer.")
    shot(browser, "invitation-new-1280")
    _click(browser, browser.find_element(By.XPATH, '//button[normalize-space()="Envoyer l\'invitation"]'))
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success"))
    invitation = Invitation.objects.get()
    assert invitation.status == InvitationStatus.SENT and invitation.language == "nl"

    email = OutgoingEmail.objects.get(kind="partner_link/invitation")
    link = re.search(r"https?://\S+/invitation/\S+/", email.body).group(0)
    assert email.language == "nl" and link.startswith(live_server.url)
    browser.delete_all_cookies()
    browser.get(link)
    assert "Uw antwoord" in browser.page_source and "Brusselse tijd" in browser.page_source
    shot(browser, "invitation-company-nl-1280")
    _click(browser, browser.find_elements(By.CSS_SELECTOR, "input[name=slot]")[1])
    _click(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Dit tijdstip bevestigen']"))
    WebDriverWait(browser, 30).until(lambda d: "Bedankt voor uw antwoord" in d.page_source)
    meeting = B2BMeeting.objects.get()
    assert meeting.invitation_id == invitation.pk and meeting.trip == s.trip
    assert meeting.starts_at == invitation.slots.order_by("starts_at").last().starts_at
    browser.get(link)
    assert "Brugse" not in browser.page_source and "Antwerpse Cacao" not in browser.page_source

    log_in(browser, live_server, staff)
    browser.get(f"{live_server.url}{reverse('mobility:plan_staff', args=[s.plan.application_id])}")
    assert "Acceptée" in browser.page_source and "12 mars 2030" in browser.page_source
    browser.get(f"{live_server.url}{reverse('mobility:invitation_list')}")
    assert "Antwerpse Cacao NV" in browser.page_source and "Acceptée" in browser.page_source
    shot(browser, "invitation-staff-list-1280")
