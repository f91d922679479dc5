"""The import journey of issue [5] item 3 in a real browser: a programme officer fills the downloaded
template with an own reference column and a header of their own, uploads it, maps the column the page
did not recognise, checks and confirms; the worker imports and the applicant is screened eligible on a
call that asks for an environmental commitment."""

import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import Application, ApplicationImport, ApplicationStatus, ImportStatus
from cohorts.tests.factories import CohortFactory, EligibilityCriterionFactory, ProgrammeFactory

from .test_selection_journey import PASSWORD, alerts, click_and_load, css, log_in, page_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _filled_template(staff) -> str:
    """Download the French XLSX template as the officer would, add their own columns, fill one row."""
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("cohorts:application_import_template", args=["xlsx"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    # Their own habits: a reference column, "Naissance" for the year of birth, "Raison soc." for the company.
    headers[headers.index("Année de naissance")] = "Naissance"
    headers[headers.index("Entreprise")] = "Raison soc."
    for index, header in enumerate(headers, start=1):
        sheet.cell(row=1, column=index, value=header)
    sheet.cell(row=1, column=len(headers) + 1, value="Notre référence")
    values = {
        "Prénom": "Khady", "Nom de famille": "Sarr", "E-mail": "khady.sarr@example.sn", "Genre": "F", "Naissance": 1992,
        "Niveau d'études": "Licence", "Raison soc.": "Sel du Saloum", "Secteur": "Agroalimentaire", "Région": "Fatick",
        "Année de création": 2019, "Chiffre d'affaires (FCFA)": "25 000 000",
        "Engagement environnemental": "Séchage solaire du sel", "Notre référence": "R-001",
    }  # fmt: skip
    sheet.append([values.get(header, "") for header in [*headers, "Notre référence"]])
    path = Path(tempfile.mkdtemp(prefix="pem-import-")) / "collecte.xlsx"
    book.save(path)
    return str(path)


def test_an_officer_imports_a_filled_template_with_a_column_mapping(browser, live_server):
    staff = UserFactory(roles=[Role.STAFF], email="equipe@example.org")
    cohort = CohortFactory(programme=ProgrammeFactory(name="PEM Sine-Saloum"), name="Cohorte 1")
    EligibilityCriterionFactory(
        cohort=cohort, field="has_environmental_commitment", operator="true", value="", label="Engagement environnemental"
    )
    path = _filled_template(staff)
    import_path = reverse("cohorts:application_import")

    log_in(browser, live_server, staff.email, PASSWORD, import_path)
    assert css(browser, f"a[href='{reverse('cohorts:application_import_template', args=['xlsx'])}']").is_displayed()
    css(browser, "input[name=file]").send_keys(path)
    Select(css(browser, "select[name=cohort]")).select_by_visible_text("PEM Sine-Saloum – Cohorte 1")
    click_and_load(browser, css(browser, "main [name=preview]"))

    # The mapping step: the company's column was not recognised (nor "Naissance"); the reference is ignored.
    assert "/colonnes/" in browser.current_url, page_errors(browser)
    assert "Aucune colonne pour : Entreprise" in alerts(browser)
    for select in browser.find_elements(By.CSS_SELECTOR, "select[name^=column_]"):
        label = css(browser, f"label[for={select.get_attribute('id')}]").text
        if label.startswith("Naissance"):
            Select(select).select_by_value("annee_naissance")
        if label.startswith("Raison soc."):
            Select(select).select_by_value("entreprise")
    click_and_load(browser, css(browser, "main [name=map]"))

    # The check: one row ready, the own reference listed as ignored, the defaults stated.
    page = css(browser, "main").text
    assert "1 candidature prête à être importée" in page, page_errors(browser)
    assert "Colonnes ignorées : Notre référence" in page
    assert "forme juridique absente" in page
    click_and_load(browser, browser.find_element(By.XPATH, '//main//button[contains(., "Confirmer l\'import")]'))

    assert "/import/" in browser.current_url and ApplicationImport.objects.exists(), (browser.current_url, alerts(browser))
    job = ApplicationImport.objects.get()
    WebDriverWait(browser, 30).until(lambda d: "Terminé" in css(d, "main").text)
    job.refresh_from_db()
    assert (
        job.status == ImportStatus.DONE
        and job.column_mapping["fields"][job.column_mapping["headers"].index("Naissance")] == "annee_naissance"
    )
    application = Application.objects.get()
    assert application.status == ApplicationStatus.ELIGIBLE and application.cohort == cohort
