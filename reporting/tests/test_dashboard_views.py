"""The steering committee's dashboard and the IATI download: who may open them, what figures they show,
and a query count that does not grow with the data."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory, ProgrammeMembershipFactory
from mobility.models import TripStatus
from mobility.tests.factories import B2BMeetingFactory, TripFactory
from partners.models import Gender
from reporting.tests.factories import ReportJobFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")


@pytest.fixture
def programme():
    return ProgrammeFactory(name="PEM Test")


def member(programme, role: str = "committee"):
    user = UserFactory(roles=[role])
    ProgrammeMembershipFactory(programme=programme, user=user, role=role)
    return user


def travelled(cohort, *, gender=Gender.WOMAN, meetings: int = 1):
    application = ApplicationFactory(
        cohort=cohort, submitted=True, status=ApplicationStatus.SELECTED, entrepreneur__gender=gender
    )
    trip = TripFactory(application=application, status=TripStatus.COMPLETED)
    for _ in range(meetings):
        B2BMeetingFactory(trip=trip)
    return application


# --------------------------------------------------------------------------------------------------
# Access
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["committee", "evaluator"])
def test_a_member_of_the_programme_sees_its_dashboard(client, programme, role):
    client.force_login(member(programme, role))

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert response.context["programme"] == programme
    assert "PEM Test" in response.content.decode()


def test_a_committee_member_of_another_programme_does_not_see_it(client, programme):
    other = member(ProgrammeFactory(name="Autre programme"))
    client.force_login(other)

    assert client.get(DASHBOARD, {"programme": programme.pk}).status_code == 404
    response = client.get(DASHBOARD)
    assert response.context["programmes"] == [other.programme_memberships.get().programme]
    assert "PEM Test" not in response.content.decode()


def test_a_committee_member_who_coaches_in_another_programme_sees_only_the_committee_one(client, programme):
    user = member(programme)
    coached = ProgrammeFactory(name="Programme coaché")
    user.groups.add(*UserFactory(roles=["coach"]).groups.all())
    ProgrammeMembershipFactory(programme=coached, user=user, role="coach")
    client.force_login(user)

    assert client.get(DASHBOARD, {"programme": coached.pk}).status_code == 404
    assert client.get(DASHBOARD).context["programmes"] == [programme]


def test_staff_see_every_programme(client, programme):
    other = ProgrammeFactory()
    client.force_login(UserFactory(roles=["staff"]))

    assert client.get(DASHBOARD, {"programme": other.pk}).context["programme"] == other
    assert set(client.get(DASHBOARD).context["programmes"]) == {programme, other}


def test_an_entrepreneur_gets_a_404_even_as_a_member(client, programme):
    application = ApplicationFactory(cohort__programme=programme)
    user = application.entrepreneur.user
    ProgrammeMembershipFactory(programme=programme, user=user, role="entrepreneur")
    client.force_login(user)

    assert client.get(DASHBOARD).status_code == 404
    assert client.get(reverse("reporting:iati_export", kwargs={"pk": programme.pk})).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, programme):
    for url in (DASHBOARD, reverse("reporting:iati_export", kwargs={"pk": programme.pk})):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("query", [{"cohort": "x"}, {"programme": "1 OR 1=1"}, {"cohort": "999999"}])
def test_tampered_parameters_are_a_404(client, programme, query):
    client.force_login(member(programme))
    assert client.get(DASHBOARD, query).status_code == 404


def test_a_cohort_of_another_programme_is_a_404(client, programme):
    client.force_login(member(programme))
    other_cohort = CohortFactory()

    assert client.get(DASHBOARD, {"programme": programme.pk, "cohort": other_cohort.pk}).status_code == 404


def test_a_member_without_programme_sees_an_empty_page(client):
    client.force_login(UserFactory(roles=["committee"]))

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert response.context["programme"] is None


# --------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------


def test_the_page_shows_figures_counted_from_the_rows(client, programme):
    cohort_1, cohort_2 = CohortFactory(programme=programme), CohortFactory(programme=programme)
    travelled(cohort_1, meetings=2)
    travelled(cohort_1, gender=Gender.MAN)
    travelled(cohort_2)
    ApplicationFactory(cohort=cohort_2, submitted=True)  # applied, not selected
    ApplicationFactory(cohort=cohort_2)  # a draft is not counted
    client.force_login(member(programme))

    response = client.get(DASHBOARD)

    html = response.content.decode()
    assert 'data-figure="applications">4<' in html
    assert 'data-figure="selected">3<' in html
    assert 'data-figure="travelled">3<' in html
    assert 'data-figure="belgian_companies_met">4<' in html
    women = {row["stage"].key: (row["women"], row["share"]) for row in response.context["women_by_stage"]}
    assert women["applications"] == (3, Decimal("75.0"))
    assert women["travelled"] == (2, Decimal("66.7"))
    per_cohort = {row["cohort"]: row["counts"] for row in response.context["cohort_rows"]}
    # applications, eligible (a selected application passed screening), selected, travelled
    assert per_cohort[cohort_1][:4] == [2, 2, 2, 2] and per_cohort[cohort_2][:4] == [2, 1, 1, 1]

    one_cohort = client.get(DASHBOARD, {"programme": programme.pk, "cohort": cohort_2.pk})
    assert 'data-figure="applications">2<' in one_cohort.content.decode()
    assert one_cohort.context["cohort_rows"] == []


def test_the_charts_are_drawn_inline(client, programme):
    travelled(CohortFactory(programme=programme))
    client.force_login(member(programme))

    html = client.get(DASHBOARD).content.decode()

    assert html.count("<svg") >= 5
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_only_finished_reports_of_the_programme_are_listed(client, programme):
    done = ReportJobFactory(programme=programme, kind="committee", status="done", sha256="a" * 64, error="", language="en")
    ReportJobFactory(programme=programme, kind="dac", status="failed")
    ReportJobFactory(kind="committee", status="done", sha256="b" * 64, error="")  # another programme
    client.force_login(member(programme))

    response = client.get(DASHBOARD)

    assert [job for job, _url in response.context["reports"]] == [done]
    assert "Note au comité de pilotage" in response.content.decode()


def test_the_iati_file_downloads_as_an_xml_attachment(client, programme):
    client.force_login(member(programme, "evaluator"))

    response = client.get(reverse("reporting:iati_export", kwargs={"pk": programme.pk}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response["Content-Disposition"] == f'attachment; filename="iati-{programme.code}.xml"'
    assert b'<iati-activities version="2.03"' in response.content


def test_the_iati_file_of_another_programme_is_a_404(client, programme):
    client.force_login(member(ProgrammeFactory()))
    assert client.get(reverse("reporting:iati_export", kwargs={"pk": programme.pk})).status_code == 404


# --------------------------------------------------------------------------------------------------
# Query count
# --------------------------------------------------------------------------------------------------


def _queries(client, programme) -> int:
    """The queries of a visit whose figures are computed (not read from the cache: an empty cache, as after
    any write; reporting/tests/test_indicators_cache.py counts the cached visit)."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(DASHBOARD, {"programme": programme.pk}).status_code == 200
    return len(context.captured_queries)


def test_the_query_count_does_not_grow_with_the_data(client, programme):
    cohorts = [CohortFactory(programme=programme) for _ in range(2)]
    for i in range(3):
        travelled(cohorts[i % 2])
    ReportJobFactory(programme=programme, status="done", sha256="a" * 64, error="")
    client.force_login(member(programme))
    _queries(client, programme)  # the first visit remembers the programme chosen in the session (one write)
    small = _queries(client, programme)

    for i in range(27):
        travelled(cohorts[i % 2], meetings=2)
    for _ in range(10):
        ReportJobFactory(programme=programme, status="done", sha256="a" * 64, error="")

    # session + user + roles; programmes; cohorts; reports; about twenty indicator aggregations: the same
    # number at 3 and at 30 travellers.
    assert _queries(client, programme) == small
    assert small <= 40


# --------------------------------------------------------------------------------------------------
# Reports from the dashboard
# --------------------------------------------------------------------------------------------------


def test_a_member_asks_for_the_committee_brief_in_english_from_the_dashboard(
    client, programme, django_capture_on_commit_callbacks
):
    from reporting.models import ReportJob

    client.force_login(member(programme))
    html = client.get(DASHBOARD).content.decode()
    assert f'action="{reverse("reporting:report_request")}"' in html
    assert 'name="kind" value="dac"' not in html  # no evaluation yet: no DAC report to ask for

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("reporting:report_request"), {"kind": "committee", "programme": programme.pk, "language": "en"}
        )

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert (job.kind, job.programme, job.cohort, job.language) == ("committee", programme, None, "en")


def test_the_dac_report_is_offered_once_the_programme_has_an_evaluation_and_the_cohort_report_per_cohort(client, programme):
    from reporting.tests.factories import EvaluationFactory

    EvaluationFactory(programme=programme)
    cohort = CohortFactory(programme=programme)
    client.force_login(member(programme))

    kinds = [(item["kind"], item["cohort"]) for item in client.get(DASHBOARD).context["report_requests"]]
    assert kinds == [("dac", None), ("committee", None)]
    kinds = [
        (item["kind"], item["cohort"])
        for item in client.get(DASHBOARD, {"programme": programme.pk, "cohort": cohort.pk}).context["report_requests"]
    ]
    assert kinds == [("dac", None), ("committee", None), ("cohort", cohort)]


def test_finished_reports_link_to_their_download(client, programme):
    done = ReportJobFactory(programme=programme, kind="committee", status="done", sha256="a" * 64, error="")
    client.force_login(member(programme))

    html = client.get(DASHBOARD).content.decode()

    assert reverse("reporting:report_download", kwargs={"pk": done.pk}) in html
