"""The spreadsheet import of Belgian companies: the check (every row, in the user's language), the
preview data, all or nothing, and the job run by a worker (claimed once, re-checked, never twice)."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.jobs import JobStatus
from core.spreadsheets import ImportFileError
from partners import imports
from partners.models import CompanyImport, Organisation, OrganisationContact, OrganisationKind
from partners.services import (
    belgian_companies_import,
    belgian_companies_import_check,
    company_import_execute,
    company_import_request,
)
from partners.tests.factories import BelgianCompanyFactory, RelayAgencyFactory

pytestmark = pytest.mark.django_db

HEADER = "Nom de l'entreprise;Numéro d'entreprise;Région;Ville;Secteur;Agence relais;Langues;Contact : nom;Contact : e-mail"
GOOD = [
    "Gaufres Liégeoises SRL;BE 0123.456.749;Wallonie;Liège;Agroalimentaire;AWEX;Français, English;Luc Renard;luc@gaufres.be",
    "Haven Logistics BV;0200.000.043;Flanders;Antwerpen;Transport et logistique;FIT;Néerlandais;;",
]


@pytest.fixture(autouse=True)
def agencies():
    return [
        RelayAgencyFactory(name="Agence wallonne à l'Exportation", short_name="AWEX"),
        RelayAgencyFactory(name="Flanders Investment & Trade", short_name="FIT"),
        RelayAgencyFactory(name="hub.brussels", short_name="hub.brussels"),
    ]


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join([HEADER, *lines]).encode(encoding)


def check(content: bytes, filename: str = "entreprises.csv"):
    return belgian_companies_import_check(source=imports.companies_file_read(content=content, filename=filename))


def test_a_windows_1252_file_with_french_and_english_labels_passes_the_check():
    report = check(csv_bytes(*GOOD, encoding="cp1252"))

    assert report.is_valid, report.errors_by_cell
    first, second = report.rows
    assert first.company.enterprise_number == "0123456749" and first.company.belgian_region == "wallonia"
    assert first.company.languages == ["fr", "en"] and first.company.relay_agency.short_name == "AWEX"
    assert first.contact.email == "luc@gaufres.be" and second.contact is None
    assert second.company.belgian_region == "flanders" and second.company.sector == "logistics"


def test_the_check_costs_the_same_queries_whatever_the_number_of_rows(django_assert_num_queries):
    lines = [f"Société {n} SRL;{BelgianCompanyFactory.build().enterprise_number};Bruxelles;;;;fr;;" for n in range(30)]
    source = imports.companies_file_read(content=csv_bytes(*lines), filename="x.csv")

    # relay agencies; enterprise numbers already held; names of Belgian organisations
    with django_assert_num_queries(3):
        report = belgian_companies_import_check(source=source)
    assert report.is_valid, report.errors_by_cell


def test_every_row_is_checked_and_each_error_is_on_its_cell():
    BelgianCompanyFactory(name="Déjà Là SA", enterprise_number="0200000142")
    report = check(
        csv_bytes(
            *GOOD,
            "Mauvais Chiffres SA;0123.456.748;Bruxelles;;;;;;",  # wrong check digits
            "Copie SRL;0123456749;Bruxelles;;;;;;",  # same number as line 2
            "Ailleurs SA;BE0200.000.142;Bruxelles;;;;;;",  # number held by a company of the directory
            "Sans Région SA;0200.000.241;Ardennes;;Chocolat;Agence X;Klingon;Jean;",
        )
    )

    assert not report.is_valid
    errors = {row.line: row.errors for row in report.rows}
    assert not errors[2] and not errors[3]
    assert "modulo 97" in errors[4]["enterprise_number"]
    assert "ligne 2" in errors[5]["enterprise_number"]
    assert "Déjà Là SA" in errors[6]["enterprise_number"]
    assert set(errors[7]) == {"region", "sector", "relay_agency", "languages", "contact_email"}


def test_row_errors_are_in_the_users_language():
    with translation.override("en"):
        report = check(csv_bytes("X SA;0123.456.748;Mars;;;;;;"))
        cells = report.errors_by_cell

    columns = {column for _line, column, _message in cells}
    assert {"Enterprise number", "Region"} <= columns
    assert any("modulo 97" in message and "wrong" in message for _line, _column, message in cells)


def test_a_file_without_a_required_column_is_refused_as_a_whole():
    with pytest.raises(ImportFileError, match="Numéro d'entreprise"):
        imports.companies_file_read(content=b"Nom;Ville\r\nA;B\r\n", filename="x.csv")


def test_an_xlsx_with_english_headers_is_read():
    book = openpyxl.Workbook()
    book.active.append(["Company name", "Enterprise number", "Region", "Languages", "Unknown column"])
    book.active.append(["Brussels Bytes SRL", 123456749, "Brussels", "Dutch; French", "?"])
    buffer = io.BytesIO()
    book.save(buffer)

    source = imports.companies_file_read(content=buffer.getvalue(), filename="companies.xlsx")
    report = belgian_companies_import_check(source=source)

    assert source.ignored == ["Unknown column"]
    assert report.is_valid, report.errors_by_cell
    assert report.rows[0].company.enterprise_number == "0123456749" and report.rows[0].company.languages == ["fr", "nl"]


def test_the_template_is_read_back_in_both_languages():
    for language in ("fr", "en"):
        for file_format in ("csv", "xlsx"):
            content, _type = imports.import_template(language=language, file_format=file_format)
            source = imports.companies_file_read(content=content, filename=f"t.{file_format}")
            report = belgian_companies_import_check(source=source)
            assert len(report.rows) == 1 and report.is_valid, (language, file_format, report.errors_by_cell)


def test_nothing_is_written_when_one_row_has_an_error():
    source = imports.companies_file_read(content=csv_bytes(*GOOD, "Faux SA;0123.456.700;Bruxelles;;;;;;"), filename="x.csv")

    report = belgian_companies_import(source=source)

    assert not report.is_valid
    assert not Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).exists()
    assert not OrganisationContact.objects.exists()


def test_the_job_creates_every_company_and_contact_once(django_capture_on_commit_callbacks):
    from accounts.tests.factories import UserFactory

    content = csv_bytes(*GOOD)
    with django_capture_on_commit_callbacks(execute=False):
        job = company_import_request(content=content, filename="entreprises.csv", row_count=2, by=UserFactory())

    done = company_import_execute(import_id=job.pk)

    assert done.status == JobStatus.DONE and done.created_count == 2 and done.contact_count == 1
    assert Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).count() == 2
    assert OrganisationContact.objects.get().organisation.name == "Gaufres Liégeoises SRL"
    # A redelivered task finds the job done: nothing twice.
    assert company_import_execute(import_id=job.pk) is None
    assert Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).count() == 2
    # The same file again is refused.
    with pytest.raises(ValidationError, match="déjà été envoyé"):
        company_import_request(content=content, filename="encore.csv", row_count=2, by=None)


def test_a_job_whose_rows_no_longer_pass_fails_and_writes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = company_import_request(content=csv_bytes(*GOOD), filename="entreprises.csv", row_count=2, by=None)
    BelgianCompanyFactory(name="Arrivée Entre-temps SA", enterprise_number="0123456749")

    failed = company_import_execute(import_id=job.pk)

    assert failed.status == JobStatus.FAILED and failed.created_count == 0
    assert "Arrivée Entre-temps SA" in failed.error and "Ligne 2" in failed.error
    assert Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).count() == 1
    assert CompanyImport.objects.get().status == JobStatus.FAILED


def test_a_database_failure_is_logged_and_staff_read_a_plain_reason_in_their_language(django_capture_on_commit_callbacks, caplog):
    from unittest import mock

    from django.db import IntegrityError

    from accounts.tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=False):
        job = company_import_request(
            content=csv_bytes(*GOOD), filename="entreprises.csv", row_count=2, by=UserFactory(preferred_language="en")
        )
    refused = IntegrityError("UNIQUE constraint failed: partners_organisation.enterprise_number")
    with mock.patch("partners.services.belgian_companies_import", side_effect=refused):
        failed = company_import_execute(import_id=job.pk)

    assert failed.status == JobStatus.FAILED and failed.created_count == 0
    assert "UNIQUE" not in failed.error and "partners_organisation" not in failed.error
    assert failed.error == "The import failed: no company was created. Try again or contact the technical team."
    assert "UNIQUE constraint failed" in caplog.text  # the team finds the cause in the log
    assert not Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).exists()


def test_a_file_problem_keeps_its_own_message():
    from accounts.tests.factories import UserFactory

    job = company_import_request(content=csv_bytes(*GOOD), filename="entreprises.csv", row_count=2, by=UserFactory())
    CompanyImport.objects.filter(pk=job.pk).update(sha256="0" * 64)

    failed = company_import_execute(import_id=job.pk)

    assert failed.status == JobStatus.FAILED and "ne correspond plus" in failed.error
