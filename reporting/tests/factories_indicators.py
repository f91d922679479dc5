"""Factories and small builders for the indicator tests: an applicant at a given stage of the funnel,
stage histories of partnerships, decided visa files."""

import datetime

import factory
from django.utils import timezone

from coaching.tests.factories import CoachingSessionFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory, ReviewFactory
from mobility.models import PartnershipStageChange, VisaStatus
from mobility.tests.factories import PartnershipFactory, TripFactory, VisaFileFactory
from partners.tests.factories import CompanyFactory, EntrepreneurFactory
from reporting.tests.factories import IndicatorFactory


class PartnershipStageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipStageChange

    partnership = factory.SubFactory(PartnershipFactory)
    from_stage = ""
    to_stage = "prospect"
    changed_on = datetime.date(2023, 6, 1)


class CalculatedIndicatorFactory(IndicatorFactory):
    calculator = "funnel.applications"
    disaggregations = factory.LazyFunction(lambda: ["gender"])


def applicant(
    cohort,
    *,
    status: str = ApplicationStatus.SUBMITTED,
    gender: str = "woman",
    region: str = "dakar",
    diaspora: bool = False,
    sector: str = "agrifood",
    education: str = "master",
    year_founded: int = 2015,
    submitted_at: datetime.datetime | None = None,
):
    """A submitted application with the given profile (submitted in March 2023 unless told)."""
    company = CompanyFactory(region=region, sector=sector, year_founded=year_founded)
    entrepreneur = EntrepreneurFactory(gender=gender, diaspora=diaspora, education=education, company=company)
    submitted = None if status == ApplicationStatus.DRAFT else (
        submitted_at or timezone.make_aware(datetime.datetime(2023, 3, 1, 10, 0))
    )  # fmt: skip
    return ApplicationFactory(cohort=cohort, entrepreneur=entrepreneur, status=status, submitted_at=submitted)


def reviewed(application):
    """One review assigned and submitted in March 2023."""
    assigned = timezone.make_aware(datetime.datetime(2023, 3, 5, 9, 0))
    return ReviewFactory(application=application, assigned_at=assigned, submitted_at=assigned + datetime.timedelta(days=2))


def traveller(cohort, *, returns_on=datetime.date(2023, 5, 24), **profile):
    """A selected applicant, coached, with a granted visa and a completed trip."""
    application = applicant(cohort, status=ApplicationStatus.SELECTED, **profile)
    reviewed(application)
    CoachingSessionFactory(application=application, duration_minutes=60)
    VisaFileFactory(
        application=application, status=VisaStatus.GRANTED,
        submitted_on=datetime.date(2023, 3, 10), decision_on=datetime.date(2023, 3, 30),
    )  # fmt: skip
    TripFactory(
        application=application, status="completed", departs_on=returns_on - datetime.timedelta(days=10), returns_on=returns_on
    )
    return application


def partnership_with_history(application, stages: list[tuple[str, datetime.date]], **kwargs):
    """A partnership whose stages were reached on the given dates (the first one opens it)."""
    first_stage, started_on = stages[0]
    last_stage, last_on = stages[-1]
    partnership = PartnershipFactory(
        application=application, started_on=started_on, stage=last_stage, stage_changed_on=last_on, **kwargs
    )
    previous = ""
    for stage, on in stages:
        PartnershipStageChangeFactory(partnership=partnership, from_stage=previous, to_stage=stage, changed_on=on)
        previous = stage
    return partnership
