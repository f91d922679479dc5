"""Reads of the Belgian company directory: the filtered, sorted list with each company's past B2B
meetings (counted in the database, one query for the page), and one company's history with the
programme (invitations, meetings, partnerships)."""

import re
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partners.models import Organisation, OrganisationContact
from partners.validators import enterprise_number_normalise

from .models import B2BMeeting, Invitation, Partnership

#: The orders the list offers (by the query string's "sort" value).
ORDERINGS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "meetings": ("meeting_count", "name", "pk"),
    "-meetings": ("-meeting_count", "name", "pk"),
}
MET, NEVER_MET = "met", "never"


@dataclass(frozen=True)
class DirectoryFilters:
    """What staff asked for (already validated): every field optional."""

    q: str = ""
    sector: str = ""
    region: str = ""
    relay: Organisation | None = None
    language: str = ""
    met: str = ""
    sort: str = "name"


def _past_meetings(now) -> QuerySet:
    return B2BMeeting.objects.filter(organisation=OuterRef("pk"), starts_at__lt=now)


def _search(queryset: QuerySet, text: str) -> QuerySet:
    """Name, city or a contact's name containing the text; an enterprise number in any format (dots,
    spaces, BE prefix, or a part of it)."""
    text = text.strip()
    if not text:
        return queryset
    condition = Q(name__icontains=text) | Q(short_name__icontains=text) | Q(city__icontains=text)
    condition |= Exists(OrganisationContact.objects.filter(organisation=OuterRef("pk"), full_name__icontains=text))
    compact = re.sub(r"[\s.\-/]", "", text.upper()).removeprefix("BE")
    if len(compact) >= 3 and compact.isascii() and compact.isdigit():
        for digits in {compact, enterprise_number_normalise(compact)}:
            condition |= Q(enterprise_number__contains=digits)
    return queryset.filter(condition)


def belgian_companies_directory(filters: DirectoryFilters | None = None, *, now=None) -> QuerySet:
    """Belgian companies as the directory lists them, each with `meeting_count` (B2B meetings already
    held) and `last_met_at`, its relay agency joined and its contacts prefetched: two queries whatever
    the number of rows (three with the page's count)."""
    filters = filters or DirectoryFilters()
    now = now or timezone.now()
    meetings = _past_meetings(now).order_by().values("organisation").annotate(total=Count("pk")).values("total")
    last = _past_meetings(now).order_by().values("organisation").annotate(last=Max("starts_at")).values("last")
    queryset = (
        Organisation.objects.belgian_companies()
        .select_related("relay_agency")
        .prefetch_related(
            Prefetch("contacts", queryset=OrganisationContact.objects.order_by("full_name", "pk"), to_attr="contact_list")
        )
        .annotate(
            meeting_count=Coalesce(Subquery(meetings, output_field=IntegerField()), Value(0)),
            last_met_at=Subquery(last),
        )
    )
    queryset = _search(queryset, filters.q)
    if filters.sector:
        queryset = queryset.filter(sector=filters.sector)
    if filters.region:
        queryset = queryset.filter(belgian_region=filters.region)
    if filters.relay is not None:
        queryset = queryset.filter(relay_agency=filters.relay)
    if filters.language:
        # The stored list is JSON text on every database: the quoted code matches one element exactly.
        queryset = queryset.filter(languages__icontains=f'"{filters.language}"')
    if filters.met == MET:
        queryset = queryset.filter(Exists(_past_meetings(now)))
    elif filters.met == NEVER_MET:
        queryset = queryset.filter(~Exists(_past_meetings(now)))
    return queryset.order_by(*ORDERINGS.get(filters.sort, ORDERINGS["name"]))


def belgian_company_page(queryset: QuerySet | None = None) -> QuerySet:
    """One company for its directory page: relay agency joined, contacts prefetched."""
    queryset = queryset if queryset is not None else Organisation.objects.all()
    return (
        queryset.belgian_companies()
        .select_related("relay_agency")
        .prefetch_related(
            Prefetch("contacts", queryset=OrganisationContact.objects.order_by("full_name", "pk"), to_attr="contact_list")
        )
    )


@dataclass
class CompanyHistory:
    invitations: list[Invitation]
    meetings: list[B2BMeeting]
    partnerships: list[Partnership]

    @property
    def past_meetings(self) -> list[B2BMeeting]:
        now = timezone.now()
        return [meeting for meeting in self.meetings if meeting.starts_at < now]


def belgian_company_history(company: Organisation) -> CompanyHistory:
    """What the programme did with the company, newest first: three queries."""
    people = ("trip__application__entrepreneur", "trip__application__company", "trip__application__cohort__programme")
    return CompanyHistory(
        invitations=list(
            Invitation.objects.filter(organisation=company).select_related(*people, "contact").order_by("-sent_at", "-pk")
        ),
        meetings=list(B2BMeeting.objects.filter(organisation=company).select_related(*people).order_by("-starts_at", "-pk")),
        partnerships=list(
            Partnership.objects.filter(organisation=company)
            .select_related("application__entrepreneur", "application__company", "application__cohort__programme")
            .order_by("-stage_changed_on", "-pk")
        ),
    )
