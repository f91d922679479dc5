"""Alumni ([9] item 6): entrepreneurs whose follow-up is complete stay reachable for later cohorts (for
example as peer mentors). `alumni_applications` is the one definition; the staff page and the
entrepreneur's own page read it."""

import datetime

from django.db.models import Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cohorts.models import Application
from partners.models import Entrepreneur

from .models import CheckInStatus, FollowUpCheckIn
from .selectors import travelled_application_ids

#: A check-in in one of these states needs nothing more: answered, or closed without an answer.
FINISHED_CHECK_IN_STATUSES = (CheckInStatus.DONE, CheckInStatus.MISSED)


def alumni_applications(*, today: datetime.date | None = None) -> QuerySet[Application]:
    """Applications of participants (they travelled) whose follow-up is complete: they have scheduled
    check-ins, every one of them is answered or closed, and the last one's date has passed. The
    comparison group's applicants, who are asked questions too, never travelled: they are not alumni."""
    today = today or timezone.localdate()
    unfinished = FollowUpCheckIn.objects.filter(application=OuterRef("pk")).exclude(status__in=FINISHED_CHECK_IN_STATUSES)
    last_due = (
        FollowUpCheckIn.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(last=Max("due_on"))
        .values("last")
    )
    return (
        Application.objects.filter(pk__in=travelled_application_ids())
        .annotate(last_check_in_on=Subquery(last_due))
        .filter(last_check_in_on__lt=today)
        .filter(~Exists(unfinished))
    )


def is_alumnus(entrepreneur: Entrepreneur, *, today: datetime.date | None = None) -> bool:
    return alumni_applications(today=today).filter(entrepreneur=entrepreneur).exists()


def alumni(
    *,
    search: str = "",
    cohort=None,
    sector: str = "",
    region=None,
    mentors_only: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Entrepreneur]:
    """The alumni, with the company (and its region) and the id of their last completed cohort
    (`alumni_cohort_id`), for the staff page: one query per page whatever its length."""
    applications = alumni_applications(today=today)
    if cohort is not None:
        applications = applications.filter(cohort=cohort)
    last_cohort = (
        alumni_applications(today=today)
        .filter(entrepreneur=OuterRef("pk"))
        .order_by("-cohort__call_opens_at", "-pk")
        .values("cohort_id")[:1]
    )
    people = (
        Entrepreneur.objects.filter(pk__in=applications.values("entrepreneur_id"))
        .select_related("company", "company__region")
        .annotate(alumni_cohort_id=Subquery(last_cohort, output_field=IntegerField()))
        .order_by("last_name", "first_name", "pk")
    )
    if search:
        words = Q()
        for word in search.split():
            words &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(company__name__icontains=word)
                | Q(peer_mentor_topics__icontains=word)
            )
        people = people.filter(words)
    if sector:
        people = people.filter(company__sector=sector)
    if region is not None:
        people = people.filter(company__region=region)
    if mentors_only:
        people = people.filter(peer_mentor_available=True)
    return people
