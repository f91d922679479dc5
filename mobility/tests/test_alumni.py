"""Alumni ([9] item 6): who is an alumnus (one selector), the staff directory (search, filters, 50 a
page, queries independent of the number of rows) and the entrepreneur's answer on peer mentoring."""

import datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationFactory, CohortFactory
from mobility.models import CheckInStatus
from mobility.selectors_alumni import alumni, alumni_applications, is_alumnus
from mobility.tests.factories import FollowUpCheckInFactory, TripFactory
from partners.models import Region
from partners.tests.factories import CompanyFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

d = datetime.date
LIST = reverse("mobility:alumni_list")
MENTOR = reverse("mobility:peer_mentor_edit")
LAST_DUE = d(2024, 5, 24)


def participant(*, cohort=None, statuses=("done", "done", "missed", "done"), last_due=LAST_DUE, travelled=True, **person):
    """A selected entrepreneur back on 24/05/2023 with check-ins at +1/+3/+6/+12 months in `statuses`."""
    entrepreneur = EntrepreneurFactory(**person)
    application = ApplicationFactory(
        entrepreneur=entrepreneur, cohort=cohort or CohortFactory(), submitted=True, status="selected"
    )
    if travelled:
        TripFactory(application=application, status="completed")
    dues = [d(2023, 6, 24), d(2023, 8, 24), d(2023, 11, 24), last_due]
    for months, status, due in zip((1, 3, 6, 12), statuses, dues, strict=True):
        FollowUpCheckInFactory(
            application=application, months_after=months, due_on=due, status=status,
            completed_on=due if status == CheckInStatus.DONE else None,
        )  # fmt: skip
    return entrepreneur


def test_an_entrepreneur_whose_every_check_in_is_answered_or_closed_is_an_alumnus():
    done = participant()

    assert is_alumnus(done)
    assert list(alumni()) == [done]


def test_a_pending_check_in_a_last_check_in_still_ahead_or_no_trip_is_not_an_alumnus():
    pending = participant(statuses=("done", "done", "done", "pending"))
    ahead = participant(last_due=d(2099, 1, 1), statuses=("done", "done", "done", "missed"))
    comparison_group = participant(travelled=False)  # answered check-ins, but never travelled

    assert not any(is_alumnus(person) for person in (pending, ahead, comparison_group))
    assert alumni_applications().count() == 0


def test_an_entrepreneur_without_any_check_in_is_not_an_alumnus():
    application = ApplicationFactory(submitted=True, status="selected")
    TripFactory(application=application, status="completed")

    assert not is_alumnus(application.entrepreneur)


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=["staff"]))
    return client


def test_staff_find_alumni_by_search_cohort_sector_region_and_mentoring(staff_client):
    first, second = CohortFactory(name="Cohorte pionnière"), CohortFactory(name="Cohorte deux")
    thies = Region.objects.filter(country="SN").exclude(code="dakar").first()
    awa = participant(cohort=first, first_name="Awa", last_name="Ndiaye",
                      company=CompanyFactory(name="Baobab Jus", sector="agrifood", region="dakar"))  # fmt: skip
    awa.peer_mentor_available, awa.peer_mentor_topics = True, "Visa et distributeurs"
    awa.save()
    moussa = participant(cohort=second, first_name="Moussa", last_name="Diop",
                         company=CompanyFactory(name="Sahel Digital", sector="digital", region=thies.code))  # fmt: skip

    def names(**query) -> list[str]:
        response = staff_client.get(LIST, query)
        assert response.status_code == 200
        return [person.first_name for person, _cohort in response.context["rows"]]

    assert names() == ["Moussa", "Awa"]
    assert names(q="baobab") == ["Awa"]
    assert names(q="distributeurs") == ["Awa"]
    assert names(cohort=second.pk) == ["Moussa"]
    assert names(sector="digital") == ["Moussa"]
    assert names(region=moussa.company.region.pk) == ["Moussa"]
    assert names(mentors_only="on") == ["Awa"]
    html = staff_client.get(LIST).content.decode()
    assert "mailto:" in html and awa.email in html and "Cohorte pionnière" in html
    assert 'data-mentor="yes"' in html and "Visa et distributeurs" in html


def test_a_filter_value_that_does_not_exist_is_shown_as_an_error_not_a_500(staff_client):
    participant()

    response = staff_client.get(LIST, {"cohort": "999999", "sector": "nope"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_directory_needs_the_same_queries_for_three_alumni_or_thirty(staff_client, monkeypatch):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(LIST).status_code == 200
        return len(captured)

    for _n in range(3):
        participant()
    staff_client.get(LIST)
    few = count()
    for _n in range(27):
        participant()
    assert count() == few
    # 50 a page in use; 20 here, so that thirty make two pages
    monkeypatch.setattr("mobility.views_alumni.PAGE_SIZE", 20)
    response = staff_client.get(LIST, {"page": 2})
    assert len(response.context["rows"]) == 10 and response.context["page"].paginator.num_pages == 2
    assert "page=1" in response.content.decode()


def test_the_entrepreneur_says_they_are_available_as_a_peer_mentor(client):
    entrepreneur = participant()
    client.force_login(entrepreneur.user)

    page = client.get(MENTOR)
    assert page.status_code == 200 and 'data-alumnus="yes"' in page.content.decode()
    response = client.post(MENTOR, {"peer_mentor_available": "on", "peer_mentor_topics": "  Visa, salons  "})

    assert response.status_code == 302
    entrepreneur.refresh_from_db()
    assert entrepreneur.peer_mentor_available and entrepreneur.peer_mentor_topics == "Visa, salons"


def test_a_too_long_topic_is_refused_and_kept_on_the_form(client):
    entrepreneur = participant(statuses=("done", "done", "done", "pending"))
    client.force_login(entrepreneur.user)

    assert 'data-alumnus="no"' in client.get(MENTOR).content.decode()
    response = client.post(MENTOR, {"peer_mentor_available": "on", "peer_mentor_topics": "x" * 400})

    assert response.status_code == 200
    assert response.context["form"].errors["peer_mentor_topics"]
    assert "x" * 400 in response.content.decode()
    entrepreneur.refresh_from_db()
    assert not entrepreneur.peer_mentor_available


def test_an_entrepreneur_account_without_a_profile_gets_a_404(client):
    client.force_login(UserFactory(roles=["entrepreneur"]))

    assert client.get(MENTOR).status_code == 404
