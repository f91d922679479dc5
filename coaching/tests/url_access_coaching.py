"""Who may open the coach portal and the entrepreneur's coaching page (checked by tests/test_urls_access.py)."""

from accounts.tests.url_access import only
from coaching.tests.factories import CoachAssignmentFactory, CoachingSessionFactory
from cohorts.tests.factories import ApplicationFactory


def the_coachs_entrepreneur(users: dict) -> dict:
    """An application assigned to the coach of the table: only they open it."""
    return {"application_pk": CoachAssignmentFactory(coach=users["coach"].coach).application_id}


def the_coachs_session(users: dict) -> dict:
    assignment = CoachAssignmentFactory(coach=users["coach"].coach)
    return {"pk": CoachingSessionFactory(coach=assignment.coach, application=assignment.application).pk}


def an_action(users: dict) -> dict:
    from coaching.models import ActionItem

    return {"pk": ActionItem.objects.create(application=ApplicationFactory(submitted=True), title="x").pk}


ACCESS = {
    "coaching:coach_home": only("coach"),
    "coaching:coach_entrepreneur": {**only("coach"), "kwargs": the_coachs_entrepreneur},
    "coaching:session_log": {**only("coach"), "kwargs": the_coachs_entrepreneur},
    "coaching:session_edit": {**only("coach"), "kwargs": the_coachs_session},
    "coaching:my_coaching": only("entrepreneur"),
    # POST only: a GET is refused (405) to the entrepreneur and the coach, hidden (404) from the others.
    "coaching:action_toggle": {**only("entrepreneur", "coach", status=405), "kwargs": an_action},
}


def a_cohort(users: dict) -> dict:
    from cohorts.tests.factories import CohortFactory

    return {"cohort_pk": CohortFactory().pk}


def an_assignment(users: dict) -> dict:
    return {"pk": CoachAssignmentFactory().pk}


ACCESS.update(
    {
        "coaching:cohort_list": only("staff"),
        "coaching:cohort_overview": {**only("staff"), "kwargs": a_cohort},
        "coaching:cohort_export": {**only("staff"), "kwargs": a_cohort},
        # POST only: a GET is refused (405) to staff, hidden (404) from the others.
        "coaching:cohort_assign": {**only("staff", status=405), "kwargs": a_cohort},
        "coaching:assignment_end": {**only("staff", status=405), "kwargs": an_assignment},
    }
)


def the_coachs_event(users: dict) -> dict:
    from coaching.tests.factories import GroupEventFactory

    assignment = CoachAssignmentFactory(coach=users["coach"].coach)
    return {"pk": GroupEventFactory(cohort=assignment.application.cohort).pk}


ACCESS.update(
    {
        "coaching:event_list": only("coach"),
        "coaching:event_create": only("coach"),
        "coaching:event_attendance": {**only("coach"), "kwargs": the_coachs_event},
    }
)
