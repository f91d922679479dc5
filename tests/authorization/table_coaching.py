"""Authorization matrix, the coach portal, the entrepreneur's coaching page and the staff's coaching pages: (kwargs, GET answers, POST answers) per URL.

Format and visitors: tests/authorization/matrix.py and world.py. Checked by tests/test_authorization_matrix.py."""

# fmt: off
TABLE = {
    "coaching:coach_home": ("", "anonymous,belgian_link:login coach_assigned,coach_other:200 *:404", "anonymous,belgian_link:login coach_assigned,coach_other:200 *:404"),
    "coaching:coach_entrepreneur": ("application_pk=@application", "anonymous,belgian_link:login coach_assigned:200 *:404", "anonymous,belgian_link:login coach_assigned:200 *:404"),
    "coaching:session_log": ("application_pk=@application", "anonymous,belgian_link:login coach_assigned:200 *:404", "anonymous,belgian_link:login coach_assigned:200 *:404"),
    "coaching:session_edit": ("pk=@session", "anonymous,belgian_link:login coach_assigned:200 *:404", "anonymous,belgian_link:login coach_assigned:200 *:404"),
    "coaching:event_list": ("", "anonymous,belgian_link:login coach_assigned,coach_other:200 *:404", "anonymous,belgian_link:login coach_assigned,coach_other:200 *:404"),
    "coaching:event_create": ("", "anonymous,belgian_link:login coach_assigned,coach_other:200 *:404", "anonymous,belgian_link:login coach_assigned,coach_other:200 *:404"),
    "coaching:event_attendance": ("pk=@event", "anonymous,belgian_link:login coach_assigned:200 *:404", "anonymous,belgian_link:login coach_assigned:200 *:404"),
    "coaching:my_coaching": ("", "anonymous,belgian_link:login entrepreneur_owner,entrepreneur_other:200 *:404", "anonymous,belgian_link:login entrepreneur_owner,entrepreneur_other:200 *:404"),
    "coaching:action_toggle": ("pk=@action", "anonymous,belgian_link:login entrepreneur_owner,entrepreneur_other,coach_assigned,coach_other:405 *:404", "anonymous,belgian_link:login entrepreneur_owner,coach_assigned:302 *:404"),
    "coaching:cohort_list": ("", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "coaching:cohort_overview": ("cohort_pk=@cohort", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "coaching:cohort_assign": ("cohort_pk=@cohort", "anonymous,belgian_link:login staff:405 *:404", "anonymous,belgian_link:login staff:400 *:404"),
    "coaching:cohort_export": ("cohort_pk=@cohort", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404"),
    "coaching:assignment_end": ("pk=@assignment", "anonymous,belgian_link:login staff:405 *:404", "anonymous,belgian_link:login staff:302 *:404"),
}
# fmt: on
