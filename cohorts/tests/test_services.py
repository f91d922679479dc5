import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus, ApplicationTransition
from cohorts.services import application_transition
from cohorts.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_it_records_each_move_with_who_and_when():
    staff = UserFactory(roles=["staff"])
    application = ApplicationFactory()

    application_transition(application=application, to_status=ApplicationStatus.SUBMITTED, by=application.entrepreneur.user)
    application_transition(application=application, to_status=ApplicationStatus.ELIGIBLE, by=staff, note="criteria ok")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE
    assert application.submitted_at is not None
    assert application.is_eligible is True
    moves = list(ApplicationTransition.objects.filter(application=application).values_list("from_status", "to_status", "by"))
    assert moves == [
        ("draft", "submitted", application.entrepreneur.user.pk),
        ("submitted", "eligible", staff.pk),
    ]


def test_it_refuses_a_move_the_state_machine_does_not_allow():
    application = ApplicationFactory()

    with pytest.raises(ValidationError) as error:
        application_transition(application=application, to_status=ApplicationStatus.SELECTED)

    assert error.value.code == "invalid_transition"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not ApplicationTransition.objects.exists()


def test_it_starts_from_the_status_in_the_database_not_a_stale_copy():
    application = ApplicationFactory()
    stale = type(application).objects.get(pk=application.pk)
    application_transition(application=application, to_status=ApplicationStatus.SUBMITTED)

    # The stale copy still says "draft"; the service must read the row and refuse draft → submitted twice.
    with pytest.raises(ValidationError):
        application_transition(application=stale, to_status=ApplicationStatus.SUBMITTED)
    assert ApplicationTransition.objects.count() == 1


def test_history_says_who_changed_the_application():
    staff = UserFactory(roles=["staff"])
    application = ApplicationFactory(submitted=True)

    application_transition(application=application, to_status=ApplicationStatus.INELIGIBLE, by=staff)

    last = application.history.latest()
    assert last.status == ApplicationStatus.INELIGIBLE
    assert last.history_change_reason == "submitted → ineligible"


def test_screening_stores_the_failing_criteria_and_moves_the_application():
    from cohorts.models import EligibilityCriterion
    from cohorts.services import application_screen

    application = ApplicationFactory(submitted=True, entrepreneur__company__is_formal=False)
    EligibilityCriterion.objects.create(cohort=application.cohort, field="is_formal", operator="true", label="Formelle")
    EligibilityCriterion.objects.create(
        cohort=application.cohort, field="employees", operator="gte", value="3", label="3 employés"
    )
    EligibilityCriterion.objects.create(
        cohort=application.cohort, field="is_diaspora", operator="true", label="Off", is_active=False
    )

    assert application_screen(application=application) is False

    application.refresh_from_db()
    assert application.status == ApplicationStatus.INELIGIBLE
    assert [f["label"] for f in application.failed_criteria] == ["Formelle"]
    assert application.profile_snapshot["employees"] == 8
    assert application.transitions.last().note == "Critères non remplis : Formelle"
