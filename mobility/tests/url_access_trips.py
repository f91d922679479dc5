"""Who may open the trip pages (checked by tests/test_urls_access.py): staff the trips and meetings of
everyone; the entrepreneur their own trip, read-only; the committee sees aggregates only (reporting),
no trip page; coaches, reviewers and evaluators none."""

from accounts.tests.url_access import only
from cohorts.tests.factories import ApplicationFactory

from .factories import B2BMeetingFactory, TripCostFactory, TripFactory


def a_trip(users: dict) -> dict:
    return {"pk": TripFactory().pk}


def a_meeting(users: dict) -> dict:
    return {"pk": B2BMeetingFactory().pk}


def a_cost(users: dict) -> dict:
    return {"pk": TripCostFactory().pk}


def the_entrepreneurs_trip(users: dict) -> dict:
    application = ApplicationFactory(entrepreneur=users["entrepreneur"].entrepreneur, submitted=True)
    return {"pk": TripFactory(application=application).pk}


ACCESS = {
    "mobility:trip_list": only("staff"),
    "mobility:trip_create": only("staff"),
    "mobility:trip_detail": {**only("staff"), "kwargs": a_trip},
    "mobility:trip_edit": {**only("staff"), "kwargs": a_trip},
    "mobility:trip_ics": {**only("staff"), "kwargs": a_trip},
    "mobility:meeting_add": {**only("staff"), "kwargs": a_trip},
    "mobility:cost_add": {**only("staff"), "kwargs": a_trip},
    "mobility:meeting_list": only("staff"),
    "mobility:meeting_edit": {**only("staff"), "kwargs": a_meeting},
    "mobility:meeting_outcome": {**only("staff"), "kwargs": a_meeting},
    # POST only: a GET is refused (405) to staff, hidden (404) from the others.
    "mobility:trip_status": {**only("staff", status=405), "kwargs": a_trip},
    "mobility:meeting_cancel": {**only("staff", status=405), "kwargs": a_meeting},
    "mobility:cost_remove": {**only("staff", status=405), "kwargs": a_cost},
    "mobility:my_trip": only("entrepreneur"),
    "mobility:my_trip_ics": {**only("entrepreneur"), "kwargs": the_entrepreneurs_trip},
}
