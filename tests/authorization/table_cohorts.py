"""Authorization matrix, calls, applications, screening, review and selection: (kwargs, GET answers, POST answers) per URL.

Format and visitors: tests/authorization/matrix.py and world.py. Checked by tests/test_authorization_matrix.py."""

# fmt: off
TABLE = {
    "cohorts:call_detail": ("pk=@cohort", "*:200", "*:200"),
    "cohorts:my_applications": ("", "anonymous,belgian_link:login entrepreneur_owner,entrepreneur_other:200 *:404", "anonymous,belgian_link:login entrepreneur_owner,entrepreneur_other:200 *:404"),
    "cohorts:application_start": ("cohort_pk=@cohort", "anonymous,belgian_link:login entrepreneur_owner:302 entrepreneur_other:200 *:404", "anonymous,belgian_link:login entrepreneur_owner,entrepreneur_other:302 *:404"),
    "cohorts:application_detail": ("pk=@application", "anonymous,belgian_link:login entrepreneur_owner:200 *:404", "anonymous,belgian_link:login entrepreneur_owner:200 *:404"),
    "cohorts:application_resume": ("pk=@draft", "anonymous,belgian_link:login entrepreneur_owner:302 *:404", "anonymous,belgian_link:login entrepreneur_owner:302 *:404"),
    "cohorts:application_step": ("pk=@draft step=1", "anonymous,belgian_link:login entrepreneur_owner:200 *:404", "anonymous,belgian_link:login entrepreneur_owner:200 *:404"),
    "cohorts:application_document_download": ("pk=@application document_pk=@document", "anonymous,belgian_link:login entrepreneur_owner,reviewer_assigned,staff:200 *:404", "anonymous,belgian_link:login entrepreneur_owner,reviewer_assigned,staff:200 *:404"),
    "cohorts:application_document_remove": ("pk=@draft document_pk=@draft_document", "anonymous,belgian_link:login entrepreneur_owner,entrepreneur_other:405 *:404", "anonymous,belgian_link:login entrepreneur_owner:302 *:404"),
    "cohorts:criteria_cohort_list": ("", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:criteria_edit": ("pk=@cohort", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:criteria_preview": ("pk=@cohort", "anonymous,belgian_link:login staff:405 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:criteria_rescreen": ("pk=@cohort", "anonymous,belgian_link:login staff:405 *:404", "anonymous,belgian_link:login staff:302 *:404"),
    "cohorts:criteria_rescreen_status": ("pk=@cohort", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:405 *:404"),
    "cohorts:review_list": ("", "anonymous,belgian_link:login reviewer_assigned,reviewer_other:200 *:404", "anonymous,belgian_link:login reviewer_assigned,reviewer_other:200 *:404"),
    "cohorts:review_score": ("pk=@review", "anonymous,belgian_link:login reviewer_assigned:200 *:404", "anonymous,belgian_link:login reviewer_assigned:200 *:404"),
    "cohorts:review_conflict": ("pk=@review", "anonymous,belgian_link:login reviewer_assigned:200 *:404", "anonymous,belgian_link:login reviewer_assigned:200 *:404"),
    "cohorts:review_board": ("pk=@cohort", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:review_assign": ("pk=@cohort", "anonymous,belgian_link:login staff:405 *:404", "anonymous,belgian_link:login staff:302 *:404"),
    "cohorts:review_assign_balanced": ("pk=@cohort", "anonymous,belgian_link:login staff:405 *:404", "anonymous,belgian_link:login staff:302 *:404"),
    "cohorts:selection_board": ("pk=@cohort", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:selection_shares": ("pk=@cohort", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:selection_decide": ("pk=@cohort", "anonymous,belgian_link:login staff:405 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:selection_notify": ("pk=@cohort", "anonymous,belgian_link:login staff:405 *:404", "anonymous,belgian_link:login staff:302 *:404"),
    "cohorts:application_list": ("", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:application_staff_detail": ("pk=@application", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:302 *:404"),
    "cohorts:application_export": ("", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:application_import": ("", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:application_import_status": ("pk=@application_import", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:405 *:404"),
    "cohorts:application_import_template": ("file_format=xlsx", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:405 *:404"),
    "cohorts:application_import_mapping": ("token=00000000000000000000000000000000", "anonymous,belgian_link:login staff:302 *:404", "anonymous,belgian_link:login staff:302 *:404"),
    "cohorts:selection_analysis": ("", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "cohorts:selection_analysis_export": ("", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
}
# fmt: on
