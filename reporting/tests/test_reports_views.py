"""The report pages: ask, follow (htmx polling that stops), download only for the programme's readers."""

from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import CohortFactory, ProgrammeFactory, ProgrammeMembershipFactory
from partners.tests.factories import EntrepreneurFactory
from reporting.models import JobStatus, ReportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory()


@pytest.fixture
def member(programme):
    """A steering-committee member of the programme."""
    user = UserFactory(roles=[Role.COMMITTEE])
    ProgrammeMembershipFactory(user=user, programme=programme, role=Role.COMMITTEE)
    return user


def done_job(programme, **kwargs) -> ReportJob:
    job = ReportJob.objects.create(
        programme=programme, kind="committee", language="fr", status="done", sha256="c" * 64, size=12, **kwargs
    )
    job.file.save("r.pdf", ContentFile(b"%PDF-1.7 fake"), save=True)
    return job


# --- Download -----------------------------------------------------------------------------------------


def test_a_committee_member_downloads_the_report_as_an_attachment(client, programme, member):
    job = done_job(programme)
    client.force_login(member)

    response = client.get(reverse("reporting:report_download", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{programme.code}-committee-fr-{job.pk}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.7 fake"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("visitor", ["committee_elsewhere", "evaluator_elsewhere", "entrepreneur", "coach_member"])
def test_others_get_a_404(client, programme, visitor):
    job = done_job(programme)
    if visitor == "entrepreneur":
        user = EntrepreneurFactory().user
    elif visitor == "coach_member":  # a member of the programme, but in a role that does not read reports
        user = UserFactory(roles=[Role.COACH])
        ProgrammeMembershipFactory(user=user, programme=programme, role=Role.COACH)
    else:
        role = Role.COMMITTEE if visitor == "committee_elsewhere" else Role.EVALUATOR
        user = UserFactory(roles=[role])
        ProgrammeMembershipFactory(user=user, role=role)
    client.force_login(user)

    assert client.get(reverse("reporting:report_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("reporting:report_status", args=[job.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, programme):
    job = done_job(programme)
    response = client.get(reverse("reporting:report_download", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_report_not_finished_cannot_be_downloaded(client, programme, member):
    job = ReportJob.objects.create(programme=programme, kind="committee", language="fr")
    client.force_login(member)
    assert client.get(reverse("reporting:report_download", args=[job.pk])).status_code == 404


# --- Asking and following ------------------------------------------------------------------------------


def test_asking_for_a_report_redirects_to_its_status_page(client, programme, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    with mock.patch("reporting.tasks_reports.report_render.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("reporting:report_request"), {"kind": "committee", "programme": programme.pk, "language": "en"}
            )

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_status", args=[job.pk])
    assert job.language == "en" and job.requested_by == member
    delay.assert_called_once_with(job.pk)


@pytest.mark.parametrize("tampered", ["other_programme", "cohort_elsewhere", "unknown_kind", "missing_cohort"])
def test_tampered_or_incomplete_requests_get_a_form_error_not_a_500(client, programme, member, tampered):
    data = {"kind": "committee", "programme": programme.pk, "language": "fr"}
    if tampered == "other_programme":
        data["programme"] = ProgrammeFactory().pk
    elif tampered == "cohort_elsewhere":
        data.update(kind="cohort", cohort=CohortFactory().pk)
    elif tampered == "unknown_kind":
        data["kind"] = "everything"
    else:
        data["kind"] = "cohort"
    client.force_login(member)

    response = client.post(reverse("reporting:report_request"), data)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert not ReportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_when_the_broker_is_down_the_user_is_told_and_the_job_waits(client):
    programme = ProgrammeFactory()
    staff = UserFactory(roles=[Role.STAFF])
    client.force_login(staff)

    with mock.patch("reporting.tasks_reports.report_render.delay", side_effect=OperationalError("Connection refused")):
        response = client.post(
            reverse("reporting:report_request"), {"kind": "committee", "programme": programme.pk, "language": "fr"}, follow=True
        )

    job = ReportJob.objects.get()
    assert job.status == JobStatus.QUEUED
    html = response.content.decode()
    assert "injoignable" in html
    assert reverse("reporting:report_retry", args=[job.pk]) in html  # the retry button

    with mock.patch("reporting.tasks_reports.report_render.delay") as delay:
        client.post(reverse("reporting:report_retry", args=[job.pk]))
    delay.assert_called_once_with(job.pk)
    job.refresh_from_db()
    assert job.error == ""


def test_the_status_block_polls_while_the_report_is_made_and_stops_after(client, programme, member):
    job = ReportJob.objects.create(programme=programme, kind="committee", language="fr", status="running", progress=50)
    client.force_login(member)
    url = reverse("reporting:report_status", args=[job.pk])

    running = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in running
    assert "50 %" in running
    assert "<html" not in running  # only the block

    ReportJob.objects.filter(pk=job.pk).update(status="failed", error="WeasyPrint : police manquante")
    failed = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in failed
    assert "police manquante" in failed
    assert reverse("reporting:report_retry", args=[job.pk]) in failed

    done = done_job(programme)
    page = client.get(reverse("reporting:report_status", args=[done.pk])).content.decode()
    assert "hx-trigger" not in page
    assert reverse("reporting:report_download", args=[done.pk]) in page


def test_retrying_a_failed_report_asks_for_it_again(client, programme, member, django_capture_on_commit_callbacks):
    failed = ReportJob.objects.create(programme=programme, kind="committee", language="fr", status="failed", error="boom")
    client.force_login(member)

    with mock.patch("reporting.tasks_reports.report_render.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reporting:report_retry", args=[failed.pk]))

    new = ReportJob.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == reverse("reporting:report_status", args=[new.pk])
    delay.assert_called_once_with(new.pk)


def test_the_list_costs_the_same_queries_at_3_and_30_jobs(client, programme, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cohort = CohortFactory(programme=programme)
    client.force_login(member)

    def jobs_and_queries(total: int) -> tuple[str, int]:
        while ReportJob.objects.count() < total:
            n = ReportJob.objects.count()
            ReportJob.objects.create(
                programme=programme,
                kind="cohort",
                cohort=cohort,
                language="fr",
                status="failed",
                error=f"e{n}",
                requested_by=member,
            )
        # session, user, roles, the jobs (programme, cohort and requester joined), the form's programmes
        # and cohorts: the same queries whatever the number of jobs.
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reporting:report_list"))
        assert response.status_code == 200
        return response.content.decode(), len(queries.captured_queries)

    html_3, queries_3 = jobs_and_queries(3)
    html_30, queries_30 = jobs_and_queries(30)

    assert queries_3 == queries_30
    assert html_3.count("/reports/") < html_30.count("/reports/")
    assert html_30.count(member.get_full_name()) >= 30  # the requester, joined in the same query
