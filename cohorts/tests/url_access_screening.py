"""Who may open the screening pages (staff only); see tests/test_urls_access.py."""

from accounts.tests.url_access import only
from cohorts.tests.factories import CohortFactory


def a_cohort(users: dict) -> dict:
    return {"pk": CohortFactory().pk}


ACCESS = {
    "cohorts:criteria_cohort_list": only("staff"),
    "cohorts:criteria_edit": {**only("staff"), "kwargs": a_cohort},
    # POST only: a GET is refused (405) to staff, and hidden (404) from the other roles.
    "cohorts:criteria_preview": {**only("staff", status=405), "kwargs": a_cohort},
    "cohorts:criteria_rescreen": {**only("staff", status=405), "kwargs": a_cohort},
    "cohorts:criteria_rescreen_status": {**only("staff"), "kwargs": a_cohort},
}
