"""The Belgian company directory's staff pages: search and filters, sorting, constant queries, a company's
page with its history, the company and contact forms, the export, and the import with its preview."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from core.jobs import JobStatus
from mobility.selectors_directory import DirectoryFilters, belgian_companies_directory
from mobility.tests.factories import B2BMeetingFactory, InvitationFactory, PartnershipFactory
from partners.models import CompanyImport, Organisation, OrganisationContact, OrganisationKind
from partners.tests.factories import BelgianCompanyFactory, OrganisationContactFactory, RelayAgencyFactory

pytestmark = pytest.mark.django_db

PAST = timezone.make_aware(datetime.datetime(2023, 5, 16, 10))
FUTURE = timezone.now() + datetime.timedelta(days=30)


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    return client


def names(filters: DirectoryFilters) -> list[str]:
    return [company.name for company in belgian_companies_directory(filters)]


@pytest.fixture
def companies():
    awex, fit = RelayAgencyFactory(short_name="AWEX"), RelayAgencyFactory(short_name="FIT")
    gaufres = BelgianCompanyFactory(
        name="Gaufres SRL", city="Liège", belgian_region="wallonia", sector="agrifood", relay_agency=awex,
        languages=["fr", "de"], enterprise_number="0123456749",
    )  # fmt: skip
    haven = BelgianCompanyFactory(
        name="Haven BV", city="Antwerpen", belgian_region="flanders", sector="logistics", relay_agency=fit, languages=["nl", "en"]
    )
    bytes_ = BelgianCompanyFactory(
        name="Bytes SA", city="Bruxelles", belgian_region="brussels", sector="digital", languages=["fr", "nl"]
    )
    OrganisationContactFactory(organisation=haven, full_name="Jan Peeters")
    B2BMeetingFactory(organisation=gaufres, starts_at=PAST)
    B2BMeetingFactory(organisation=gaufres, starts_at=PAST + datetime.timedelta(days=1))
    B2BMeetingFactory(organisation=haven, starts_at=PAST)
    B2BMeetingFactory(organisation=bytes_, starts_at=FUTURE)  # not held yet: not a past meeting
    return {"gaufres": gaufres, "haven": haven, "bytes": bytes_, "awex": awex, "fit": fit}


@pytest.mark.parametrize("text", ["gaufres", "BE 0123.456.749", "0123456749", "456.749", "liège", "peeters"])
def test_the_search_finds_by_name_number_in_any_format_city_and_contact(companies, text):
    expected = "Haven BV" if text == "peeters" else "Gaufres SRL"
    assert names(DirectoryFilters(q=text)) == [expected]


def test_the_filters_narrow_the_list(companies):
    assert names(DirectoryFilters(sector="logistics")) == ["Haven BV"]
    assert names(DirectoryFilters(region="brussels")) == ["Bytes SA"]
    assert names(DirectoryFilters(relay=companies["awex"])) == ["Gaufres SRL"]
    assert names(DirectoryFilters(language="nl")) == ["Bytes SA", "Haven BV"]
    assert names(DirectoryFilters(language="de")) == ["Gaufres SRL"]
    assert names(DirectoryFilters(met="met")) == ["Gaufres SRL", "Haven BV"]
    assert names(DirectoryFilters(met="never")) == ["Bytes SA"]


def test_past_meetings_are_counted_and_sort_the_list(companies):
    rows = list(belgian_companies_directory(DirectoryFilters(sort="-meetings")))

    assert [(row.name, row.meeting_count) for row in rows] == [("Gaufres SRL", 2), ("Haven BV", 1), ("Bytes SA", 0)]
    assert rows[0].last_met_at == PAST + datetime.timedelta(days=1) and rows[2].last_met_at is None
    assert names(DirectoryFilters(sort="-name")) == ["Haven BV", "Gaufres SRL", "Bytes SA"]


def test_the_page_filters_from_the_query_string_and_ignores_bad_values(staff_client, companies):
    response = staff_client.get(
        reverse("mobility:directory"), {"region": "flanders", "relay": "99999999999999999999", "sort": "x"}
    )

    assert response.status_code == 200
    assert [company.name for company in response.context["page"]] == ["Haven BV"]
    assert "Gaufres SRL" not in response.content.decode()


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("mobility:directory"), {"sort": "-meetings"}).status_code == 200
    return len(queries)


def _more_companies(count: int) -> None:
    agency = RelayAgencyFactory()
    for _ in range(count):
        company = BelgianCompanyFactory(relay_agency=agency, languages=["fr", "en"])
        OrganisationContactFactory.create_batch(2, organisation=company)
        B2BMeetingFactory(organisation=company, starts_at=PAST)


def test_the_list_costs_the_same_queries_at_3_and_30_companies(staff_client):
    _more_companies(3)
    at_three = _list_queries(staff_client)
    _more_companies(27)

    # session, user, roles; the page's count; the rows with their meeting counts and relay agency; their
    # contacts; the relay agencies of the filter.
    assert _list_queries(staff_client) == at_three


def test_the_export_has_the_filtered_rows_in_words(staff_client, companies):
    response = staff_client.get(reverse("mobility:directory_export"), {"format": "csv", "region": "wallonia"})

    content = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Gaufres SRL" in content and "0123.456.749" in content and "Wallonie" in content
    assert "Haven BV" not in content and "wallonia" not in content
    xlsx = staff_client.get(reverse("mobility:directory_export"), {"format": "xlsx"})
    assert xlsx.content.startswith(b"PK")


def test_a_company_page_shows_identity_contacts_and_history(staff_client, companies):
    company = companies["haven"]
    InvitationFactory(organisation=company)
    PartnershipFactory(organisation=company, type="commercial")

    response = staff_client.get(reverse("mobility:directory_company", args=[company.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Haven BV" in page and "Jan Peeters" in page and company.enterprise_number_display in page
    history = response.context["history"]
    assert len(history.meetings) == 1 and len(history.invitations) == 1 and len(history.partnerships) == 1


def test_an_organisation_that_is_not_a_belgian_company_is_not_in_the_directory(staff_client):
    agency = RelayAgencyFactory()

    assert staff_client.get(reverse("mobility:directory_company", args=[agency.pk])).status_code == 404


def _company_form(**changes) -> dict:
    return {
        "name": "Nouvelle SRL",
        "enterprise_number": "BE 0200.000.043",
        "belgian_region": "brussels",
        "languages": ["fr", "en"],
        **changes,
    }


def test_staff_add_a_company_and_wrong_check_digits_keep_what_was_typed(staff_client):
    url = reverse("mobility:directory_company_create")

    refused = staff_client.post(url, _company_form(enterprise_number="0200.000.044", city="Ixelles"))
    assert refused.status_code == 200 and "modulo 97" in refused.content.decode()
    assert refused.context["form"]["city"].value() == "Ixelles"

    created = staff_client.post(url, _company_form())
    company = Organisation.objects.get(name="Nouvelle SRL")
    assert created.status_code == 302 and created["Location"] == reverse("mobility:directory_company", args=[company.pk])
    assert company.enterprise_number == "0200000043" and company.kind == OrganisationKind.BELGIAN_COMPANY


def test_a_duplicate_number_is_refused_naming_the_company(staff_client, companies):
    response = staff_client.post(reverse("mobility:directory_company_create"), _company_form(enterprise_number="0123.456.749"))

    assert response.status_code == 200
    assert "Gaufres SRL" in response.context["form"].errors["enterprise_number"][0]


def test_staff_edit_a_company(staff_client, companies):
    company = companies["bytes"]
    form = _company_form(name="Bytes SA", enterprise_number=company.enterprise_number, city="Etterbeek")

    response = staff_client.post(reverse("mobility:directory_company_update", args=[company.pk]), form)

    company.refresh_from_db()
    assert response.status_code == 302 and company.city == "Etterbeek" and company.languages == ["fr", "en"]


def test_staff_add_edit_and_remove_a_contact(staff_client, companies):
    company = companies["bytes"]
    staff_client.post(
        reverse("mobility:directory_contact_add", args=[company.pk]),
        {"full_name": "Sofie Claes", "email": "sofie@bytes.be", "language": "nl"},
    )
    contact = OrganisationContact.objects.get(organisation=company)

    bad = staff_client.post(
        reverse("mobility:directory_contact_update", args=[company.pk, contact.pk]),
        {"full_name": "Sofie Claes", "email": "pas une adresse", "language": "nl"},
    )
    assert bad.status_code == 200 and bad.context["form"].errors["email"]
    staff_client.post(
        reverse("mobility:directory_contact_update", args=[company.pk, contact.pk]),
        {"full_name": "Sofie Claes", "email": "sofie@bytes.be", "position": "CEO", "language": "en"},
    )
    contact.refresh_from_db()
    assert contact.position == "CEO" and contact.language == "en"

    # A contact of another company is not reachable through this one.
    other = companies["haven"].contacts.get()
    assert staff_client.post(reverse("mobility:directory_contact_remove", args=[company.pk, other.pk])).status_code == 404
    staff_client.post(reverse("mobility:directory_contact_remove", args=[company.pk, contact.pk]))
    assert (
        not OrganisationContact.objects.filter(pk=contact.pk).exists()
        and OrganisationContact.objects.filter(pk=other.pk).exists()
    )


def test_a_coach_cannot_write_to_the_directory(client, companies):
    client.force_login(UserFactory(roles=[Role.COACH]))

    response = client.post(
        reverse("mobility:directory_contact_add", args=[companies["bytes"].pk]), {"full_name": "X", "email": "x@x.be"}
    )

    assert response.status_code == 404 and not companies["bytes"].contacts.exists()


HEADER = "Nom de l'entreprise;Numéro d'entreprise;Région;Langues;Contact : nom;Contact : e-mail"


def _upload(client, *lines: str, name: str = "entreprises.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "\r\n".join([HEADER, *lines]).encode()
    return client.post(reverse("mobility:directory_import"), {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_the_import_preview_lists_each_rows_errors_and_writes_nothing(staff_client):
    response = _upload(staff_client, "Bonne SRL;0200.000.043;Bruxelles;fr;Ann;ann@bonne.be", "Mauvaise SA;0200.000.044;Mars;;;")

    page = response.content.decode()
    assert response.status_code == 200 and "confirm_form" not in response.context
    assert "modulo 97" in page and "Mars" in page and "Bonne SRL" in page
    assert not Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).exists()


def test_a_checked_file_is_confirmed_and_imported_by_the_job(staff_client, django_capture_on_commit_callbacks):
    preview = _upload(staff_client, "Bonne SRL;0200.000.043;Bruxelles;fr;Ann;ann@bonne.be")
    token = preview.context["confirm_form"].initial["token"]

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = staff_client.post(reverse("mobility:directory_import"), {"token": token})

    job = CompanyImport.objects.get()
    assert confirmed["Location"] == reverse("mobility:directory_import_status", args=[job.pk])
    assert job.status == JobStatus.DONE and job.created_count == 1 and job.contact_count == 1  # eager Celery in tests
    assert Organisation.objects.get(name="Bonne SRL").contacts.get().email == "ann@bonne.be"
    status = staff_client.get(confirmed["Location"], headers={"HX-Request": "true"})
    assert status.status_code == 200 and "hx-get" not in status.content.decode()
    # A second confirmation (double click) and the same file again create nothing.
    again = staff_client.post(reverse("mobility:directory_import"), {"token": token})
    assert again.status_code == 302 and CompanyImport.objects.count() == 1
    repeat = _upload(staff_client, "Bonne SRL;0200.000.043;Bruxelles;fr;Ann;ann@bonne.be")
    assert repeat.context["existing_import"] == job


def test_an_unreadable_file_is_refused_with_a_message(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff_client.post(
        reverse("mobility:directory_import"),
        {"file": SimpleUploadedFile("x.xlsx", b"not a workbook", "application/octet-stream")},
    )

    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_the_template_downloads_in_the_page_language(staff_client):
    response = staff_client.get(reverse("mobility:directory_import_template", args=["csv"]), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200 and "Numéro d'entreprise" in response.content.decode("utf-8-sig")
    assert staff_client.get(reverse("mobility:directory_import_template", args=["pdf"])).status_code == 404
