"""Group events (Boostcamps, trainings, group coaching): a coach creates one for a cohort they coach in
and ticks the attendance in one screen; saving again updates, never duplicates; the coach's time counts
once; another cohort's event is a 404; bad input gives a message."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachAssignment, CoachingSession, EventAttendance, GroupEvent
from coaching.selectors import coach_workload
from coaching.tests.factories import CoachAssignmentFactory, GroupEventFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory
from partners.tests.factories import CoachFactory

pytestmark = pytest.mark.django_db


def test_a_coach_creates_a_boostcamp_and_ticks_who_came_in_one_screen(client):
    assignment = CoachAssignmentFactory(application__status=ApplicationStatus.SELECTED)
    cohort = assignment.application.cohort
    others = [ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.SELECTED) for _ in range(2)]
    client.force_login(assignment.coach.user)
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    bad = client.post(
        reverse("coaching:event_create"),
        {"cohort": cohort.pk, "kind": "boostcamp", "title": "Boostcamp", "day": day, "starts": "14:00", "ends": "09:00"},
    )
    assert bad.status_code == 200 and "après le début" in bad.content.decode() and not GroupEvent.objects.exists()
    response = client.post(
        reverse("coaching:event_create"),
        {
            "cohort": cohort.pk,
            "kind": "boostcamp",
            "title": "Boostcamp Dakar",
            "day": day,
            "starts": "09:00",
            "ends": "17:00",
            "location": "Dakar",
        },
    )
    event = GroupEvent.objects.get()
    assert response["Location"] == reverse("coaching:event_attendance", args=[event.pk])
    url = reverse("coaching:event_attendance", args=[event.pk])
    page = client.get(url).content.decode()
    assert all(str(a.entrepreneur) in page for a in [assignment.application, *others])
    CoachAssignment.objects.create(application=others[0], coach=assignment.coach)
    present = [assignment.application.pk, others[0].pk]
    client.post(url, {"present": present, "i_led_it": "on"})
    client.post(url, {"present": present, "i_led_it": "on"})  # saved twice
    assert EventAttendance.objects.filter(event=event, attended=True).count() == 2
    assert EventAttendance.objects.filter(event=event, attended=False).count() == 1
    assert CoachingSession.objects.filter(event=event).count() == 2
    # Present but not coached by this coach: attendance recorded, no session in their name.
    client.post(url, {"present": [*present, others[1].pk], "i_led_it": "on"})
    assert EventAttendance.objects.get(event=event, application=others[1]).attended
    assert not CoachingSession.objects.filter(event=event, application=others[1]).exists()
    session = CoachingSession.objects.filter(event=event).first()
    assert client.get(reverse("coaching:session_edit", args=[session.pk]))["Location"] == url
    workload = coach_workload(cohort)
    assert [(row["minutes"], row["sessions"]) for row in workload] == [(480, 1)]  # 8 hours once, not 16
    client.post(url, {"present": [assignment.application.pk], "i_led_it": "on"})  # one was ticked by mistake
    assert CoachingSession.objects.filter(event=event).count() == 1
    outsider = ApplicationFactory(submitted=True, status=ApplicationStatus.SELECTED)
    refused = client.post(url, {"present": [outsider.pk]})
    assert refused.status_code == 200 and not EventAttendance.objects.filter(application=outsider).exists()


def test_another_cohorts_event_is_out_of_reach():
    from django.test import Client

    event = GroupEventFactory()
    coach = CoachFactory()
    CoachAssignmentFactory(coach=coach)
    client = Client()
    client.force_login(coach.user)
    assert client.get(reverse("coaching:event_attendance", args=[event.pk])).status_code == 404
    assert event.title not in client.get(reverse("coaching:event_list")).content.decode()
