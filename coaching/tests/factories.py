import datetime

import factory
from django.utils import timezone

from coaching.models import CoachAssignment, CoachingSession, EventAttendance, EventKind, GroupEvent
from cohorts.tests.factories import ApplicationFactory, CohortFactory
from partners.tests.factories import CoachFactory


class CoachAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachAssignment

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    coach = factory.SubFactory(CoachFactory)


class GroupEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupEvent

    cohort = factory.SubFactory(CohortFactory)
    kind = EventKind.BOOSTCAMP
    title = factory.Sequence(lambda n: f"Boostcamp {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=6))
    location = "Dakar"


class EventAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventAttendance

    event = factory.SubFactory(GroupEventFactory)
    application = factory.SubFactory(ApplicationFactory, submitted=True, cohort=factory.SelfAttribute("..event.cohort"))


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingSession

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    coach = factory.SubFactory(CoachFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    duration_minutes = 90
    topics = "Modèle d'affaires et prospection en Belgique"
