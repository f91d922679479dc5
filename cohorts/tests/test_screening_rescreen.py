"""Re-screening a cohort's submitted applications after its criteria changed."""

from unittest import mock

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.models import OutgoingEmail
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus, ApplicationTransition, ScreeningJob
from cohorts.services import screening
from cohorts.services.screening import cohort_rescreen
from cohorts.tests.factories import CohortFactory, EligibilityCriterionFactory
from cohorts.tests.factories_screening import applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(roles=["staff"], email="agent@pem.example")


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    EligibilityCriterionFactory(cohort=cohort, field="company_age", operator="gte", value="2", label="2 ans")
    return cohort


def statuses(cohort) -> dict[int, str]:
    return dict(cohort.applications.values_list("pk", "status"))


def test_it_moves_only_what_changes_and_a_second_run_changes_nothing(cohort, staff):
    young_submitted = applicant(cohort, company_age=1)
    old_submitted = applicant(cohort, company_age=5)
    young_eligible = applicant(cohort, company_age=1, status=ApplicationStatus.ELIGIBLE)
    old_ineligible = applicant(cohort, company_age=5, status=ApplicationStatus.INELIGIBLE)
    old_eligible = applicant(cohort, company_age=5, status=ApplicationStatus.ELIGIBLE)
    young_in_review = applicant(cohort, company_age=1, status=ApplicationStatus.UNDER_REVIEW)
    young_selected = applicant(cohort, company_age=1, status=ApplicationStatus.SELECTED)

    first = cohort_rescreen(cohort=cohort, by=staff)

    assert first == {"checked": 5, "eligible": 3, "ineligible": 2, "changed": 4, "skipped": 0}
    after_first = statuses(cohort)
    assert after_first == {
        young_submitted.pk: ApplicationStatus.INELIGIBLE,
        old_submitted.pk: ApplicationStatus.ELIGIBLE,
        young_eligible.pk: ApplicationStatus.INELIGIBLE,
        old_ineligible.pk: ApplicationStatus.ELIGIBLE,
        old_eligible.pk: ApplicationStatus.ELIGIBLE,
        young_in_review.pk: ApplicationStatus.UNDER_REVIEW,
        young_selected.pk: ApplicationStatus.SELECTED,
    }
    moves = set(ApplicationTransition.objects.values_list("application", "from_status", "to_status", "by"))
    assert moves == {
        (young_submitted.pk, "submitted", "ineligible", staff.pk),
        (old_submitted.pk, "submitted", "eligible", staff.pk),
        (young_eligible.pk, "eligible", "ineligible", staff.pk),
        (old_ineligible.pk, "ineligible", "eligible", staff.pk),
    }
    young_eligible.refresh_from_db()
    assert [item["label"] for item in young_eligible.failed_criteria] == ["2 ans"]
    assert young_eligible.is_eligible is False
    assert young_eligible.profile_snapshot["company_age"] == 1

    second = cohort_rescreen(cohort=cohort, by=staff)

    assert second == {"checked": 5, "eligible": 3, "ineligible": 2, "changed": 0, "skipped": 0}
    assert statuses(cohort) == after_first
    assert ApplicationTransition.objects.count() == 4


def test_it_judges_on_the_answers_given_at_submission(cohort, staff):
    application = applicant(cohort, company_age=5, status=ApplicationStatus.ELIGIBLE)
    snapshot = {"company_age": 1, "gender": "woman", "region": "dakar"}
    type(application).objects.filter(pk=application.pk).update(profile_snapshot=snapshot)

    cohort_rescreen(cohort=cohort, by=staff)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.INELIGIBLE
    assert application.profile_snapshot["company_age"] == 1  # kept, and completed with the other keys
    assert "is_formal" in application.profile_snapshot


def test_the_page_runs_it_and_tells_the_counts(client, cohort, staff):
    applicant(cohort, company_age=1)
    applicant(cohort, company_age=3)
    client.force_login(staff)

    response = client.post(reverse("cohorts:criteria_rescreen", kwargs={"pk": cohort.pk}), follow=True)

    html = response.content.decode()
    assert (
        "Réexamen terminé : 2 candidature(s) examinée(s), 2 changement(s) de statut (éligibles : 1, non éligibles : 1)." in html
    )
    assert response.context["screening_status"] == {"submitted": 0, "eligible": 1, "ineligible": 1, "later": 0}


def test_beyond_the_limit_it_runs_in_a_worker_after_commit_and_e_mails_the_result(
    client, cohort, staff, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    monkeypatch.setattr(screening, "RESCREEN_SYNC_LIMIT", 2)
    for age in (1, 1, 4):
        applicant(cohort, company_age=age)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("cohorts:criteria_rescreen", kwargs={"pk": cohort.pk}), follow=True)

    assert callbacks  # the task was queued after commit, not run in the request
    assert "Réexamen lancé en arrière-plan" in response.content.decode()
    assert sorted(cohort.applications.values_list("status", flat=True)) == ["eligible", "ineligible", "ineligible"]
    email = OutgoingEmail.objects.get(kind="screening_rescreen_done")
    assert email.to == "agent@pem.example"
    assert "Candidatures examinées : 3" in email.body
    assert "Changements de statut : 3" in email.body
    assert len(mailoutbox) == 1


def test_the_task_run_twice_changes_nothing_more(cohort, staff):
    from cohorts.services.screening import screening_job_request
    from cohorts.tasks_screening import cohort_rescreen_task

    applicant(cohort, company_age=1)
    first_job = screening_job_request(cohort=cohort, by=staff)
    assert cohort_rescreen_task.delay(first_job.pk).get() == "done"
    assert cohort_rescreen_task.delay(first_job.pk).get() is None  # delivered twice: claimed once
    second_job = screening_job_request(cohort=cohort, by=staff)
    assert second_job.pk != first_job.pk
    assert cohort_rescreen_task.delay(second_job.pk).get() == "done"
    first, second = (ScreeningJob.objects.get(pk=job.pk).result for job in (first_job, second_job))

    assert (first["changed"], second["changed"]) == (1, 0)
    assert ApplicationTransition.objects.count() == 1
    assert cohort_rescreen_task.delay(second_job.pk + 1000).get() is None


def test_a_get_does_not_rescreen(client, cohort, staff):
    application = applicant(cohort, company_age=1)
    client.force_login(staff)

    assert client.get(reverse("cohorts:criteria_rescreen", kwargs={"pk": cohort.pk})).status_code == 405
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_background_rescreen_has_a_job_row_whose_status_the_staff_see(
    client, cohort, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from core.jobs import BROKER_UNREACHABLE_CODE, JobStatus

    monkeypatch.setattr(screening, "RESCREEN_SYNC_LIMIT", 2)
    for age in (1, 1, 4):
        applicant(cohort, company_age=age)
    client.force_login(staff)
    status_url = reverse("cohorts:criteria_rescreen_status", kwargs={"pk": cohort.pk})

    with mock.patch("cohorts.tasks_screening.cohort_rescreen_task.delay", side_effect=OperationalError("refused")):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("cohorts:criteria_rescreen", kwargs={"pk": cohort.pk}), follow=True)
        with django_capture_on_commit_callbacks(execute=True):  # asked again while queued: joins the same job
            client.post(reverse("cohorts:criteria_rescreen", kwargs={"pk": cohort.pk}))

    job = ScreeningJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.error == BROKER_UNREACHABLE_CODE and job.requested_by == staff
    assert "Réexamen lancé en arrière-plan" in response.content.decode()
    html = client.get(reverse("cohorts:criteria_edit", kwargs={"pk": cohort.pk})).content.decode()
    assert "injoignable" in html  # the reason, in the reader's language
    assert 'id="rescreen-status"' in html and status_url in html  # the block polls while in flight

    from cohorts.tasks_screening import cohort_rescreen_task

    assert cohort_rescreen_task.delay(job.pk).get() == "done"
    job.refresh_from_db()
    assert job.result["changed"] == 3 and job.attempts == 1 and job.finished_at

    block = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "Terminé" in block and "3 candidature(s) examinée(s), 3 changement(s) de statut" in block
    assert "hx-get" not in block  # finished: the polling stops


def test_a_rescreen_stopped_by_a_bug_shows_a_plain_reason_and_logs_the_trace(client, cohort, staff, caplog):
    from cohorts.services.screening import screening_job_request, screening_job_run
    from core.jobs import UNEXPECTED_CODE, JobRetry, JobStatus

    applicant(cohort, company_age=1)
    job = screening_job_request(cohort=cohort, by=staff)
    with mock.patch.object(screening, "cohort_rescreen_notify", side_effect=ZeroDivisionError("division by zero in rule 7")):
        with pytest.raises(JobRetry):
            screening_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.error == UNEXPECTED_CODE  # tried again later, the reason shown meanwhile
    assert "division by zero in rule 7" in caplog.text
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("cohorts:criteria_edit", kwargs={"pk": cohort.pk}), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "An unexpected error stopped the processing" in html
    assert "ZeroDivisionError" not in html and "rule 7" not in html
