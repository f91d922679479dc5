"""Who may open the Belgian company directory's pages (checked by tests/test_urls_access.py): staff only;
visitors go to the login page, every other role gets a 404."""

from accounts.tests.url_access import only
from partners.models import CompanyImport
from partners.tests.factories import BelgianCompanyFactory, OrganisationContactFactory


def a_company(users: dict) -> dict:
    return {"pk": BelgianCompanyFactory().pk}


def a_contact(users: dict) -> dict:
    contact = OrganisationContactFactory()
    return {"pk": contact.organisation_id, "contact_pk": contact.pk}


def an_import(users: dict) -> dict:
    job = CompanyImport.objects.create(original_name="entreprises.csv", sha256=f"{CompanyImport.objects.count():064d}")
    return {"pk": job.pk}


ACCESS = {
    "mobility:directory": only("staff"),
    "mobility:directory_export": only("staff"),
    "mobility:directory_company_create": only("staff"),
    "mobility:directory_company": {**only("staff"), "kwargs": a_company},
    "mobility:directory_company_update": {**only("staff"), "kwargs": a_company},
    "mobility:directory_contact_add": {**only("staff"), "kwargs": a_company},
    "mobility:directory_contact_update": {**only("staff"), "kwargs": a_contact},
    # Removing a contact is a POST: a GET is refused, to staff too.
    "mobility:directory_contact_remove": {**only("staff", status=405), "kwargs": a_contact},
    "mobility:directory_import": only("staff"),
    "mobility:directory_import_status": {**only("staff"), "kwargs": an_import},
    "mobility:directory_import_template": {**only("staff"), "kwargs": {"file_format": "xlsx"}},
}
