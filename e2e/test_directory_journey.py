"""The Belgian company directory in a real browser (issue [8] items 1 and 5): a programme officer
searches and filters the directory, opens a company and adds a contact, then imports a small file whose
one bad row (wrong check digits) the preview points out; the corrected file is imported by the worker."""

import datetime
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from core.jobs import JobStatus
from mobility.tests.factories import B2BMeetingFactory
from partners.models import CompanyImport, Organisation, OrganisationContact
from partners.tests.factories import BelgianCompanyFactory, RelayAgencyFactory

from .test_selection_journey import PASSWORD, alerts, click_and_load, css, fill, log_in, page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = "Nom de l'entreprise;Numéro d'entreprise;Région;Secteur;Agence relais;Langues;Contact : nom;Contact : e-mail"
GOOD_ROW = "Gentse Koffie BV;0200.000.043;Flandre;Agroalimentaire;FIT;Néerlandais, Anglais;Lotte Maes;lotte@koffie.example.be"


def _file(*rows: str) -> str:
    path = Path(tempfile.mkdtemp(prefix="pem-directory-")) / "entreprises.csv"
    path.write_bytes("\r\n".join([HEADER, *rows]).encode("cp1252"))  # as Excel saves it on Windows
    return str(path)


def test_an_officer_finds_a_company_adds_a_contact_and_imports_a_corrected_file(browser, live_server):
    staff = UserFactory(roles=[Role.STAFF], email="equipe@example.org")
    fit = RelayAgencyFactory(name="Flanders Investment & Trade", short_name="FIT")
    haven = BelgianCompanyFactory(
        name="Haven Logistics BV",
        belgian_region="flanders",
        city="Antwerpen",
        sector="logistics",
        relay_agency=fit,
        languages=["nl"],
    )
    BelgianCompanyFactory(name="Gaufres Liégeoises SRL", belgian_region="wallonia", city="Liège", sector="agrifood")
    B2BMeetingFactory(organisation=haven, starts_at=timezone.make_aware(datetime.datetime(2023, 5, 16, 10)))
    directory = reverse("mobility:directory")

    log_in(browser, live_server, staff.email, PASSWORD, directory)
    assert "2 entreprises" in css(browser, "main").text

    # Search by the enterprise number as people write it, then filter.
    fill(browser, "q", f"BE {haven.enterprise_number_display}")
    click_and_load(browser, browser.find_element(By.XPATH, '//main//button[contains(., "Rechercher")]'))
    rows = browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(rows) == 1 and "Haven Logistics BV" in rows[0].text
    fill(browser, "q", "")
    Select(css(browser, "select[name=region]")).select_by_value("flanders")
    Select(css(browser, "select[name=met]")).select_by_value("met")
    click_and_load(browser, browser.find_element(By.XPATH, '//main//button[contains(., "Rechercher")]'))
    assert "1 entreprise" in css(browser, "main").text and "Gaufres" not in css(browser, "main").text

    # The company's page: identity and history; a contact added from there.
    click_and_load(browser, browser.find_element(By.LINK_TEXT, "Haven Logistics BV"))
    page = css(browser, "main").text
    assert haven.enterprise_number_display in page and "Rendez-vous B2B" in page and "Flanders Investment & Trade" in page
    # The form is open already: the company has no contact yet.
    assert css(browser, "main details").get_attribute("open") is not None
    fill(browser, "full_name", "Jan Peeters")
    fill(browser, "email", "jan@haven.example.be")
    Select(css(browser, "select[name=language]")).select_by_value("nl")
    click_and_load(browser, browser.find_element(By.XPATH, '//main//button[contains(., "Ajouter le contact")]'))
    assert "Contact ajouté : Jan Peeters" in alerts(browser), page_errors(browser)
    assert OrganisationContact.objects.get(organisation=haven).language == "nl"

    # An import whose second row has wrong check digits: the preview names the row, nothing is written.
    browser.get(f"{live_server.url}{reverse('mobility:directory_import')}")
    css(browser, "input[name=file]").send_keys(_file(GOOD_ROW, "Brasserie Test SA;0200.000.044;Wallonie;;;Français;;"))
    click_and_load(browser, css(browser, "main [name=preview]"))
    assert "1 ligne en erreur" in alerts(browser), page_errors(browser)
    error_row = browser.find_element(By.CSS_SELECTOR, "#import-preview tr.table-danger")
    assert "Brasserie Test SA" in error_row.text and "modulo 97" in error_row.text
    assert not Organisation.objects.filter(name="Gentse Koffie BV").exists()

    # The corrected file: checked, confirmed, imported by the worker; the status page says so.
    css(browser, "input[name=file]").send_keys(_file(GOOD_ROW, "Brasserie Test SA;0200.000.142;Wallonie;;;Français;;"))
    click_and_load(browser, css(browser, "main [name=preview]"))
    assert "2 entreprises prêtes à être importées" in css(browser, "main").text, page_errors(browser)
    click_and_load(browser, browser.find_element(By.XPATH, '//main//button[contains(., "Confirmer l\'import")]'))
    WebDriverWait(browser, 30).until(lambda d: "Terminé" in css(d, "main").text)
    assert CompanyImport.objects.get().status == JobStatus.DONE
    koffie = Organisation.objects.get(name="Gentse Koffie BV")
    assert koffie.relay_agency == fit and koffie.languages == ["nl", "en"] and koffie.contacts.get().full_name == "Lotte Maes"
