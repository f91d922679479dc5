"""What the invitation tests start from: a mobility plan naming a Belgian company with a contact, a
planned trip, and staff to send from it."""

import datetime
import zoneinfo
from dataclasses import dataclass

from accounts.models import Role, User
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationFactory
from mobility.models import Invitation, MobilityPlan, TargetPartner, Trip, TripStatus
from mobility.services_invitations import SlotSpec, invitation_create, invitation_send
from mobility.tests.factories import MobilityPlanFactory, TargetPartnerFactory, TripFactory
from partners.tests.factories import BelgianCompanyFactory, OrganisationContactFactory

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
DEPARTS = datetime.date(2030, 3, 10)


def brussels(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2030, 3, day, hour, minute, tzinfo=BRUSSELS)


def slot(day: int, hour: int) -> SlotSpec:
    return SlotSpec(starts_at=brussels(day, hour), ends_at=brussels(day, hour + 1))


@dataclass
class Setting:
    staff: User
    plan: MobilityPlan
    target: TargetPartner
    trip: Trip


def setting(*, language: str = "fr", company_name: str | None = None, relay_agency=None, application=None) -> Setting:
    staff = User.objects.filter(groups__name=Role.STAFF).first() or UserFactory(roles=[Role.STAFF], preferred_language="fr")
    application = application or ApplicationFactory(submitted=True, status="selected", entrepreneur__first_name="Awa")
    plan = MobilityPlan.objects.filter(application=application).first() or MobilityPlanFactory(application=application)
    company = BelgianCompanyFactory(relay_agency=relay_agency, city="Gent", **({"name": company_name} if company_name else {}))
    OrganisationContactFactory(organisation=company, full_name="Els Peeters", language=language)
    target = TargetPartnerFactory(plan=plan, organisation=company)
    trip = Trip.objects.filter(application=application, status=TripStatus.PLANNED).first() or TripFactory(
        application=application, departs_on=DEPARTS, returns_on=DEPARTS + datetime.timedelta(days=7), status=TripStatus.PLANNED
    )
    return Setting(staff=staff, plan=plan, target=target, trip=trip)


def sent_invitation(s: Setting, *, slots=None, **kwargs) -> Invitation:
    contact = s.target.organisation.contacts.first()
    invitation = invitation_create(
        target=s.target, by=s.staff, contact=contact, slots=slots or [slot(11, 10), slot(12, 14)], **kwargs
    )
    return invitation_send(invitation=invitation, by=s.staff)
