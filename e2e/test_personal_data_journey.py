"""Personal data in a real browser: an entrepreneur prepares the export of all their data from the
account menu and downloads the zip; a staff member finds a person and anonymises them. At 1366 and
390 px. Screenshots land in PEM_SHOTS_DIR when it is set."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationDocumentFactory, ApplicationFactory
from e2e.test_topbar import log_in, shot
from mobility.models import Anonymisation
from partners.tests.factories import EntrepreneurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def click(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


@pytest.mark.parametrize("width", [1366, 390])
def test_an_entrepreneur_downloads_their_data(browser, live_server, width):
    browser.set_window_size(width, 900)
    user = UserFactory(roles=[Role.ENTREPRENEUR], first_name="Aminata")
    entrepreneur = EntrepreneurFactory(user=user, email=user.email)
    ApplicationDocumentFactory(application=ApplicationFactory(entrepreneur=entrepreneur, submitted=True))
    log_in(browser, live_server, user)
    if width < 992:
        click(browser, browser.find_element(By.CSS_SELECTOR, ".navbar-toggler"))
        # The menu unfolds with an animation: the account button can be clicked once it has finished.
        WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".navbar-collapse.collapse.show"))
    click(browser, browser.find_element(By.CSS_SELECTOR, ".dropdown-toggle.pem-account"))
    click(
        browser,
        WebDriverWait(browser, 10).until(lambda d: [e for e in d.find_elements(By.LINK_TEXT, "Mes données") if e.is_displayed()])[
            0
        ],
    )
    click(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Préparer mon export']"))
    link = WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.PARTIAL_LINK_TEXT, "Télécharger le zip"))[0]
    shot(browser, f"my-data-{width}")
    size = browser.execute_async_script(
        "const done = arguments[1]; fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(b.byteLength));",
        link.get_attribute("href"),
    )
    assert size > 200
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_anonymise_a_person(browser, live_server, width):
    browser.set_window_size(width, 900)
    staff = UserFactory(roles=[Role.STAFF])
    person = EntrepreneurFactory(first_name="Ousmane", last_name="Diallo-Test")
    log_in(browser, live_server, staff)
    browser.get(f"{live_server.url}{reverse('mobility:personal_data_staff')}")
    browser.find_element(By.NAME, "q").send_keys("Diallo")
    click(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Chercher']"))
    click(browser, WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.PARTIAL_LINK_TEXT, "Anonymiser"))[0])
    click(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Anonymiser définitivement']"))
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".invalid-feedback"))  # reason and box required
    browser.find_element(By.NAME, "reason").send_keys("Demande d'effacement")
    click(browser, browser.find_element(By.CSS_SELECTOR, "label[for=id_confirm]"))
    shot(browser, f"anonymise-{width}")
    click(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Anonymiser définitivement']"))
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success"))
    shot(browser, f"personal-data-staff-{width}")
    assert Anonymisation.objects.filter(entrepreneur=person).exists()
    assert "Diallo-Test" not in browser.page_source
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
