"""A trip's agenda in a real browser: staff open a trip, add a B2B meeting (and see an overlapping one
refused with what they typed kept), record its outcome, add a cost in CFA francs, download the .ics;
the entrepreneur then sees the agenda, Brussels time with Dakar time beside it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from e2e.test_topbar import log_in, shot
from mobility.models import B2BMeeting, TripCost
from mobility.tests.factories import TripFactory
from partners.tests.factories import BelgianCompanyFactory, EntrepreneurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def set_value(driver, name: str, value: str) -> None:
    """Date and time inputs take their value in ISO form whatever the browser's locale shows."""
    element = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].value = arguments[1]", element, value)


def submit(driver, label: str) -> None:
    button = driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()


def fill_meeting(driver, company: str, start: str, end: str, place: str) -> None:
    Select(driver.find_element(By.NAME, "organisation")).select_by_visible_text(company)
    set_value(driver, "day", "2023-05-16")
    set_value(driver, "start", start)
    set_value(driver, "end", end)
    place_input = driver.find_element(By.NAME, "place")
    place_input.clear()
    place_input.send_keys(place)


def test_staff_build_the_agenda_and_the_entrepreneur_reads_it(browser, live_server):
    person = EntrepreneurFactory(
        user=UserFactory(roles=[Role.ENTREPRENEUR], first_name="Awa"), first_name="Awa", last_name="Diop"
    )
    trip = TripFactory(
        application__entrepreneur=person, departs_on=datetime.date(2023, 5, 14), returns_on=datetime.date(2023, 5, 20)
    )
    BelgianCompanyFactory(name="Chocolaterie Léonidas, Gand", city="Gand")
    BelgianCompanyFactory(name="Brasserie du Bocq", city="Purnode")
    staff = UserFactory(roles=[Role.STAFF])

    log_in(browser, live_server, staff)
    browser.get(f"{live_server.url}{reverse('mobility:trip_detail', args=[trip.pk])}")
    browser.find_element(By.LINK_TEXT, "Ajouter un rendez-vous").click()
    fill_meeting(browser, "Chocolaterie Léonidas, Gand (Gand)", "10:00", "11:00", "Rue Haute 3")
    submit(browser, "Enregistrer le rendez-vous")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success"))
    assert "10:00–11:00 heure de Bruxelles (08:00–09:00 à Dakar)" in browser.page_source

    # A second meeting over the first is refused; the form keeps what was typed.
    browser.find_element(By.LINK_TEXT, "Ajouter un rendez-vous").click()
    fill_meeting(browser, "Brasserie du Bocq (Purnode)", "10:30", "11:30", "Place de l'Église 1")
    submit(browser, "Enregistrer le rendez-vous")
    WebDriverWait(browser, 30).until(lambda d: "chevauche" in d.page_source)
    shot(browser, "trip-meeting-overlap")
    assert browser.find_element(By.NAME, "place").get_attribute("value") == "Place de l'Église 1"
    assert browser.find_element(By.NAME, "start").get_attribute("value") == "10:30"
    assert B2BMeeting.objects.filter(trip=trip).count() == 1

    # Its outcome.
    meeting = B2BMeeting.objects.get(trip=trip)
    browser.get(f"{live_server.url}{reverse('mobility:meeting_outcome', args=[meeting.pk])}")
    browser.find_element(By.CSS_SELECTOR, "input[name=interest_level][value=high]").click()
    Select(browser.find_element(By.NAME, "outcome")).select_by_value("follow_up")
    browser.find_element(By.NAME, "next_step").send_keys("Envoyer une offre de prix")
    Select(browser.find_element(By.NAME, "next_step_owner")).select_by_value("entrepreneur")
    submit(browser, "Enregistrer le résultat")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success"))
    assert "Envoyer une offre de prix" in browser.page_source

    # A cost paid in CFA francs.
    details = browser.find_element(By.XPATH, "//summary[normalize-space()='Ajouter un coût']/..")
    if not details.get_attribute("open"):  # open while the trip has no cost yet
        details.find_element(By.TAG_NAME, "summary").click()
    Select(browser.find_element(By.NAME, "category")).select_by_value("per_diem")
    browser.find_element(By.NAME, "amount").send_keys("405000")
    Select(browser.find_element(By.NAME, "currency")).select_by_value("XOF")
    submit(browser, "Ajouter le coût")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success"))
    assert TripCost.objects.get(trip=trip).amount_eur == Decimal("617.42")
    assert "FCFA" in browser.page_source and "617" in browser.page_source
    shot(browser, "trip-page-staff")

    # The .ics, fetched with the browser's session as the download link would.
    ics = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];fetch(arguments[0]).then(r => r.text()).then(done);",
        reverse("mobility:trip_ics", args=[trip.pk]),
    )
    assert "DTSTART;TZID=Europe/Brussels:20230516T100000" in ics
    assert f"UID:b2b-meeting-{meeting.pk}@" in ics
    assert r"Chocolaterie Léonidas\, Gand" in ics.replace("\r\n ", "")

    # The entrepreneur reads their agenda.
    log_in(browser, live_server, person.user)
    browser.get(f"{live_server.url}{reverse('mobility:my_trip')}")
    page = browser.page_source
    assert "Chocolaterie Léonidas, Gand" in page
    assert "08:00–09:00 à Dakar" in page
    assert "Brasserie du Bocq" not in page
    assert not browser.find_elements(By.LINK_TEXT, "Ajouter un rendez-vous")
    browser.find_element(By.LINK_TEXT, "Semaine").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".pem-week-meeting"))
    shot(browser, "trip-entrepreneur-week")
