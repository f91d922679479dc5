"""Who may open the impact pages (persistence, comparison): the indicators page's readers, staff and
the committee members and evaluators of the programme (another programme: see test_impact.py)."""

from accounts.tests.url_access import only

ACCESS = {
    "reporting:persistence": only("staff", "committee", "evaluator"),
    "reporting:comparison": only("staff", "committee", "evaluator"),
}
