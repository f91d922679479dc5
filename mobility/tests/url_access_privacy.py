"""Who may open the personal-data pages (checked by tests/test_urls_access.py)."""

from accounts.tests.url_access import everyone, logged_in, only
from mobility.models import PersonalDataExport
from partners.tests.factories import EntrepreneurFactory


def an_export_of_another_person(users: dict) -> dict:
    """Nobody but the person opens their export: for every visitor of the table it is someone else's."""
    from accounts.tests.factories import UserFactory

    return {"pk": PersonalDataExport.objects.create(user=UserFactory()).pk}


def a_person(users: dict) -> dict:
    return {"pk": EntrepreneurFactory().pk}


ACCESS = {
    "mobility:privacy_notice": everyone(200),
    "mobility:my_data": logged_in(200),
    "mobility:my_data_export": {**logged_in(404), "kwargs": an_export_of_another_person},
    "mobility:my_data_download": {**logged_in(404), "kwargs": an_export_of_another_person},
    "mobility:personal_data_staff": only("staff"),
    "mobility:person_anonymise": {**only("staff"), "kwargs": a_person},
    # POST only: a GET is refused (405) to staff, hidden (404) from the others.
    "mobility:retention_run_now": only("staff", status=405),
}
