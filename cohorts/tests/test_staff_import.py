"""Importing applications collected offline: check, confirm, all or nothing, and no duplicates."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from cohorts.models import Application, ApplicationSource, ApplicationStatus, ApplicationTransition
from cohorts.resources import ApplicationImportResource, ImportFileError, read_spreadsheet
from cohorts.services.staff import applications_import, applications_import_check
from cohorts.tests.factories import CohortFactory, EligibilityCriterionFactory, ProgrammeFactory
from partners.models import Company, Entrepreneur

pytestmark = pytest.mark.django_db

HEADER = ApplicationImportResource.column_names()


def _row(**overrides) -> dict:
    row = {
        "prenom": "Awa", "nom": "Diop", "email": "awa.diop@example.sn", "genre": "Femme", "tranche_age": "25-34",
        "niveau_etudes": "Master", "diaspora": "non", "pays_residence": "SN", "entreprise": "Awa Textile",
        "forme_juridique": "SARL / SUARL", "ninea": "", "formelle": "oui", "secteur": "textile", "region": "Thiès",
        "annee_creation": "2023", "chiffre_affaires": "lt10m", "employes": "4", "experience_export": "non",
        "programme": "pem", "cohorte": "1", "motivation": "Trouver un distributeur à Bruxelles",
        "partenariat_recherche": "Distribution", "date_soumission": "15/03/2024",
    }  # fmt: skip
    row.update(overrides)
    return row


def _csv(rows: list[dict], delimiter: str = ",", header: list[str] = HEADER) -> str:
    lines = [delimiter.join(header)]
    for row in rows:
        lines.append(delimiter.join(f'"{row.get(name, "")}"' for name in header))
    return "\r\n".join(lines) + "\r\n"


def _dataset(rows: list[dict]):
    return read_spreadsheet(content=_csv(rows).encode(), filename="collecte.csv")


@pytest.fixture
def cohort():
    cohort = CohortFactory(programme=ProgrammeFactory(code="pem"), number=1)
    EligibilityCriterionFactory(cohort=cohort, field="company_age", operator="gte", value="2", label="Au moins 2 ans")
    return cohort


@pytest.fixture
def staff():
    return UserFactory(roles=["staff"])


def test_a_valid_file_creates_entrepreneurs_companies_and_screened_applications(cohort, staff):
    rows = [
        _row(),  # founded 2023, submitted 2024 → 1 year → ineligible
        _row(prenom="Moussa", nom="Fall", email="moussa@example.sn", genre="man", entreprise="Fall Digital",
             annee_creation="2018", date_soumission="2024-03-20", ninea="004512345", diaspora="yes"),
    ]  # fmt: skip

    report = applications_import(dataset=_dataset(rows), by=staff)

    assert report.is_valid and len(report.created) == 2
    awa = Application.objects.get(entrepreneur__email="awa.diop@example.sn")
    assert awa.source == ApplicationSource.IMPORT
    assert awa.entrepreneur.user is None
    assert awa.entrepreneur.gender == "woman" and awa.company.region == "thies" and awa.company.legal_form == "sarl"
    assert awa.submitted_at.date().isoformat() == "2024-03-15"
    assert awa.status == ApplicationStatus.INELIGIBLE
    assert [item["label"] for item in awa.failed_criteria] == ["Au moins 2 ans"]
    assert awa.profile_snapshot["company_age"] == 1
    moussa = Application.objects.get(entrepreneur__email="moussa@example.sn")
    assert moussa.status == ApplicationStatus.ELIGIBLE
    assert moussa.entrepreneur.is_diaspora and moussa.company.ninea == "004512345"
    # The history shows draft → submitted (at the collection date) → screened, by the staff member.
    moves = list(ApplicationTransition.objects.filter(application=moussa).values_list("to_status", "by"))
    assert moves == [(ApplicationStatus.SUBMITTED, staff.pk), (ApplicationStatus.ELIGIBLE, staff.pk)]


def test_one_invalid_row_saves_nothing_and_names_the_row_and_column(cohort, staff):
    rows = [
        _row(),
        _row(email="pas-un-email", genre="Inconnu", annee_creation="deux mille", date_soumission="31/02/2024",
             prenom="Fatou"),
        _row(email="ibou@example.sn", cohorte="9"),
    ]  # fmt: skip

    report = applications_import(dataset=_dataset(rows), by=staff)

    assert not report.is_valid
    assert Application.objects.count() == 0 and Entrepreneur.objects.count() == 0 and Company.objects.count() == 0
    errors = {row.line: row.errors for row in report.rows}
    assert errors[2] == {}
    assert set(errors[3]) == {"email", "genre", "annee_creation", "date_soumission"}
    assert "woman" in errors[3]["genre"]  # the message lists the possible codes
    assert set(errors[4]) == {"cohorte"}
    assert "pem" in errors[4]["cohorte"]


def test_errors_are_given_in_the_users_language(cohort):
    with translation.override("en"):
        report = applications_import_check(dataset=_dataset([_row(date_soumission="hier", prenom="")]))
        errors = report.rows[0].errors

    assert errors["prenom"] == "This field is required."
    assert set(errors) == {"prenom", "date_soumission"}


def test_labels_codes_and_dates_are_all_accepted(cohort):
    rows = [
        _row(genre="WOMAN", niveau_etudes="bachelor", region="thies", secteur="Textile et mode",
             forme_juridique="sarl", chiffre_affaires="Moins de 10 M FCFA", date_soumission="2024-03-15T10:22:00.000+00:00"),
        _row(email="b@example.sn", genre="Homme", niveau_etudes="Licence / Bachelier", region="Saint-Louis",
             tranche_age="Moins de 25 ans", diaspora="Oui", formelle="", forme_juridique="Non enregistrée (informelle)",
             date_soumission="2024-03-15"),
    ]  # fmt: skip

    report = applications_import_check(dataset=_dataset(rows))

    assert report.is_valid, report.invalid_rows and report.invalid_rows[0].errors
    first, second = (row.values for row in report.rows)
    assert (first["genre"], first["region"], first["secteur"], first["chiffre_affaires"]) == ("woman", "thies", "textile", "lt10m")
    assert str(first["date_soumission"]) == "2024-03-15"
    assert (second["genre"], second["region"], second["tranche_age"], second["diaspora"]) == ("man", "saint-louis", "lt25", True)
    assert second["forme_juridique"] == "informal"


def test_a_latin_1_csv_with_semicolons_is_read(cohort, staff):
    content = _csv([_row(prenom="Adama", nom="Sène", region="Thiès", niveau_etudes="Doctorat")], delimiter=";")

    report = applications_import(dataset=read_spreadsheet(content=content.encode("cp1252"), filename="kobo.csv"), by=staff)

    assert report.is_valid
    entrepreneur = Entrepreneur.objects.get()
    assert entrepreneur.last_name == "Sène" and entrepreneur.education == "doctorate"


def test_a_garbled_file_is_refused_with_a_clear_message():
    with pytest.raises(ImportFileError, match="CSV"):
        read_spreadsheet(content=b"\x00\x01\x02PK\x03\x04garbage" * 20, filename="collecte.csv")
    with pytest.raises(ImportFileError, match="xlsx"):
        read_spreadsheet(content=b"not a workbook", filename="collecte.xlsx")


def test_wrong_or_missing_columns_are_refused_with_the_expected_list():
    header = [name for name in HEADER if name != "genre"] + ["telephone", "_uuid"]

    with pytest.raises(ImportFileError) as error:
        read_spreadsheet(content=_csv([_row()], header=header).encode(), filename="collecte.csv")

    message = str(error.value)
    assert "colonnes manquantes : genre" in message
    assert "colonnes inconnues : telephone" in message  # Kobo's _uuid is ignored, not reported
    assert ", ".join(HEADER) in message


def test_an_xlsx_file_is_read(cohort, staff):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([name.upper() for name in HEADER])  # headers are compared without case
    values = _row(annee_creation=2015, cohorte=1, employes=12)
    sheet.append([values[name] for name in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)

    report = applications_import(dataset=read_spreadsheet(content=buffer.getvalue(), filename="kobo.xlsx"), by=staff)

    assert report.is_valid
    assert Application.objects.get().status == ApplicationStatus.ELIGIBLE
    assert Company.objects.get().employees == 12


def test_re_importing_the_same_file_creates_no_duplicate(cohort, staff):
    rows = [_row(), _row(email="ibou@example.sn", prenom="Ibou")]
    applications_import(dataset=_dataset(rows), by=staff)

    again = applications_import(dataset=_dataset(rows), by=staff)

    assert not again.is_valid
    assert all("existe déjà" in row.errors["email"] for row in again.rows)
    assert Application.objects.count() == 2 and Entrepreneur.objects.count() == 2


def test_the_same_person_twice_in_a_file_is_an_error(cohort):
    report = applications_import_check(dataset=_dataset([_row(), _row(email="AWA.DIOP@example.sn")]))

    assert report.rows[1].errors == {"email": "Même e-mail et même cohorte que la ligne 2."}


def test_a_known_entrepreneur_applying_to_a_new_cohort_is_reused(cohort, staff):
    applications_import(dataset=_dataset([_row(ninea="0099")]), by=staff)
    CohortFactory(programme=cohort.programme, number=2)

    report = applications_import(dataset=_dataset([_row(cohorte="2", email="Awa.Diop@example.sn", ninea="0099")]), by=staff)

    assert report.is_valid and report.rows[0].entrepreneur_exists and report.rows[0].company_exists
    assert Entrepreneur.objects.count() == 1 and Company.objects.count() == 1
    assert Application.objects.count() == 2


# --- Through the pages --------------------------------------------------------------------------------


def _upload(content: bytes, name: str = "collecte.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_page_checks_then_imports_on_confirmation(client, cohort, staff):
    client.force_login(staff)
    url = reverse("cohorts:application_import")

    preview = client.post(url, {"file": _upload(_csv([_row(), _row(email="b@example.sn")]).encode())})

    assert preview.status_code == 200
    assert Application.objects.count() == 0
    token = preview.context["confirm_form"].initial["token"]
    assert "awa.diop@example.sn" in preview.content.decode()
    done = client.post(url, {"token": token})
    assert done.status_code == 302
    assert Application.objects.count() == 2
    # A second click (or a replayed form) imports nothing more.
    again = client.post(url, {"token": token}, follow=True)
    assert Application.objects.count() == 2
    assert "plus en attente" in again.content.decode()


def test_the_page_lists_errors_by_row_and_column_and_offers_no_confirmation(client, cohort, staff):
    client.force_login(staff)

    response = client.post(reverse("cohorts:application_import"), {"file": _upload(_csv([_row(genre="F?")]).encode())})

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    html = response.content.decode()
    assert "<code>genre</code>" in html and "<td>2</td>" in html


def test_a_tampered_token_is_refused_without_error(client, cohort, staff):
    client.force_login(staff)

    response = client.post(reverse("cohorts:application_import"), {"token": "../../etc/passwd"}, follow=True)

    assert response.status_code == 200
    assert Application.objects.count() == 0


def test_a_file_over_5_mb_or_of_another_type_is_refused(client, staff):
    client.force_login(staff)
    url = reverse("cohorts:application_import")

    big = client.post(url, {"file": _upload(b"a" * (5 * 1024 * 1024 + 1))})
    pdf = client.post(url, {"file": _upload(b"%PDF-1.4", name="collecte.pdf")})

    assert "5 Mo" in str(big.context["form"].errors["file"])
    assert ".csv" in str(pdf.context["form"].errors["file"])


def test_a_file_with_wrong_columns_shows_the_expected_ones(client, staff):
    client.force_login(staff)

    response = client.post(reverse("cohorts:application_import"), {"file": _upload(b"nom;prenom\nDiop;Awa\n")})

    assert response.status_code == 200
    assert "Colonnes attendues" in str(response.context["form"].errors["file"])
