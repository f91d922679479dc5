"""Who may open the mobility plan pages (checked by tests/test_urls_access.py)."""

from accounts.tests.url_access import only
from coaching.tests.factories import CoachAssignmentFactory
from cohorts.tests.factories import ApplicationFactory


def the_entrepreneurs_application(users: dict) -> dict:
    return {"application_pk": ApplicationFactory(entrepreneur=users["entrepreneur"].entrepreneur, submitted=True).pk}


def the_coachs_entrepreneur(users: dict) -> dict:
    return {"application_pk": CoachAssignmentFactory(coach=users["coach"].coach).application_id}


ACCESS = {
    "mobility:plan_edit": {**only("entrepreneur"), "kwargs": the_entrepreneurs_application},
    "mobility:plan_review": {**only("coach"), "kwargs": the_coachs_entrepreneur},
    "mobility:plan_list": only("staff"),
}
