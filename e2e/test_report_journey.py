"""The report journey of issue [3] in a real browser: a steering-committee member asks for the DAC report.

The member logs in, opens the committee dashboard, asks for the DAC evaluation report in French, lands
on the report's status page and waits for it to be done (Celery is eager in tests: the render runs right
after the request's commit, so the page may already say so; otherwise htmx polls until it does), then
clicks "Télécharger le PDF". The PDF is checked twice: the file the browser saved, and the download URL
fetched with the browser's session cookie (content type, attachment, `%PDF`, the criteria and grades
read back with pypdf).
"""

import io
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import CohortFactory, ProgrammeFactory, ProgrammeMembershipFactory
from reporting.models import JobStatus, ReportJob, ReportKind
from reporting.tests.factories import CriterionGradeFactory, EvaluationFactory

# transaction=True: the live server thread must see the rows (and the render runs after a real commit).
# serialized_rollback=True: the flush after the test would otherwise wipe the role groups of the migrations.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-for-tests-1"  # UserFactory's password
SCREENSHOT = "/tmp/report_status.png"
#: The evaluator's grades, and the French names the report gives the criteria.
GRADES = {
    "relevance": ("Pertinence", "A"),
    "coherence": ("Cohérence", "B"),
    "effectiveness": ("Efficacité", "B"),
    "efficiency": ("Efficience", "B"),
    "sustainability": ("Durabilité", "C"),
    "impact": ("Impact", "B"),
}


# --- Browser helpers (as in test_selection_journey) -------------------------------------------------


def waiter(driver, timeout: int = 30) -> WebDriverWait:
    # Reading a page while it is being replaced (or while htmx swaps a block) raises: retry.
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException))


def css(driver, selector: str):
    return driver.find_element(By.CSS_SELECTOR, selector)


def click_and_load(driver, element) -> None:
    """Click something that loads a new page and wait until the new page is fully there (the old page is
    marked on its `window`; the scroll is instant so that the button does not move while clicked)."""
    driver.execute_script(
        "window.__pemOldPage = true; arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()
    WebDriverWait(driver, 60, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return !window.__pemOldPage && document.readyState === 'complete'")
    )


def fill(driver, name: str, value: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def page_errors(driver) -> str:
    selectors = "main .invalid-feedback, main .alert-danger, main .alert-warning, main .errorlist"
    return " | ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, selectors) if e.text)


def log_in(driver, live_server, email: str, password: str, next_path: str) -> None:
    driver.delete_all_cookies()
    driver.get(f"{live_server.url}{reverse('accounts:login')}?next={next_path}")
    fill(driver, "username", email)
    fill(driver, "password", password)
    click_and_load(driver, css(driver, "main form button[type=submit]"))
    assert driver.current_url.endswith(next_path), f"login of {email} failed: {page_errors(driver)}"


def fetch(url: str, cookie: str | None = None):
    """GET `url` outside the browser, with the browser's session cookie if given: (status, headers, body)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the live server's http URL
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def downloads(browser, tmp_path):
    """Files the browser downloads land in a temporary folder for this test only."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    try:
        yield folder
    finally:
        browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "default"})


def downloaded_pdf(folder: Path) -> Path | None:
    """The finished download (Chromium writes `*.crdownload` first, then renames it)."""
    files = [p for p in folder.iterdir() if p.suffix == ".pdf"]
    return files[0] if len(files) == 1 and not any(folder.glob("*.crdownload")) else None


# --- The journey ------------------------------------------------------------------------------------


def test_committee_member_asks_for_the_dac_report_and_downloads_the_pdf(browser, live_server, downloads):
    programme = ProgrammeFactory(code="pem-test", name="PEM-WECCO (essai)")
    CohortFactory(programme=programme, name="Cohorte 1 – Dakar")
    other = ProgrammeFactory(code="pem-autre", name="Programme d'un autre comité")
    evaluation = EvaluationFactory(
        programme=programme,
        title="Évaluation finale PEM-WECCO",
        summary="Un programme utile aux PME, à consolider.",
        methodology="Entretiens, enquête en ligne, revue documentaire.",
    )
    for criterion, (_label, grade) in GRADES.items():
        CriterionGradeFactory(
            evaluation=evaluation, criterion=criterion, grade=grade, findings=f"Constats sur le critère {criterion}."
        )
    member = UserFactory(
        roles=[Role.COMMITTEE], email="comite@example.sn", first_name="Mame", last_name="Diouf", preferred_language="fr"
    )
    ProgrammeMembershipFactory(programme=programme, user=member, role="committee")

    # --- 1. The committee dashboard of the member's programme, and only of it ------------------------
    dashboard_path = reverse("reporting:dashboard")
    log_in(browser, live_server, member.email, PASSWORD, dashboard_path)
    assert "PEM-WECCO (essai)" in css(browser, "h1").text
    programme_choices = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#id-programme option")]
    assert programme_choices == ["PEM-WECCO (essai)"], programme_choices
    assert other.name not in css(browser, "main").text
    assert "Aucun rapport terminé" in css(browser, "section[aria-labelledby=reports-title]").text

    # --- 2. Ask for the DAC evaluation report, in French ---------------------------------------------
    request_path = reverse("reporting:report_request")
    ask = css(
        browser,
        f"#report-requests form[action='{request_path}']"
        f":has(input[name=kind][value={ReportKind.DAC_EVALUATION}]):has(input[name=language][value=fr]) button",
    )
    assert ask.get_attribute("aria-label") == "Demander : Rapport d'évaluation CAD (Français)"
    click_and_load(browser, ask)

    job = ReportJob.objects.get(programme=programme, kind=ReportKind.DAC_EVALUATION)
    status_path = reverse("reporting:report_status", kwargs={"pk": job.pk})
    assert browser.current_url.endswith(status_path), f"{browser.current_url}: {page_errors(browser)}"
    assert css(browser, "h1").text == "Rapport d'évaluation CAD"
    assert "Rapport demandé" in css(browser, "main .alert").text
    assert "Demandé le" in css(browser, "main").text and "Mame Diouf" in css(browser, "main").text

    # --- 3. The status page reaches "done" (already, or through the htmx polling) --------------------
    waiter(browser, 45).until(lambda d: css(d, "#report-status .badge").text in ("Terminé", "Échec"))
    status = css(browser, "#report-status")
    assert css(browser, "#report-status .badge").text == "Terminé", status.text
    assert "text-bg-success" in css(browser, "#report-status .badge").get_attribute("class")
    assert not status.get_attribute("hx-trigger"), "a finished report must stop polling"
    assert "Taille" in status.text and "Données arrêtées au" in status.text
    download = css(browser, "#report-status a.btn")
    download_path = reverse("reporting:report_download", kwargs={"pk": job.pk})
    assert download.text == "Télécharger le PDF"
    assert download.get_attribute("href").endswith(download_path)
    browser.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")
    browser.save_screenshot(SCREENSHOT)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.requested_by == member and job.language == "fr" and job.cohort is None

    # --- 4. Download: the browser saves the PDF ---------------------------------------------------------
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", download)
    download.click()
    saved = waiter(browser).until(lambda _d: downloaded_pdf(downloads))
    assert saved.name == f"pem-test-dac-fr-{job.pk}.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert browser.current_url.endswith(status_path)  # an attachment: the page stays where it is

    # The same URL, fetched with the browser's session cookie: a private PDF attachment.
    session = browser.get_cookie(settings.SESSION_COOKIE_NAME)
    assert session, browser.get_cookies()
    code, headers, body = fetch(live_server.url + download_path, cookie=f"{session['name']}={session['value']}")
    assert code == 200
    assert headers["Content-Type"] == "application/pdf"
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment") and f"pem-test-dac-fr-{job.pk}.pdf" in disposition
    assert "no-store" in headers["Cache-Control"]
    assert body.startswith(b"%PDF")
    assert body == saved.read_bytes()
    assert len(body) == job.size

    text = pdf_text(body)
    assert "Évaluation finale PEM-WECCO" in text or "PEM-WECCO (essai)" in text
    assert "Notes par critère CAD" in text
    for label, grade in GRADES.values():
        assert re.search(rf"^{label}\s+{grade}\b", text, re.MULTILINE), (label, grade, text[:3000])

    # Without the session, no PDF: the login page.
    code, headers, body = fetch(live_server.url + download_path)
    assert not body.startswith(b"%PDF")
    assert "application/pdf" not in headers.get("Content-Type", "")

    # --- 5. Back on the dashboard, the finished report is listed with its download link ---------------
    browser.get(live_server.url + dashboard_path)
    reports = css(browser, "#report-list")
    assert "Rapport d'évaluation CAD" in reports.text and "Français" in reports.text  # the language by name, not "FR"
    assert reports.find_element(By.CSS_SELECTOR, "a").get_attribute("href").endswith(download_path)
