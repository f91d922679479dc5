"""Who may open the visa pages (checked by tests/test_urls_access.py). Documents open only through
their download view: staff and the file's entrepreneur; nobody else learns that they exist."""

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.url_access import everyone, logged_in, only
from cohorts.tests.factories import ApplicationFactory
from mobility.tests.factories import VisaDocumentFactory, VisaFileFactory


def a_visa_file(users: dict) -> dict:
    return {"pk": VisaFileFactory().pk}


def an_application(users: dict) -> dict:
    return {"application_pk": ApplicationFactory(submitted=True).pk}


def the_entrepreneurs_document(users: dict) -> dict:
    application = ApplicationFactory(entrepreneur=users["entrepreneur"].entrepreneur, submitted=True)
    document = VisaDocumentFactory(
        visa_file=VisaFileFactory(application=application),
        content_type="application/pdf",
        uploaded_at=timezone.now(),
        original_name="passeport.pdf",
    )
    document.file.save("doc", ContentFile(b"%PDF-1.4 test"), save=True)
    return {"document_pk": document.pk}


ACCESS = {
    "mobility:visa_board": only("staff"),
    "mobility:visa_file": {**only("staff"), "kwargs": a_visa_file},
    # POST only: a GET is refused (405) to staff, hidden (404) from the others.
    "mobility:visa_file_open": {**only("staff", status=405), "kwargs": an_application},
    "mobility:visa_passport_set": {**only("staff", status=405), "kwargs": a_visa_file},
    "mobility:visa_status_change": {**only("staff", status=405), "kwargs": a_visa_file},
    "mobility:visa_letters_request": {**only("staff", status=405), "kwargs": a_visa_file},
    "mobility:my_visa": only("entrepreneur"),
    # POST only, for anyone logged in (the file or document is then checked: 404 to outsiders).
    "mobility:visa_document_upload": {**logged_in(405), "kwargs": a_visa_file},
    "mobility:visa_document_remove": {**logged_in(405), "kwargs": the_entrepreneurs_document},
    "mobility:visa_document_download": {
        **everyone(404),
        "anonymous": 302,
        "staff": 200,
        "entrepreneur": 200,
        "kwargs": the_entrepreneurs_document,
    },
}
