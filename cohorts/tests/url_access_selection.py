"""Who may open the pages of the selection area (checked by tests/test_urls_access.py)."""

from accounts.tests.url_access import only
from cohorts.tests.factories import CohortFactory


def a_cohort(users: dict) -> dict:
    return {"pk": CohortFactory().pk}


ACCESS = {
    "cohorts:selection_board": {**only("staff"), "kwargs": a_cohort},
    "cohorts:selection_shares": {**only("staff"), "kwargs": a_cohort},
    # POST only: a GET is refused (405) to staff, the page does not exist (404) for the others.
    "cohorts:selection_decide": {**only("staff", status=405), "kwargs": a_cohort},
    "cohorts:selection_notify": {**only("staff", status=405), "kwargs": a_cohort},
}
