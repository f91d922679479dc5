"""Helpers for the staff tests: an application at a given stage, with its entrepreneur and company."""

import datetime

from django.utils import timezone

from accounts.tests.factories import UserFactory
from cohorts.models import Application, ApplicationStatus, Cohort
from cohorts.tests.factories import ApplicationFactory, ReviewFactory
from partners.tests.factories import CompanyFactory, EntrepreneurFactory

SUBMITTED_ON = timezone.make_aware(datetime.datetime(2024, 6, 1, 12))


def staff_application(
    *,
    cohort: Cohort,
    status: str = ApplicationStatus.SUBMITTED,
    gender: str = "woman",
    region: str = "dakar",
    diaspora: bool = False,
    education: str = "master",
    sector: str = "agrifood",
    year_founded: int = 2015,
    failed: list | None = None,
    snapshot: dict | None = None,
    reviewed: bool = False,
    name: str = "",
) -> Application:
    company = CompanyFactory(region=region, sector=sector, year_founded=year_founded, **({"name": name} if name else {}))
    entrepreneur = EntrepreneurFactory(gender=gender, diaspora=diaspora, education=education, company=company)
    is_draft = status in (ApplicationStatus.DRAFT,)
    application = ApplicationFactory(
        cohort=cohort,
        entrepreneur=entrepreneur,
        status=status,
        submitted_at=None if is_draft else SUBMITTED_ON,
        failed_criteria=failed or [],
        profile_snapshot=snapshot or {},
        is_eligible=None if status in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED) else not failed,
    )
    if reviewed:
        ReviewFactory(
            application=application,
            reviewer=UserFactory(roles=["reviewer"]),
            assigned_at=SUBMITTED_ON,
            submitted_at=SUBMITTED_ON + datetime.timedelta(days=3),
        )
    return application
