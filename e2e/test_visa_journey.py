"""The visa pipeline in a real browser: staff open the cohort's visa board, open a file, record it
submitted then granted (the step form shows only the fields of the chosen step); the entrepreneur logs
in and sees their visa granted, with its timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory
from e2e.test_topbar import log_in, shot
from mobility.models import VisaFile, VisaStatus
from mobility.services_visa import visa_file_open
from partners.tests.factories import EntrepreneurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def record_step(browser, status: str, on: datetime.date | None = None) -> None:
    form = browser.find_element(By.CSS_SELECTOR, "form.pem-visa-step")
    Select(form.find_element(By.NAME, "to_status")).select_by_value(status)
    if on is not None:
        browser.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "on"), on.isoformat())
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success"))


def test_staff_record_a_visa_submitted_then_granted_and_the_entrepreneur_sees_it(browser, live_server):
    browser.set_window_size(1366, 900)
    staff = UserFactory(roles=[Role.STAFF])
    user = UserFactory(roles=[Role.ENTREPRENEUR], first_name="Aminata")
    application = ApplicationFactory(
        entrepreneur=EntrepreneurFactory(user=user, first_name="Aminata", last_name="Ndiaye"), submitted=True
    )
    application.status = ApplicationStatus.SELECTED
    application.save(update_fields=["status"])
    visa_file, _created = visa_file_open(application=application, by=staff)
    today = timezone.localdate()
    visa_file.status_changes.update(changed_on=today - datetime.timedelta(days=30))  # opened a month ago

    log_in(browser, live_server, staff)
    browser.get(f"{live_server.url}{reverse('mobility:visa_board')}?cohort={application.cohort_id}")
    assert "Aminata Ndiaye" in browser.page_source
    shot(browser, "visa-board-1366")
    browser.find_element(By.LINK_TEXT, "Aminata Ndiaye").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form.pem-visa-step"))
    # Submitted: the refusal fields are hidden, the appointment field is shown.
    Select(browser.find_element(By.NAME, "to_status")).select_by_value(VisaStatus.SUBMITTED)
    assert not browser.find_element(By.ID, "div_id_refusal_reason").is_displayed()
    assert browser.find_element(By.ID, "div_id_appointment_on").is_displayed()
    record_step(browser, VisaStatus.SUBMITTED, today - datetime.timedelta(days=12))
    record_step(browser, VisaStatus.GRANTED)
    shot(browser, "visa-file-granted-1366")

    visa_file = VisaFile.objects.get(pk=visa_file.pk)
    assert visa_file.status == VisaStatus.GRANTED
    assert (visa_file.submitted_on, visa_file.decision_on) == (today - datetime.timedelta(days=12), today)
    assert list(visa_file.status_changes.values_list("to_status", flat=True)) == ["preparing", "submitted", "granted"]

    log_in(browser, live_server, user)
    browser.get(f"{live_server.url}{reverse('mobility:my_visa')}")
    status = browser.find_element(By.CSS_SELECTOR, ".pem-visa-status")
    assert status.text == "Accordé"
    assert "Déposé" in browser.page_source
    shot(browser, "visa-mine-granted-1366")
    browser.set_window_size(390, 844)
    browser.refresh()
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
