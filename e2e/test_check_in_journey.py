"""The follow-up journey in a real browser: the entrepreneur answers a check-in saying "we signed" (on a
date within six months of the return), staff accept the proposed stage change on the follow-up page, the
partnership is at "agreement signed" from that date, attributed to the staff member, and the cohort's
persistence at +6 months, computed from the history as it stood then, moves from 0 to 1."""

import datetime

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory
from e2e.test_topbar import log_in, shot
from mobility.models import FollowUpCheckIn, Partnership, PartnershipStage
from mobility.services import partnership_create
from mobility.services_follow_up import check_ins_schedule
from mobility.tests.factories import TripFactory
from partners.tests.factories import BelgianCompanyFactory, EntrepreneurFactory, OrganisationContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def click(driver, element):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def test_the_entrepreneur_says_we_signed_and_staff_accept_the_stage_change(browser, live_server):
    user = UserFactory(roles=[Role.ENTREPRENEUR], first_name="Aminata")
    application = ApplicationFactory(
        entrepreneur=EntrepreneurFactory(user=user, first_name="Aminata", last_name="Ndiaye"),
        submitted=True,
        status=ApplicationStatus.SELECTED,
    )
    trip = TripFactory(application=application, status="completed", departs_on=datetime.date(2023, 5, 14))
    company = BelgianCompanyFactory(name="Brasserie Zinneke")
    OrganisationContactFactory(organisation=company, language="nl")
    partnership = partnership_create(
        application=application, organisation=company, type="export", started_on=datetime.date(2023, 5, 17)
    )
    check_ins_schedule(trip=trip)
    check_in = FollowUpCheckIn.objects.get(application=application, months_after=1)

    log_in(browser, live_server, user)
    browser.get(f"{live_server.url}{reverse('mobility:check_in_answer', kwargs={'pk': check_in.pk})}")
    prefix = f"p{partnership.pk}_"
    click(browser, browser.find_element(By.CSS_SELECTOR, f"input[name={prefix}still_going][value=yes]"))
    Select(browser.find_element(By.NAME, prefix + "stage")).select_by_value("discussion")
    click(browser, browser.find_element(By.NAME, prefix + "signed"))
    browser.execute_script(f"document.querySelector('input[name={prefix}signed_on]').value = '2023-06-10'")
    browser.find_element(By.NAME, prefix + "transactions_value").send_keys("1500")
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=has_belgian_partner][value=yes]"))
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=exports_to_europe][value=no]"))
    shot(browser, "check-in-questionnaire")
    click(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Envoyer mes réponses']"))
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success"))

    staff = UserFactory(roles=[Role.STAFF], first_name="Fatou")
    log_in(browser, live_server, staff)
    persistence_url = f"{live_server.url}{reverse('reporting:persistence')}?programme={application.cohort.programme_id}"

    def alive_at_6_months() -> str:
        browser.get(persistence_url)
        cells = browser.find_elements(By.CSS_SELECTOR, f"tr[data-cohort='{application.cohort_id}'] [data-figure=alive_6m]")
        return cells[0].text if cells else ""

    assert alive_at_6_months().startswith("0")
    browser.get(f"{live_server.url}{reverse('mobility:follow_up_staff')}")
    assert "Brasserie Zinneke" in browser.page_source
    shot(browser, "check-in-staff-proposals")
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[name=decision][value=accept]"))
    WebDriverWait(browser, 30).until(lambda d: "Aucune proposition en attente" in d.page_source)

    partnership = Partnership.objects.get(pk=partnership.pk)
    assert partnership.stage == PartnershipStage.AGREEMENT
    change = partnership.stage_changes.order_by("pk").last()
    assert (change.to_stage, change.by_id, change.changed_on) == ("agreement", staff.pk, datetime.date(2023, 6, 10))
    assert alive_at_6_months().startswith("1")
    shot(browser, "check-in-persistence-moved")
    assert not [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
