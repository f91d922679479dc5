"""Who may open the applicant's pages (merged into tests/test_urls_access.py). The objects belong to the
"entrepreneur" visitor: other entrepreneurs' ids are covered in test_apply_access.py."""

from accounts.tests.url_access import only
from cohorts.tests.factories import ApplicationDocumentFactory, ApplicationFactory, CohortFactory


def own_application(users: dict) -> dict:
    return {"pk": ApplicationFactory(entrepreneur=users["entrepreneur"].entrepreneur).pk}


def own_application_step(users: dict) -> dict:
    return {**own_application(users), "step": 1}


def open_cohort(users: dict) -> dict:
    return {"cohort_pk": CohortFactory().pk}


def own_document(users: dict) -> dict:
    application = ApplicationFactory(entrepreneur=users["entrepreneur"].entrepreneur, submitted=True)
    return {"pk": application.pk, "document_pk": ApplicationDocumentFactory(application=application).pk}


ACCESS = {
    "cohorts:my_applications": only("entrepreneur"),
    "cohorts:application_start": {**only("entrepreneur"), "kwargs": open_cohort},
    "cohorts:application_detail": {**only("entrepreneur"), "kwargs": own_application},
    # Sends on to the step where the draft stopped.
    "cohorts:application_resume": {**only("entrepreneur", status=302), "kwargs": own_application},
    "cohorts:application_step": {**only("entrepreneur"), "kwargs": own_application_step},
    # Documents: their owner and staff only.
    "cohorts:application_document_download": {
        **only("staff", "entrepreneur"),
        "kwargs": own_document,
    },  # a reviewer not assigned: 404
    # Removing a document is a POST.
    "cohorts:application_document_remove": {**only("entrepreneur", status=405), "kwargs": own_document},
}
