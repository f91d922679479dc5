"""Who may open the pages of the dashboard area (merged into tests/test_urls_access.py)."""

from accounts.tests.url_access import only


def committee_programme(users: dict) -> dict:
    """The programme the committee visitor is a member of (the evaluator is a member of another one)."""
    return {"pk": users["committee"].programme_memberships.get().programme_id}


ACCESS = {
    "reporting:dashboard": only("staff", "committee", "evaluator"),
    "reporting:iati_export": {**only("staff", "committee"), "kwargs": committee_programme},
}
