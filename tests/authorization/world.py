"""The one world the authorization matrix walks: two programmes, and every object a URL names, owned by
the "owner" side (programme A, entrepreneur_owner, the coach and reviewer assigned to them). Each visitor
of VISITORS is one user (None: not logged in) placed on the owner side or outside it."""

import datetime
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching.models import ActionItem, CoachDigest
from coaching.tests.factories import (
    CoachAssignmentFactory,
    CoachingSessionFactory,
    EventAttendanceFactory,
    GroupEventFactory,
)
from cohorts.models import ApplicationImport, ApplicationTransition, DocumentAccess, ScreeningJob
from cohorts.tests.factories import (
    ApplicationDocumentFactory,
    ApplicationFactory,
    BudgetLineFactory,
    CohortFactory,
    CommitteeAttendanceFactory,
    ConflictOfInterestFactory,
    EligibilityCriterionFactory,
    ExpenseFactory,
    IncubatorSubProjectFactory,
    ProgrammeFactory,
    ProgrammeMembershipFactory,
    ProgrammePartnerFactory,
    ReviewFactory,
    ReviewScoreFactory,
    SelectionDecisionFactory,
)
from core.links import link_token_make
from mobility.models import Anonymisation, PartnershipStageChange, PersonalDataExport, RetentionRun
from mobility.selectors_invitations import LINK_PURPOSE
from mobility.services_follow_up import PARTNER_LINK_PURPOSE, partner_link_token
from mobility.tests.factories import (
    B2BMeetingFactory,
    CheckInPartnershipAnswerFactory,
    EconomicMissionFactory,
    FollowUpCheckInFactory,
    PartnerCheckInFactory,
    PartnershipDocumentFactory,
    PartnershipFactory,
    PartnershipTransactionFactory,
    StageProposalFactory,
    SupportNeedFactory,
    TripCostFactory,
    VisaDocumentFactory,
    VisaFileFactory,
    VisaRequirementFactory,
    VisaStatusChangeFactory,
    invitation_letter,
)
from mobility.tests.invitations_setup import sent_invitation, setting
from partners.models import CompanyImport
from partners.tests.factories import BelgianCompanyFactory, CoachFactory, EntrepreneurFactory, OrganisationContactFactory
from reporting.models import ReportJob
from reporting.tests.factories import (
    ConclusionFactory,
    CriterionFindingFactory,
    EvaluationQuestionFactory,
    IndicatorTargetFactory,
    IndicatorValueFactory,
    LessonFactory,
    ManagementResponseFactory,
    ResultObjectiveFactory,
)

#: Who walks the matrix. "belgian_link" is a Belgian company's contact: not logged in, holding the signed
#: link the platform sent them (the link pages give them the right token, everyone else a forged one).
VISITORS = (
    "anonymous",
    "entrepreneur_owner",
    "entrepreneur_other",
    "coach_assigned",
    "coach_other",
    "reviewer_assigned",
    "reviewer_other",
    "staff",
    "committee_same_programme",
    "committee_other_programme",
    "evaluator",
    "belgian_link",
)

#: Visitors who are not logged in.
NOT_LOGGED_IN = ("anonymous", "belgian_link")


def build_world() -> SimpleNamespace:  # noqa: PLR0915 - one flat list of objects reads best
    w = SimpleNamespace()
    w.staff = UserFactory(roles=[Role.STAFF], preferred_language="fr")
    w.programme = ProgrammeFactory()
    w.other_programme = ProgrammeFactory()
    w.cohort = CohortFactory(programme=w.programme)
    w.second_cohort = CohortFactory(programme=w.programme)
    w.other_cohort = CohortFactory(programme=w.other_programme)

    owner = EntrepreneurFactory()
    other = EntrepreneurFactory()
    w.entrepreneur = owner
    w.application = ApplicationFactory(entrepreneur=owner, cohort=w.cohort, submitted=True, status="selected")
    w.draft = ApplicationFactory(entrepreneur=owner, cohort=w.second_cohort)
    w.other_application = ApplicationFactory(entrepreneur=other, cohort=w.other_cohort, submitted=True, status="selected")

    coach, other_coach = CoachFactory(), CoachFactory()
    w.assignment = CoachAssignmentFactory(coach=coach, application=w.application)
    CoachAssignmentFactory(coach=other_coach, application=w.other_application)
    reviewer, other_reviewer = UserFactory(roles=[Role.REVIEWER]), UserFactory(roles=[Role.REVIEWER])
    w.review = ReviewFactory(application=w.application, reviewer=reviewer)
    ReviewFactory(application=w.other_application, reviewer=other_reviewer)
    ReviewScoreFactory(review=w.review)
    ConflictOfInterestFactory(application=w.application, reviewer=other_reviewer)

    committee, other_committee = UserFactory(roles=[Role.COMMITTEE]), UserFactory(roles=[Role.COMMITTEE])
    ProgrammeMembershipFactory(user=committee, programme=w.programme, role=Role.COMMITTEE)
    ProgrammeMembershipFactory(user=other_committee, programme=w.other_programme, role=Role.COMMITTEE)
    evaluator = UserFactory(roles=[Role.EVALUATOR])
    ProgrammeMembershipFactory(user=evaluator, programme=w.programme, role=Role.EVALUATOR)

    w.users = {
        "anonymous": None,
        "entrepreneur_owner": owner.user,
        "entrepreneur_other": other.user,
        "coach_assigned": coach.user,
        "coach_other": other_coach.user,
        "reviewer_assigned": reviewer,
        "reviewer_other": other_reviewer,
        "staff": w.staff,
        "committee_same_programme": committee,
        "committee_other_programme": other_committee,
        "evaluator": evaluator,
        "belgian_link": None,
    }

    # Applying and selecting.
    w.document = ApplicationDocumentFactory(application=w.application)
    w.draft_document = ApplicationDocumentFactory(application=w.draft)
    EligibilityCriterionFactory(cohort=w.cohort)
    SelectionDecisionFactory(application=w.application)
    ProgrammePartnerFactory(programme=w.programme)
    CommitteeAttendanceFactory(meeting__programme=w.programme)
    ExpenseFactory(budget_line=BudgetLineFactory(programme=w.programme))
    IncubatorSubProjectFactory(programme=w.programme)
    ApplicationTransition.objects.create(application=w.application, from_status="submitted", to_status="selected", by=w.staff)
    DocumentAccess.objects.create(document=w.document, user=w.staff)
    ScreeningJob.objects.create(cohort=w.cohort, requested_by=w.staff)
    w.application_import = ApplicationImport.objects.create(sha256="a" * 64, original_name="collecte.csv", requested_by=w.staff)

    # Coaching.
    w.session = CoachingSessionFactory(coach=coach, application=w.application)
    w.event = GroupEventFactory(cohort=w.cohort)
    EventAttendanceFactory(event=w.event, application=w.application)
    w.action = ActionItem.objects.create(application=w.application, title="Relancer le transitaire")
    CoachDigest.objects.create(coach=coach, week_of=datetime.date(2024, 1, 1))

    # Mobility: plan, invitation (and another company's, whose nonce forges the wrong link), trip.
    s = setting(application=w.application)
    s.plan.entrepreneur_may_invite = True
    s.plan.save()
    w.plan, w.trip = s.plan, s.trip
    w.invitation = sent_invitation(s)
    other_invitation = sent_invitation(setting(application=w.other_application))
    w.invitation_token = link_token_make(purpose=LINK_PURPOSE, pk=w.invitation.pk, nonce=w.invitation.link_nonce)
    w.invitation_wrong_token = link_token_make(purpose=LINK_PURPOSE, pk=w.invitation.pk, nonce=other_invitation.link_nonce)
    w.meeting = B2BMeetingFactory(trip=w.trip)
    w.cost = TripCostFactory(trip=w.trip)
    EconomicMissionFactory(programme=w.programme)

    # Visa.
    w.visa_file = VisaFileFactory(application=w.application)
    w.visa_document = VisaDocumentFactory(
        visa_file=w.visa_file, content_type="application/pdf", uploaded_at=timezone.now(), original_name="passeport.pdf"
    )
    w.visa_document.file.save("doc", ContentFile(b"%PDF-1.4 test"), save=True)
    VisaStatusChangeFactory(visa_file=w.visa_file)
    VisaRequirementFactory(programme=w.programme)
    invitation_letter()

    # Partnerships and follow-up.
    w.partnership = PartnershipFactory(application=w.application, organisation=s.target.organisation, stage="discussion")
    other_partnership = PartnershipFactory(application=w.other_application)
    w.partnership_document = PartnershipDocumentFactory(partnership=w.partnership)
    w.need = SupportNeedFactory(application=w.application, partnership=w.partnership)
    PartnershipTransactionFactory(partnership=w.partnership)
    PartnershipStageChange.objects.create(
        partnership=w.partnership, to_stage="discussion", changed_on=datetime.date(2023, 7, 1), by=w.staff
    )
    w.check_in = FollowUpCheckInFactory(application=w.application, due_on=datetime.date(2024, 1, 1))
    CheckInPartnershipAnswerFactory(check_in=w.check_in, partnership=w.partnership)
    w.proposal = StageProposalFactory(partnership=w.partnership, check_in=w.check_in)
    partner_check_in = PartnerCheckInFactory(partnership=w.partnership, due_on=datetime.date(2024, 1, 1))
    other_partner_check_in = PartnerCheckInFactory(partnership=other_partnership, due_on=datetime.date(2024, 1, 1))
    w.partner_token = partner_link_token(partner_check_in)
    w.partner_wrong_token = link_token_make(
        purpose=PARTNER_LINK_PURPOSE, pk=partner_check_in.pk, nonce=other_partner_check_in.link_nonce
    )

    # The Belgian directory.
    w.company = BelgianCompanyFactory()
    w.contact = OrganisationContactFactory(organisation=w.company)
    w.company_import = CompanyImport.objects.create(original_name="entreprises.csv", sha256="c" * 64)

    # Personal data.
    w.export = PersonalDataExport.objects.create(user=owner.user)
    RetentionRun.objects.create(run_on=datetime.date(2024, 1, 1))
    Anonymisation.objects.create(entrepreneur=EntrepreneurFactory(), by=w.staff, reason="Demande de la personne")

    # Reporting: indicators, evaluations and a finished report of programme A.
    IndicatorValueFactory(indicator__programme=w.programme)
    IndicatorTargetFactory(indicator__programme=w.programme)
    ResultObjectiveFactory(programme=w.programme)
    w.response = ManagementResponseFactory(recommendation__evaluation__programme=w.programme)
    w.evaluation = w.response.recommendation.evaluation
    w.recommendation = w.response.recommendation
    w.question = EvaluationQuestionFactory(evaluation=w.evaluation)
    CriterionFindingFactory(grade__evaluation=w.evaluation)
    ConclusionFactory(evaluation=w.evaluation)
    LessonFactory(evaluation=w.evaluation)
    w.report = ReportJob.objects.create(
        programme=w.programme, kind="committee", language="fr", status="done", sha256="b" * 64, size=9
    )
    w.report.file.save("report.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return w
