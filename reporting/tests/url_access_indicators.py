"""Who may open the indicators pages: staff, and committee members and evaluators (read-only, their
own programmes); values entered by hand and snapshots: staff only."""

from accounts.tests.url_access import only


def _committee_programme(users) -> dict:
    """The programme the committee member of the access test belongs to (any programme does for staff)."""
    from cohorts.models import ProgrammeMembership

    return {"programme_pk": ProgrammeMembership.objects.filter(user=users["committee"]).values_list("programme_id", flat=True)[0]}


ACCESS = {
    "reporting:indicators": only("staff", "committee", "evaluator"),
    "reporting:indicators_export": only("staff", "committee", "evaluator"),
    "reporting:indicator_value_add": {**only("staff"), "kwargs": _committee_programme},
    "reporting:indicators_freeze": {**only("staff"), "kwargs": _committee_programme},
}
