"""Importing a spreadsheet as people keep it: the downloadable template, unknown columns ignored, the
column-mapping step, and the common spellings and codes turned into stored values."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.models import Application, ApplicationImport, ApplicationStatus, ImportStatus
from cohorts.resources import ApplicationImportResource
from cohorts.services.staff import applications_import
from cohorts.tests.factories import CohortFactory, EligibilityCriterionFactory, ProgrammeFactory
from partners.models import AgeBand, Education, LegalForm, Sector, TurnoverBand

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    """A call that asks for an environmental commitment (as the Sine-Saloum call does)."""
    cohort = CohortFactory(programme=ProgrammeFactory(code="pem-sine-saloum", name="PEM Sine-Saloum"), number=1)
    EligibilityCriterionFactory(
        cohort=cohort, field="has_environmental_commitment", operator="true", value="", label="Engagement environnemental"
    )
    return cohort


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=["staff"]))
    return client


def _upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _filled_xlsx(template: bytes, rows: list[dict]) -> bytes:
    """The downloaded workbook with rows typed under its headers (by header text), as a person would."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _confirm_and_run(staff_client, preview, django_capture_on_commit_callbacks) -> ApplicationImport:
    report = preview.context.get("report")
    assert "confirm_form" in preview.context, report.errors_by_cell if report else preview.context.get("form").errors
    token = preview.context["confirm_form"].initial["token"]
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("cohorts:application_import"), {"token": token})
    return ApplicationImport.objects.get()


def test_the_import_page_links_both_templates(staff_client):
    html = staff_client.get(reverse("cohorts:application_import")).content.decode()

    assert reverse("cohorts:application_import_template", args=["xlsx"]) in html
    assert reverse("cohorts:application_import_template", args=["csv"]) in html


def test_the_template_covers_every_field_a_criterion_reads_in_the_pages_language(staff_client):
    french = staff_client.get(reverse("cohorts:application_import_template", args=["csv"]), HTTP_ACCEPT_LANGUAGE="fr")
    staff_client.cookies["django_language"] = "en"
    english = staff_client.get(reverse("cohorts:application_import_template", args=["xlsx"]))

    french_headers = next(csv.reader(io.StringIO(french.content.decode("utf-8-sig")), delimiter=";"))
    english_headers = [cell.value for cell in openpyxl.load_workbook(io.BytesIO(english.content)).active[1]]
    assert french["Content-Disposition"].startswith("attachment")
    for header in ("Engagement environnemental", "Engagement genre", "Marchés visés", "Chiffre d'affaires (FCFA)"):
        assert header in french_headers
    assert "Environmental commitment" in english_headers and "Target markets" in english_headers
    assert "Year founded" in english_headers and "Gender" in english_headers
    assert not any("_" in header for header in french_headers + english_headers)  # labels, not internal names


def test_a_file_built_from_the_downloaded_template_is_imported_and_screened_eligible(
    staff_client, cohort, django_capture_on_commit_callbacks
):
    template = staff_client.get(reverse("cohorts:application_import_template", args=["xlsx"])).content
    row = {
        "Prénom": "Awa", "Nom de famille": "Diop", "E-mail": "awa@example.sn", "Genre": "F", "Année de naissance": 1990,
        "Niveau d'études": "Licence", "Entreprise": "Sel du Saloum", "Secteur": "Agroalimentaire", "Région": "Fatick",
        "Année de création": 2018, "Chiffre d'affaires (FCFA)": "25 000 000", "Marchés visés": "Belgique",
        "Engagement environnemental": "Séchage solaire, emballages compostables.",
        "Engagement genre": "Direction paritaire.", "Programme": "PEM Sine-Saloum", "Cohorte": 1,
    }  # fmt: skip

    preview = staff_client.post(
        reverse("cohorts:application_import"), {"file": _upload(_filled_xlsx(template, [row]), "collecte.xlsx")}
    )
    job = _confirm_and_run(staff_client, preview, django_capture_on_commit_callbacks)

    assert job.status == ImportStatus.DONE, job.error
    application = Application.objects.get()
    assert application.status == ApplicationStatus.ELIGIBLE
    assert application.environmental_commitment.startswith("Séchage solaire")
    assert application.gender_commitment == "Direction paritaire." and application.target_markets == "Belgique"
    company = application.company
    assert company.turnover_xof == 25_000_000 and company.turnover_band == TurnoverBand.FROM_10_TO_50M
    assert company.legal_form == LegalForm.UNSPECIFIED  # not in the file: the default, stated at the check
    assert "forme juridique absente" in preview.content.decode()


def test_an_english_template_is_read_back_too(staff_client, cohort, django_capture_on_commit_callbacks):
    staff_client.cookies["django_language"] = "en"
    template = staff_client.get(reverse("cohorts:application_import_template", args=["xlsx"])).content
    row = {
        "First name": "Ibou", "Last name": "Faye", "Email": "ibou@example.sn", "Gender": "M", "Age band": "25-34",
        "Education level": "Master", "Company": "Faye BTP", "Sector": "btp", "Region": "Kaolack", "Year founded": 2015,
        "Turnover band": "10-50m", "Environmental commitment": "Recycled materials",
    }  # fmt: skip

    preview = staff_client.post(
        reverse("cohorts:application_import"),
        {"file": _upload(_filled_xlsx(template, [row]), "list.xlsx"), "cohort": cohort.pk},
    )
    job = _confirm_and_run(staff_client, preview, django_capture_on_commit_callbacks)

    assert job.status == ImportStatus.DONE, job.error
    application = Application.objects.get()
    assert application.cohort == cohort and application.status == ApplicationStatus.ELIGIBLE
    assert application.company.sector == Sector.CONSTRUCTION
    assert job.cohort == cohort


def _csv(headers: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode()


HEADERS = ["Prénom", "Nom de famille", "E-mail", "Genre", "Tranche d'âge", "Niveau d'études", "Entreprise", "Secteur", "Région",
           "Année de création", "Tranche de chiffre d'affaires", "Programme", "Cohorte", "Engagement environnemental"]  # fmt: skip
VALUES = ["Awa", "Diop", "awa@example.sn", "Femme", "25-34", "Master", "Awa Textile", "Textile", "Thiès", "2018",
          "10-50m", "pem-sine-saloum", "1", "Coton biologique"]  # fmt: skip


def test_an_unknown_column_is_ignored_and_listed_as_ignored(staff_client, cohort):
    content = _csv([*HEADERS, "Notre référence"], [[*VALUES, "REF-0042"]])

    preview = staff_client.post(reverse("cohorts:application_import"), {"file": _upload(content, "liste.csv")})

    assert preview.status_code == 200
    assert "confirm_form" in preview.context  # not refused
    assert preview.context["ignored_columns"] == ["Notre référence"]
    html = preview.content.decode()
    assert "Colonnes ignorées" in html and "Notre référence" in html


def test_headers_that_differ_go_through_the_mapping_step_which_is_kept_on_the_import(
    staff_client, cohort, django_capture_on_commit_callbacks
):
    # An own list: "Sexe" is recognised, "Raison soc." and "Naissance" are not, "Réf." is theirs.
    headers = ["Réf.", "Prénom", "Nom", "E-mail", "Sexe", "Naissance", "Niveau d'études", "Raison soc.", "Secteur",
               "Région", "Année de création", "CA annuel", "Engagement environnemental"]  # fmt: skip
    values = ["R1", "Awa", "Diop", "awa@example.sn", "F", "2004", "BTS", "Awa Textile", "textile", "Thiès", "2019",
              "12 500 000", "Teintures végétales"]  # fmt: skip
    upload = staff_client.post(
        reverse("cohorts:application_import"),
        {"file": _upload(_csv(headers, [values]), "liste.csv"), "cohort": cohort.pk},
        follow=True,
    )

    form = upload.context["mapping_form"]
    assert form["column_4"].initial == "genre" and form["column_0"].initial == ""
    html = upload.content.decode()
    assert "Raison soc." in html and "Aucune colonne pour" in html and "annee_naissance" not in html.split("<select")[0]
    url = upload.redirect_chain[-1][0]
    mapping = {f"column_{index}": form[f"column_{index}"].initial for index in range(len(headers))}
    mapping.update(column_5="annee_naissance", column_7="entreprise")

    preview = staff_client.post(url, mapping)
    # The confirmation, shown at the mapping step's address, posts to the import page.
    assert f'action="{reverse("cohorts:application_import")}"' in preview.content.decode()
    job = _confirm_and_run(staff_client, preview, django_capture_on_commit_callbacks)

    assert job.status == ImportStatus.DONE, job.error
    assert job.column_mapping["fields"][5] == "annee_naissance" and job.column_mapping["headers"] == headers
    entrepreneur = Application.objects.get().entrepreneur
    assert entrepreneur.age_band == AgeBand.UNDER_25 and entrepreneur.education == Education.VOCATIONAL
    assert Application.objects.get().company.turnover_xof == 12_500_000
    assert "tranche d&#x27;âge déduite de l&#x27;année de naissance" in preview.content.decode()
    status = staff_client.get(reverse("cohorts:application_import_status", kwargs={"pk": job.pk})).content.decode()
    assert "Naissance → Année de naissance" in status and "Raison soc. → Entreprise" in status


def test_a_mapping_without_a_required_field_is_refused_with_its_label(staff_client, cohort):
    upload = staff_client.post(
        reverse("cohorts:application_import"),
        {"file": _upload(_csv(["Prénom", "Nom"], [["Awa", "Diop"]]), "liste.csv")},
        follow=True,
    )

    response = staff_client.post(upload.redirect_chain[-1][0], {"column_0": "prenom", "column_1": "prenom"})

    errors = " ".join(response.context["mapping_form"].non_field_errors())
    assert "Plusieurs colonnes pour : Prénom." in errors and "E-mail" in errors


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("F", "woman"),
        ("f", "woman"),
        ("Femme", "woman"),
        ("female", "woman"),
        ("M", "man"),
        ("H", "man"),
        ("Homme", "man"),
        ("male", "man"),
    ],
)
def test_gender_codes_and_words_are_accepted(cohort, given, stored):
    resource = ApplicationImportResource()
    values, errors = resource.clean_row({"genre": given})
    assert errors == {} and values["genre"] == stored


@pytest.mark.parametrize(
    ("field", "given", "stored"),
    [
        ("secteur", "AGRO-ALIMENTAIRE", Sector.AGRIFOOD),
        ("secteur", "Numérique", Sector.DIGITAL),
        ("secteur", "TIC", Sector.DIGITAL),
        ("secteur", "Energie", Sector.ENERGY),
        ("niveau_etudes", "licence", Education.BACHELOR),
        ("niveau_etudes", "Bac+5", Education.MASTER),
        ("niveau_etudes", "doctorat", Education.DOCTORATE),
        ("niveau_etudes", "Lycée", Education.SECONDARY),
    ],
)
def test_sector_and_education_synonyms_are_accepted(field, given, stored):
    values, errors = ApplicationImportResource().clean_row({field: given})
    assert errors == {} and values[field] == stored


def _import_row(staff, **overrides):
    row = dict(zip(ApplicationImportResource.column_names(), [""] * 40, strict=False))
    row.update(
        prenom="Awa", nom="Diop", email="awa@example.sn", genre="F", niveau_etudes="Master", entreprise="A",
        secteur="textile", region="Thiès", annee_creation="2015", programme="pem-sine-saloum", cohorte="1",
        date_soumission="15/03/2024", engagement_environnemental="Oui",
    )  # fmt: skip
    row.update(overrides)
    import tablib

    dataset = tablib.Dataset(headers=list(row))
    dataset.append(list(row.values()))
    return applications_import(dataset=dataset, by=staff)


@pytest.mark.parametrize(
    ("born", "band"),
    [("2001", AgeBand.UNDER_25), ("1999", AgeBand.FROM_25_TO_34), ("1980", AgeBand.FROM_35_TO_44), ("1960", AgeBand.OVER_55)],
)
def test_a_year_of_birth_becomes_the_age_band_at_submission(cohort, born, band):
    report = _import_row(UserFactory(roles=["staff"]), annee_naissance=born, chiffre_affaires="lt10m")

    assert report.is_valid, report.errors_by_cell
    assert Application.objects.get().entrepreneur.age_band == band  # submitted in 2024


@pytest.mark.parametrize(
    ("amount", "band"),
    [("9 999 999", TurnoverBand.UNDER_10M), ("10.000.000", TurnoverBand.FROM_10_TO_50M), ("75,5 M", TurnoverBand.FROM_50_TO_100M),
     ("600000000 FCFA", TurnoverBand.OVER_500M)],
)  # fmt: skip
def test_an_exact_turnover_is_stored_with_its_band(cohort, amount, band):
    report = _import_row(UserFactory(roles=["staff"]), tranche_age="25-34", chiffre_affaires_montant=amount)

    assert report.is_valid, report.errors_by_cell
    company = Application.objects.get().company
    assert company.turnover_band == band and company.turnover_xof > 0


def test_an_amount_that_is_no_amount_is_an_error_on_its_cell(cohort):
    report = _import_row(UserFactory(roles=["staff"]), tranche_age="25-34", chiffre_affaires_montant="beaucoup")

    assert not report.is_valid
    assert report.errors_by_cell[0][1] == "Chiffre d'affaires (FCFA)" and "montant" in report.errors_by_cell[0][2]


def test_the_mapping_page_starts_again_from_the_mapping_last_used(staff_client, cohort):
    values = [*VALUES[:3], "X?", *VALUES[4:], "Cherche un distributeur"]  # a gender nobody writes: a row error
    upload = staff_client.post(
        reverse("cohorts:application_import"), {"file": _upload(_csv([*HEADERS, "Notes"], [values]), "liste.csv")}
    )
    token = upload.context["token"]
    url = reverse("cohorts:application_import_mapping", kwargs={"token": token})
    form = staff_client.get(url).context["mapping_form"]
    chosen = {f"column_{index}": form[f"column_{index}"].initial for index in range(len(HEADERS) + 1)}
    chosen[f"column_{len(HEADERS)}"] = "motivation"

    checked = staff_client.post(url, chosen)

    assert "confirm_form" not in checked.context and checked.context["report"].invalid_rows
    again = staff_client.get(url).context["mapping_form"]
    assert again[f"column_{len(HEADERS)}"].initial == "motivation"
