import datetime

import factory
from django.utils import timezone

from cohorts.models import Application, ApplicationStatus, Cohort, Programme, ProgrammeMembership
from partners.tests.factories import EntrepreneurFactory, dakar_thies_axis


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"prog-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    origin_country = "SN"
    destination_country = "BE"
    watched_region_group = factory.LazyFunction(dakar_thies_axis)
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


# --- Review, selection, support, governance and budget (added with the admin back office) ---------

import hashlib  # noqa: E402
from decimal import Decimal  # noqa: E402

from cohorts.models import (  # noqa: E402
    ApplicationDocument,
    BudgetLine,
    CommitteeAttendance,
    CommitteeMeeting,
    CommitteeMembership,
    ConflictOfInterest,
    DecisionOutcome,
    DocumentKind,
    EligibilityCriterion,
    Expense,
    IncubatorSubProject,
    ProgrammePartner,
    Review,
    ReviewScore,
    RubricCriterion,
    SelectionDecision,
)
from partners.tests.factories import OrganisationFactory  # noqa: E402

_PDF_BYTES = b"%PDF-1.4\n% PEM test document\n"


class ProgrammePartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammePartner

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "incubator"


class EligibilityCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityCriterion

    cohort = factory.SubFactory(CohortFactory)
    field = "company_age"
    operator = "gte"
    value = "2"
    label = "Entreprise créée depuis au moins 2 ans"
    order = factory.Sequence(lambda n: n)


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    cohort = factory.SubFactory(CohortFactory)
    code = factory.Sequence(lambda n: f"critere-{n}")
    label = factory.Sequence(lambda n: f"Critère {n}")
    max_score = 5
    order = factory.Sequence(lambda n: n)


class ApplicationDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationDocument

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    kind = DocumentKind.REGISTRATION
    file = factory.django.FileField(data=_PDF_BYTES, filename="document")
    original_name = "rccm-entreprise.pdf"
    content_type = "application/pdf"
    size = len(_PDF_BYTES)
    sha256 = hashlib.sha256(_PDF_BYTES).hexdigest()


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    reviewer = factory.SubFactory("accounts.tests.factories.UserFactory", roles=["reviewer"])


class ReviewScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewScore

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(RubricCriterionFactory, cohort=factory.SelfAttribute("..review.application.cohort"))
    score = 4


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    reviewer = factory.SubFactory("accounts.tests.factories.UserFactory", roles=["reviewer"])
    reason = "Lien familial avec la fondatrice"


class SelectionDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionDecision

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    outcome = DecisionOutcome.SELECTED
    reason = "Projet de partenariat mûr et réseau commercial solide"


class CommitteeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind="public_body")
    role = "member"


class CommitteeMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMeeting

    programme = factory.SubFactory(ProgrammeFactory)
    held_on = factory.Sequence(lambda n: datetime.date(2022, 1, 1) + datetime.timedelta(days=n))
    location = "Dakar"


class CommitteeAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeAttendance

    meeting = factory.SubFactory(CommitteeMeetingFactory)
    membership = factory.SubFactory(CommitteeMembershipFactory, programme=factory.SelfAttribute("..meeting.programme"))


class IncubatorSubProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncubatorSubProject

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Sous-projet {n}")
    sector = "agrifood"
    lead = factory.SubFactory(OrganisationFactory)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2023
    category = "mobility"
    label = factory.Sequence(lambda n: f"Voyages cohorte {n}")
    amount = Decimal("50000.00")


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    budget_line = factory.SubFactory(BudgetLineFactory)
    spent_on = datetime.date(2023, 5, 2)
    amount = Decimal("655957.00")
    currency = "XOF"
    description = factory.Sequence(lambda n: f"Billets d'avion {n}")


def one_user_per_role() -> dict:
    """One user per visitor of the access tables (`accounts.tests.url_access.VISITORS`), each with the
    profile their pages need; None for the anonymous visitor."""
    from accounts.models import Role
    from accounts.tests.factories import UserFactory
    from partners.tests.factories import CoachFactory

    result = {"anonymous": None}
    for role in (Role.STAFF, Role.REVIEWER, Role.COMMITTEE, Role.EVALUATOR):
        result[role.value] = UserFactory(roles=[role])
    result["coach"] = CoachFactory().user
    result["entrepreneur"] = EntrepreneurFactory().user
    ProgrammeMembershipFactory(user=result["committee"], role=Role.COMMITTEE)
    ProgrammeMembershipFactory(user=result["evaluator"], role=Role.EVALUATOR)
    return result
