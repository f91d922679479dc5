"""Impact and alumni in a real browser: staff open the persistence page (chart and figures) and the
comparison page (both groups and the caution); an alumna says she is available as a peer mentor, and
staff find her in the alumni directory among the mentors."""

import datetime

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import CohortFactory, ProgrammeFactory
from e2e.test_topbar import log_in, shot
from mobility.tests.factories import FollowUpCheckInFactory
from partners.models import Entrepreneur
from reporting.tests.factories_indicators import applicant, partnership_with_history, traveller

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

d = datetime.date


def check_ins(application, *, partner: bool) -> None:
    """Every check-in of a return on 24/05/2023 answered: the follow-up is complete."""
    for months, due in ((1, d(2023, 6, 24)), (3, d(2023, 8, 24)), (6, d(2023, 11, 24)), (12, d(2024, 5, 24))):
        FollowUpCheckInFactory(application=application, months_after=months, due_on=due, status="done",
                               completed_on=due, has_belgian_partner=partner, exports_to_europe=False, jobs_created=1)  # fmt: skip


def test_staff_read_persistence_and_the_comparison_and_find_a_peer_mentor_among_alumni(browser, live_server):
    programme = ProgrammeFactory(code="impact-e2e", name="Programme impact")
    cohort = CohortFactory(programme=programme, number=1, name="Cohorte impact")
    alumna = traveller(cohort)
    Entrepreneur.objects.filter(pk=alumna.entrepreneur_id).update(first_name="Aminata", last_name="Sarr")
    partnership_with_history(alumna, [("prospect", d(2023, 6, 1)), ("active", d(2023, 8, 1)), ("dormant", d(2024, 9, 1))])
    check_ins(alumna, partner=True)
    for _n in range(5):
        other = applicant(cohort, status=ApplicationStatus.REJECTED)
        other.follow_up_consent = True
        other.save(update_fields=["follow_up_consent"])
        FollowUpCheckInFactory(application=other, months_after=6, due_on=d(2023, 11, 24), status="done",
                               completed_on=d(2023, 12, 1), has_belgian_partner=False, exports_to_europe=False)  # fmt: skip
    staff = UserFactory(roles=[Role.STAFF])

    log_in(browser, live_server, staff)
    browser.get(f"{live_server.url}{reverse('reporting:persistence')}?programme={programme.pk}")
    assert browser.find_elements(By.CSS_SELECTOR, "[data-chart=persistence] svg")
    cells = browser.find_elements(By.CSS_SELECTOR, f"tr[data-cohort='{cohort.pk}'] [data-figure=alive_6m]")
    assert cells and cells[0].text.startswith("1")  # dormant today, active at +6 months
    shot(browser, "impact-persistence")

    browser.find_element(By.PARTIAL_LINK_TEXT, "Comparer les participant").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, "[data-group-size=comparison]"))
    assert browser.find_element(By.CSS_SELECTOR, "[data-group-size=participants]").text.endswith("1 personne")
    assert "5 personnes" in browser.find_element(By.CSS_SELECTOR, "[data-group-size=comparison]").text
    assert "pas une preuve" in browser.find_element(By.CSS_SELECTOR, "[data-caution]").text
    assert browser.find_elements(By.CSS_SELECTOR, "[data-too-few]")  # one participant: no share shown
    shot(browser, "impact-comparison")

    log_in(browser, live_server, alumna.entrepreneur.user)
    browser.find_element(By.CSS_SELECTOR, "nav.navbar .dropdown-toggle.pem-account").click()
    browser.find_element(By.LINK_TEXT, "Mentorat entre pairs").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.NAME, "peer_mentor_topics"))
    assert browser.find_elements(By.CSS_SELECTOR, "[data-alumnus=yes]")
    browser.find_element(By.NAME, "peer_mentor_available").click()
    browser.find_element(By.NAME, "peer_mentor_topics").send_keys("Visa et salons professionnels")
    browser.find_element(By.CSS_SELECTOR, "main form [type=submit]").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".alert-success"))

    log_in(browser, live_server, staff)
    browser.get(f"{live_server.url}{reverse('mobility:alumni_list')}?mentors_only=on")
    row = browser.find_element(By.CSS_SELECTOR, "[data-table=alumni] tbody tr")
    assert "Aminata Sarr" in row.text and "Visa et salons professionnels" in row.text
    assert row.find_element(By.CSS_SELECTOR, "[data-mentor=yes]")
    assert row.find_element(By.PARTIAL_LINK_TEXT, "Écrire").get_attribute("href").startswith("mailto:")
    shot(browser, "impact-alumni")
