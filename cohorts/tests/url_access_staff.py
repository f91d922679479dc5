"""Who may open the staff pages: application list, exports, import and selection analysis."""

from tests.url_access import only

ACCESS = {
    "cohorts:application_list": only("staff"),
    "cohorts:application_export": only("staff"),
    "cohorts:application_import": only("staff"),
    "cohorts:selection_analysis": only("staff"),
    "cohorts:selection_analysis_export": only("staff"),
}
