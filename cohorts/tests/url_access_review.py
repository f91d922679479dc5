"""Who may open the pages of the review area (checked by tests/test_urls_access.py)."""

from accounts.tests.url_access import only
from cohorts.tests.factories import ApplicationFactory, CohortFactory, ReviewFactory


def a_cohort(users: dict) -> dict:
    return {"pk": CohortFactory().pk}


def the_reviewers_review(users: dict) -> dict:
    """A review assigned to the reviewer of the table: only they may open it."""
    return {"pk": ReviewFactory(reviewer=users["reviewer"], application=ApplicationFactory(submitted=True)).pk}


ACCESS = {
    "cohorts:review_list": only("reviewer"),
    "cohorts:review_score": {**only("reviewer"), "kwargs": the_reviewers_review},
    "cohorts:review_conflict": {**only("reviewer"), "kwargs": the_reviewers_review},
    "cohorts:review_board": {**only("staff"), "kwargs": a_cohort},
    # POST only: a GET is refused (405) to staff, the page does not exist (404) for the others.
    "cohorts:review_assign": {**only("staff", status=405), "kwargs": a_cohort},
    "cohorts:review_assign_balanced": {**only("staff", status=405), "kwargs": a_cohort},
}
