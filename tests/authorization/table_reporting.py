"""Authorization matrix, indicators, evaluations, reports and the dashboard: (kwargs, GET answers, POST answers) per URL.

Format and visitors: tests/authorization/matrix.py and world.py. Checked by tests/test_authorization_matrix.py."""

# fmt: off
TABLE = {
    "reporting:indicators": ("", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404"),
    "reporting:indicators_export": ("", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404"),
    "reporting:indicator_value_add": ("programme_pk=@programme", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "reporting:indicators_freeze": ("programme_pk=@programme", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "reporting:evaluation_index": ("", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404"),
    "reporting:evaluation_list": ("programme_pk=@programme", "anonymous,belgian_link:login staff,committee_same_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,evaluator:200 *:404"),
    "reporting:evaluation_create": ("programme_pk=@programme", "anonymous,belgian_link:login staff,evaluator:200 *:404", "anonymous,belgian_link:login staff,evaluator:200 *:404"),
    "reporting:evaluation_detail": ("pk=@evaluation", "anonymous,belgian_link:login staff,committee_same_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,evaluator:200 *:404"),
    "reporting:evaluation_edit": ("pk=@evaluation", "anonymous,belgian_link:login staff,evaluator:200 *:404", "anonymous,belgian_link:login staff,evaluator:200 *:404"),
    "reporting:evaluation_criterion_edit": ("pk=@evaluation criterion=relevance", "anonymous,belgian_link:login staff,evaluator:200 *:404", "anonymous,belgian_link:login staff,evaluator:200 *:404"),
    "reporting:evaluation_item_create": ("pk=@evaluation kind=lesson", "anonymous,belgian_link:login staff,evaluator:200 *:404", "anonymous,belgian_link:login staff,evaluator:200 *:404"),
    "reporting:evaluation_item_edit": ("pk=@evaluation kind=question item_pk=@question", "anonymous,belgian_link:login staff,evaluator:200 *:404", "anonymous,belgian_link:login staff,evaluator:200 *:404"),
    "reporting:evaluation_item_delete": ("pk=@evaluation kind=question item_pk=@question", "anonymous,belgian_link:login staff,evaluator:200 *:404", "anonymous,belgian_link:login staff,evaluator:302 *:404"),
    "reporting:evaluation_response_edit": ("pk=@evaluation recommendation_pk=@recommendation", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "reporting:report_list": ("", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:405 *:404"),
    "reporting:report_request": ("", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:405 *:404", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:400 *:404"),
    "reporting:report_status": ("pk=@report", "anonymous,belgian_link:login staff,committee_same_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:405 *:404"),
    "reporting:report_retry": ("pk=@report", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:405 *:404", "anonymous,belgian_link:login staff,committee_same_programme,evaluator:302 *:404"),
    "reporting:report_download": ("pk=@report", "anonymous,belgian_link:login staff,committee_same_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:405 *:404"),
    "reporting:dashboard": ("", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404"),
    "reporting:iati_export": ("pk=@programme", "anonymous,belgian_link:login staff,committee_same_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,evaluator:200 *:404"),
    "reporting:persistence": ("", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404"),
    "reporting:comparison": ("", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404", "anonymous,belgian_link:login staff,committee_same_programme,committee_other_programme,evaluator:200 *:404"),
}
# fmt: on
