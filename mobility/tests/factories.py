"""Factories for mobility plans, visa files, trips, invitations, meetings, partnerships and follow-up."""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.utils import timezone

from cohorts.tests.factories import ApplicationFactory, ProgrammeFactory
from mobility.models import (
    B2BMeeting,
    CheckInPartnershipAnswer,
    EconomicMission,
    FollowUpCheckIn,
    Invitation,
    InvitationLetter,
    InvitationSlot,
    MobilityPlan,
    PartnerCheckIn,
    Partnership,
    PartnershipDocument,
    PartnershipTransaction,
    PartnershipType,
    StageProposal,
    SupportNeed,
    TargetPartner,
    Trip,
    TripCost,
    VisaDocument,
    VisaFile,
    VisaRequirement,
    VisaStatusChange,
)
from partners.tests.factories import BelgianCompanyFactory


class MobilityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MobilityPlan

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    objectives = "Rencontrer des distributeurs belges de produits transformés"


class TargetPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetPartner

    plan = factory.SubFactory(MobilityPlanFactory)
    organisation = factory.SubFactory(BelgianCompanyFactory)
    reason = "Distributeur spécialisé"


class VisaFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisaFile

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    passport_number = factory.Sequence(lambda n: f"A{n:07d}")
    passport_expires_on = datetime.date(2030, 1, 1)


class VisaDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisaDocument

    visa_file = factory.SubFactory(VisaFileFactory)
    kind = "passport"


class EconomicMissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EconomicMission

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Mission économique {n}")
    starts_on = datetime.date(2023, 5, 15)
    ends_on = datetime.date(2023, 5, 20)
    cities = "Bruxelles, Liège"


class TripFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trip

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    departs_on = datetime.date(2023, 5, 14)
    returns_on = datetime.date(2023, 5, 24)
    cities = "Bruxelles"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    trip = factory.SubFactory(TripFactory)
    organisation = factory.SubFactory(BelgianCompanyFactory)
    email = factory.Sequence(lambda n: f"invite{n}@example.be")


class B2BMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = B2BMeeting

    trip = factory.SubFactory(TripFactory)
    organisation = factory.SubFactory(BelgianCompanyFactory)
    starts_at = factory.LazyFunction(lambda: timezone.make_aware(datetime.datetime(2023, 5, 16, 10, 0)))
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + datetime.timedelta(hours=1))
    city = "Bruxelles"


class PartnershipFactory(factory.django.DjangoModelFactory):
    """A bare row; code under test opens partnerships with `partnership_create`, which also dates the first stage."""

    class Meta:
        model = Partnership

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    organisation = factory.SubFactory(BelgianCompanyFactory)
    type = PartnershipType.EXPORT
    started_on = datetime.date(2023, 6, 1)
    stage_changed_on = datetime.date(2023, 6, 1)


class PartnershipTransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipTransaction

    partnership = factory.SubFactory(PartnershipFactory)
    kind = "order"
    occurred_on = datetime.date(2023, 9, 1)
    value = Decimal("1200.00")


class FollowUpCheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpCheckIn

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    months_after = 1
    due_on = datetime.date(2023, 6, 24)


class SupportNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportNeed

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    kind = "finance"
    description = "Besoin d'un préfinancement de commande"


class PartnerCheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerCheckIn

    partnership = factory.SubFactory(PartnershipFactory)
    email = factory.Sequence(lambda n: f"partenaire{n}@example.be")
    language = "fr"
    months_after = 1
    due_on = datetime.date(2023, 6, 24)


class StageProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageProposal

    partnership = factory.SubFactory(PartnershipFactory, stage="discussion")
    to_stage = "agreement"
    check_in = factory.SubFactory(FollowUpCheckInFactory, application=factory.SelfAttribute("..partnership.application"))
    answered_on = datetime.date(2023, 7, 1)


class CheckInPartnershipAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckInPartnershipAnswer

    check_in = factory.SubFactory(FollowUpCheckInFactory)
    partnership = factory.SubFactory(PartnershipFactory, application=factory.SelfAttribute("..check_in.application"))
    still_going = True
    stage = "discussion"


class TripCostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TripCost

    trip = factory.SubFactory(TripFactory)
    category = "flight"
    amount = Decimal("650")
    currency = "EUR"


_PARTNERSHIP_PDF = b"%PDF-1.4\n% PEM partnership agreement\n"


class PartnershipDocumentFactory(factory.django.DjangoModelFactory):
    """A stored agreement; code under test adds documents with `partnership_document_add`, which checks them."""

    class Meta:
        model = PartnershipDocument

    partnership = factory.SubFactory(PartnershipFactory)
    kind = "agreement"
    title = "Accord signé"
    file = factory.django.FileField(data=_PARTNERSHIP_PDF, filename="document")
    original_name = "accord.pdf"
    content_type = "application/pdf"
    size = len(_PARTNERSHIP_PDF)
    sha256 = hashlib.sha256(_PARTNERSHIP_PDF).hexdigest()


class InvitationSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvitationSlot

    invitation = factory.SubFactory(InvitationFactory)
    starts_at = factory.LazyFunction(lambda: timezone.make_aware(datetime.datetime(2023, 5, 16, 10, 0)))
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + datetime.timedelta(hours=1))


class VisaStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisaStatusChange

    visa_file = factory.SubFactory(VisaFileFactory)
    from_status = ""
    to_status = "preparing"
    changed_on = datetime.date(2023, 3, 1)


class VisaRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisaRequirement

    programme = factory.SubFactory(ProgrammeFactory)
    kind = "passport"
    instructions_fr = "Page d'identité"
    instructions_en = "Identity page"


def invitation_letter(**fields) -> InvitationLetter:
    """A letter job for an invitation of the file's own application."""
    visa_file = VisaFileFactory()
    invitation = InvitationFactory(trip=TripFactory(application=visa_file.application))
    return InvitationLetter.objects.create(visa_file=visa_file, invitation=invitation, **fields)
