"""The Belgian side of a mobility, end to end in a real browser: a Belgian company opens its personal
invitation link (no account) and accepts a proposed slot; the meeting appears on the trip's agenda that
staff see; staff record the visa submitted then granted on the visa file; the entrepreneur logs in and
sees both, the meeting on their trip and the visa granted."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import OutgoingEmail, Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory
from e2e.test_topbar import log_in, shot
from e2e.test_visa_journey import record_step
from mobility.models import B2BMeeting, InvitationStatus, VisaStatus
from mobility.services_visa import visa_file_open
from mobility.tests.invitations_setup import sent_invitation, setting
from partners.tests.factories import EntrepreneurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _click(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def test_a_company_accepts_a_slot_staff_grant_the_visa_and_the_entrepreneur_sees_both(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    browser.set_window_size(1366, 900)
    staff = UserFactory(roles=[Role.STAFF], preferred_language="fr")
    user = UserFactory(roles=[Role.ENTREPRENEUR], first_name="Aminata", preferred_language="fr")
    application = ApplicationFactory(
        entrepreneur=EntrepreneurFactory(user=user, first_name="Aminata", last_name="Ndiaye"), submitted=True
    )
    application.status = ApplicationStatus.SELECTED
    application.save(update_fields=["status"])
    s = setting(language="fr", company_name="Brasserie Liégeoise SA", application=application)
    s.staff = staff
    invitation = sent_invitation(s)
    visa_file, _created = visa_file_open(application=application, by=staff)
    today = timezone.localdate()
    visa_file.status_changes.update(changed_on=today - datetime.timedelta(days=30))  # opened a month ago

    # 1. The company, without an account, opens the link of its e-mail and accepts the first slot.
    email = OutgoingEmail.objects.get(kind="partner_link/invitation")
    link = re.search(r"https?://\S+/invitation/\S+/", email.body).group(0)
    browser.get(link)
    assert "Brasserie Liégeoise SA" in browser.page_source and "heure de Bruxelles" in browser.page_source
    _click(browser, browser.find_elements(By.CSS_SELECTOR, "input[name=slot]")[0])
    _click(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Confirmer ce créneau']"))
    WebDriverWait(browser, 30).until(lambda d: "Merci pour votre réponse" in d.page_source)
    invitation.refresh_from_db()
    meeting = B2BMeeting.objects.get(invitation=invitation)
    assert invitation.status == InvitationStatus.ACCEPTED and meeting.trip == s.trip

    # 2. Staff see the meeting on the trip's agenda, then record the visa submitted and granted.
    log_in(browser, live_server, staff)
    browser.get(f"{live_server.url}{reverse('mobility:trip_detail', args=[s.trip.pk])}")
    assert "Brasserie Liégeoise SA" in browser.page_source and "11 mars 2030" in browser.page_source
    shot(browser, "belgian-side-trip-agenda-1366")
    browser.get(f"{live_server.url}{reverse('mobility:visa_file', args=[visa_file.pk])}")
    record_step(browser, VisaStatus.SUBMITTED, today - datetime.timedelta(days=10))
    record_step(browser, VisaStatus.GRANTED)
    visa_file.refresh_from_db()
    assert visa_file.status == VisaStatus.GRANTED

    # 3. The entrepreneur sees the meeting on their trip and the visa granted, on a phone.
    browser.set_window_size(390, 844)
    log_in(browser, live_server, user)
    browser.get(f"{live_server.url}{reverse('mobility:my_trip')}")
    assert "Brasserie Liégeoise SA" in browser.page_source and "heure de Bruxelles" in browser.page_source
    shot(browser, "belgian-side-my-trip-390")
    browser.get(f"{live_server.url}{reverse('mobility:my_visa')}")
    assert browser.find_element(By.CSS_SELECTOR, ".pem-visa-status").text == "Accordé"
    shot(browser, "belgian-side-my-visa-390")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
