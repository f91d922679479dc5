import datetime

import factory
from django.utils import timezone

from cohorts.models import Application, ApplicationStatus, CoachAssignment, Cohort, Programme, ProgrammeMembership
from partners.tests.factories import CoachFactory, EntrepreneurFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"prog-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    starts_on = datetime.date(2021, 10, 1)
    ends_on = datetime.date(2024, 9, 30)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Cohorte {o.number}")
    call_opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    call_closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))


class ProgrammeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeMembership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    role = "committee"


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    cohort = factory.SubFactory(CohortFactory)
    entrepreneur = factory.SubFactory(EntrepreneurFactory)
    company = factory.SelfAttribute("entrepreneur.company")
    status = ApplicationStatus.DRAFT

    class Params:
        submitted = factory.Trait(status=ApplicationStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now))


class CoachAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachAssignment

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    coach = factory.SubFactory(CoachFactory)
