"""The Django admin back office: every model is there and opens for programme staff, lists do not
grow their queries with their rows, state changes go through the services, and personal data
(passport numbers, private files) stays out of sight."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import OutgoingEmail, Role, User
from accounts.tests.factories import UserFactory
from coaching import models as coaching_models
from coaching.tests import factories as chf
from cohorts import models as cohorts_models
from cohorts.models import Application, ApplicationDocument, ApplicationStatus, ApplicationTransition
from cohorts.services import application_transition
from cohorts.tests import factories as cf
from mobility import models as mobility_models
from mobility.models import Partnership, PartnershipStage, PartnershipStageChange, VisaFile
from mobility.services import partnership_create
from mobility.tests import factories as mf
from partners import models as partners_models
from partners.tests import factories as pf
from reporting import models as reporting_models
from reporting.tests import factories as rf

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "partners", "cohorts", "coaching", "mobility", "reporting")

#: Audit trails and jobs written only by services: staff read them, nobody adds or edits them here.
READ_ONLY_MODELS = {
    ApplicationTransition, PartnershipStageChange, reporting_models.ReportJob, OutgoingEmail, cohorts_models.ApplicationImport,
    cohorts_models.ScreeningJob,
    # Reviews and conflicts are added through the services (review board, reviewer portal), not here.
    cohorts_models.Review, cohorts_models.ConflictOfInterest, cohorts_models.DocumentAccess,
    # Personal data: the retention job, a person's exports and anonymisations are records of what was done.
    mobility_models.RetentionRun, mobility_models.PersonalDataExport, mobility_models.Anonymisation,
    mobility_models.InvitationLetter, mobility_models.VisaStatusChange,
    coaching_models.CoachDigest,
    # Stage proposals are decided on the follow-up page, through the service that moves the stage.
    mobility_models.StageProposal, mobility_models.CheckInPartnershipAnswer,
    partners_models.CompanyImport,
    # Partnership documents arrive through the partnership page (upload checks), never through the admin.
    mobility_models.PartnershipDocument,
}  # fmt: skip


def _transition():
    application = cf.ApplicationFactory(submitted=True)
    return application_transition(application=application, to_status=ApplicationStatus.ELIGIBLE)


def _partnership():
    return partnership_create(
        application=cf.ApplicationFactory(submitted=True),
        organisation=pf.BelgianCompanyFactory(),
        type="export",
        started_on=datetime.date(2023, 6, 1),
    )


#: One way to make a row of each model, for its change page.
ROW_FACTORIES = {
    User: lambda: UserFactory(roles=[Role.COACH]),
    OutgoingEmail: lambda: OutgoingEmail.objects.create(to="a@example.org", kind="test", subject="s", body="b"),
    partners_models.Organisation: pf.OrganisationFactory,
    partners_models.OrganisationContact: pf.OrganisationContactFactory,
    partners_models.Company: pf.CompanyFactory,
    partners_models.Entrepreneur: pf.EntrepreneurFactory,
    partners_models.Coach: pf.CoachFactory,
    partners_models.Region: lambda: pf.region("dakar"),  # seeded by the data migration
    partners_models.RegionGroup: pf.dakar_thies_axis,
    cohorts_models.Programme: cf.ProgrammeFactory,
    cohorts_models.ProgrammeMembership: cf.ProgrammeMembershipFactory,
    cohorts_models.ProgrammePartner: cf.ProgrammePartnerFactory,
    cohorts_models.Cohort: cf.CohortFactory,
    cohorts_models.EligibilityCriterion: cf.EligibilityCriterionFactory,
    cohorts_models.RubricCriterion: cf.RubricCriterionFactory,
    cohorts_models.Application: lambda: cf.ApplicationFactory(submitted=True),
    cohorts_models.ApplicationTransition: _transition,
    cohorts_models.ApplicationDocument: cf.ApplicationDocumentFactory,
    cohorts_models.DocumentAccess: lambda: cohorts_models.DocumentAccess.objects.create(
        document=cf.ApplicationDocumentFactory(), user=UserFactory()
    ),
    cohorts_models.ApplicationImport: lambda: cohorts_models.ApplicationImport.objects.create(
        original_name="collecte.csv", sha256="0" * 64, row_count=3
    ),
    cohorts_models.ScreeningJob: lambda: cohorts_models.ScreeningJob.objects.create(cohort=cf.CohortFactory()),
    partners_models.CompanyImport: lambda: partners_models.CompanyImport.objects.create(
        original_name="entreprises.csv", sha256="0" * 64, row_count=3
    ),
    cohorts_models.Review: cf.ReviewFactory,
    cohorts_models.ReviewScore: cf.ReviewScoreFactory,
    cohorts_models.ConflictOfInterest: cf.ConflictOfInterestFactory,
    cohorts_models.SelectionDecision: cf.SelectionDecisionFactory,
    coaching_models.CoachAssignment: chf.CoachAssignmentFactory,
    coaching_models.GroupEvent: chf.GroupEventFactory,
    coaching_models.EventAttendance: chf.EventAttendanceFactory,
    coaching_models.CoachingSession: chf.CoachingSessionFactory,
    cohorts_models.CommitteeMembership: cf.CommitteeMembershipFactory,
    cohorts_models.CommitteeMeeting: cf.CommitteeMeetingFactory,
    cohorts_models.CommitteeAttendance: cf.CommitteeAttendanceFactory,
    cohorts_models.IncubatorSubProject: cf.IncubatorSubProjectFactory,
    cohorts_models.BudgetLine: cf.BudgetLineFactory,
    cohorts_models.Expense: cf.ExpenseFactory,
    mobility_models.MobilityPlan: mf.MobilityPlanFactory,
    coaching_models.ActionItem: lambda: coaching_models.ActionItem.objects.create(
        application=cf.ApplicationFactory(submitted=True), title="Relancer Liège"
    ),
    coaching_models.CoachDigest: lambda: coaching_models.CoachDigest.objects.create(
        coach=pf.CoachFactory(), week_of=datetime.date(2026, 11, 30)
    ),
    mobility_models.RetentionRun: lambda: mobility_models.RetentionRun.objects.create(run_on=datetime.date(2026, 1, 5)),
    mobility_models.PersonalDataExport: lambda: mobility_models.PersonalDataExport.objects.create(user=UserFactory()),
    mobility_models.Anonymisation: lambda: mobility_models.Anonymisation.objects.create(
        entrepreneur=pf.EntrepreneurFactory(), by=UserFactory(roles=[Role.STAFF]), reason="demande"
    ),
    mobility_models.TargetPartner: mf.TargetPartnerFactory,
    mobility_models.VisaFile: mf.VisaFileFactory,
    mobility_models.VisaDocument: mf.VisaDocumentFactory,
    mobility_models.PartnershipDocument: mf.PartnershipDocumentFactory,
    mobility_models.VisaRequirement: mf.VisaRequirementFactory,
    mobility_models.InvitationLetter: mf.invitation_letter,
    mobility_models.VisaStatusChange: mf.VisaStatusChangeFactory,
    mobility_models.EconomicMission: mf.EconomicMissionFactory,
    mobility_models.Trip: mf.TripFactory,
    mobility_models.Invitation: mf.InvitationFactory,
    mobility_models.InvitationSlot: mf.InvitationSlotFactory,
    mobility_models.B2BMeeting: mf.B2BMeetingFactory,
    mobility_models.TripCost: mf.TripCostFactory,
    mobility_models.Partnership: _partnership,
    mobility_models.PartnershipStageChange: lambda: _partnership().stage_changes.get(),
    mobility_models.PartnershipTransaction: mf.PartnershipTransactionFactory,
    mobility_models.FollowUpCheckIn: mf.FollowUpCheckInFactory,
    mobility_models.PartnerCheckIn: mf.PartnerCheckInFactory,
    mobility_models.StageProposal: mf.StageProposalFactory,
    mobility_models.CheckInPartnershipAnswer: mf.CheckInPartnershipAnswerFactory,
    mobility_models.SupportNeed: mf.SupportNeedFactory,
    reporting_models.ResultObjective: rf.ResultObjectiveFactory,
    reporting_models.Indicator: rf.IndicatorFactory,
    reporting_models.IndicatorTarget: rf.IndicatorTargetFactory,
    reporting_models.IndicatorValue: rf.IndicatorValueFactory,
    reporting_models.Evaluation: rf.EvaluationFactory,
    reporting_models.CriterionGrade: rf.CriterionGradeFactory,
    reporting_models.CriterionFinding: rf.CriterionFindingFactory,
    reporting_models.EvaluationQuestion: rf.EvaluationQuestionFactory,
    reporting_models.Conclusion: rf.ConclusionFactory,
    reporting_models.Recommendation: rf.RecommendationFactory,
    reporting_models.ManagementResponse: rf.ManagementResponseFactory,
    reporting_models.Lesson: rf.LessonFactory,
    reporting_models.ReportJob: rf.ReportJobFactory,
}

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def staff(db):
    return UserFactory(roles=[Role.STAFF])


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# --------------------------------------------------------------------------------------------------
# Every model is in the back office and opens for staff
# --------------------------------------------------------------------------------------------------


def test_every_model_of_the_project_apps_is_registered():
    models = {
        model
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        # Historical tables are read through their model's "history" page.
        if not model.__name__.startswith("Historical")
    }

    assert models - set(admin.site._registry) == set()
    assert set(admin.site._registry) - models == set(), "only project models: roles are defined in code"


def test_every_registered_model_has_a_row_factory_for_these_tests():
    assert set(REGISTERED) - set(ROW_FACTORIES) == set()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_staff_open_the_list_the_add_page_and_a_row_of_every_model(staff_client, model):
    row = ROW_FACTORIES[model]()

    assert staff_client.get(_url(model, "changelist")).status_code == 200
    assert staff_client.get(_url(model, "change", row.pk)).status_code == 200
    # An audit trail or a job cannot be typed in: it is written by the services only.
    expected_add = 403 if model in READ_ONLY_MODELS else 200
    assert staff_client.get(_url(model, "add")).status_code == expected_add


@pytest.mark.parametrize(
    "model",
    [m for m in REGISTERED if hasattr(m, "history")],
    ids=lambda model: model._meta.label,
)
def test_staff_see_who_changed_what_on_models_with_history(staff_client, model):
    row = ROW_FACTORIES[model]()

    response = staff_client.get(_url(model, "history", row.pk))

    assert response.status_code == 200


def test_a_history_version_cannot_be_reverted_around_the_services(staff_client):
    application = cf.ApplicationFactory(submitted=True)
    application_transition(application=application, to_status=ApplicationStatus.ELIGIBLE)
    first_version = application.history.order_by("history_id").first()

    response = staff_client.post(
        _url(Application, "simple_history", application.pk, first_version.history_id), {"cohort": application.cohort_id}
    )

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE


def test_someone_without_staff_status_is_sent_to_the_admin_login(client):
    entrepreneur = pf.EntrepreneurFactory().user
    client.force_login(entrepreneur)

    for url in (reverse("admin:index"), _url(Application, "changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_cannot_raise_their_own_privileges_on_the_user_form(staff_client, staff):
    response = staff_client.get(_url(User, "change", staff.pk))

    form = response.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    assert "groups" in form.fields


def test_staff_create_a_user_who_gets_a_link_to_choose_their_password(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            _url(User, "add"), {"email": "Awa.Diop@Example.sn", "first_name": "Awa", "last_name": "Diop"}
        )

    assert response.status_code == 302
    user = User.objects.get(email__iexact="awa.diop@example.sn")
    assert not user.has_usable_password()
    assert [m.to for m in mailoutbox] == [["awa.diop@example.sn"]]
    assert "/accounts/password/reset/" in mailoutbox[0].body


# --------------------------------------------------------------------------------------------------
# Lists do not grow their queries with their rows
# --------------------------------------------------------------------------------------------------


def _many(factory, count):
    for _ in range(count):
        factory()


LIST_ROWS = {
    Application: lambda: cf.ApplicationFactory(submitted=True),
    partners_models.Organisation: lambda: pf.OrganisationFactory(relay_agency=pf.OrganisationFactory(kind="support_agency")),
    partners_models.Company: lambda: pf.CompanyFactory(incubator=pf.OrganisationFactory()),
    partners_models.Entrepreneur: pf.EntrepreneurFactory,
    cohorts_models.Review: cf.ReviewFactory,
    coaching_models.CoachingSession: chf.CoachingSessionFactory,
    VisaFile: lambda: mf.VisaFileFactory(agency=pf.OrganisationFactory(kind="visa_agency")),
    mobility_models.Trip: lambda: mf.TripFactory(mission=mf.EconomicMissionFactory()),
    mobility_models.Invitation: lambda: mf.InvitationFactory(contact=pf.OrganisationContactFactory()),
    mobility_models.B2BMeeting: mf.B2BMeetingFactory,
    mobility_models.TripCost: mf.TripCostFactory,
    Partnership: _partnership,
    mobility_models.FollowUpCheckIn: mf.FollowUpCheckInFactory,
    mobility_models.PartnerCheckIn: mf.PartnerCheckInFactory,
    mobility_models.StageProposal: mf.StageProposalFactory,
    mobility_models.CheckInPartnershipAnswer: mf.CheckInPartnershipAnswerFactory,
    cohorts_models.Expense: lambda: cf.ExpenseFactory(cohort=cf.CohortFactory()),
    reporting_models.ReportJob: lambda: rf.ReportJobFactory(requested_by=UserFactory(), cohort=cf.CohortFactory()),
    User: lambda: UserFactory(roles=[Role.COACH, Role.REVIEWER]),
}


@pytest.mark.parametrize("model", list(LIST_ROWS), ids=lambda model: model._meta.label)
def test_a_list_runs_as_many_queries_for_30_rows_as_for_3(staff_client, model):
    url = _url(model, "changelist")
    _many(LIST_ROWS[model], 3)
    with CaptureQueriesContext(connection) as with_3:
        assert staff_client.get(url).status_code == 200

    _many(LIST_ROWS[model], 27)
    with CaptureQueriesContext(connection) as with_30:
        response = staff_client.get(url)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 30
    assert len(with_30) == len(with_3), "\n".join(q["sql"] for q in with_30.captured_queries)


# --------------------------------------------------------------------------------------------------
# Application status and partnership stage move only through the services
# --------------------------------------------------------------------------------------------------


def _run_action(client, model, action: str, rows):
    return client.post(
        _url(model, "changelist"),
        {"action": action, admin.helpers.ACTION_CHECKBOX_NAME: [row.pk for row in rows]},
        follow=True,
    )


def test_the_status_is_read_only_on_the_application_form(staff_client):
    application = cf.ApplicationFactory(submitted=True)

    response = staff_client.get(_url(Application, "change", application.pk))

    assert "status" not in response.context["adminform"].form.fields


def test_marking_applications_eligible_goes_through_the_service(staff_client, staff):
    applications = [cf.ApplicationFactory(submitted=True) for _ in range(2)]

    response = _run_action(staff_client, Application, "mark_eligible", applications)

    assert response.status_code == 200
    for application in applications:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.ELIGIBLE
        assert application.is_eligible is True
    moves = ApplicationTransition.objects.filter(application__in=applications)
    assert sorted(moves.values_list("from_status", "to_status", "by")) == [
        ("submitted", "eligible", staff.pk),
        ("submitted", "eligible", staff.pk),
    ]


def test_an_invalid_move_shows_an_error_and_changes_nothing(staff_client):
    draft = cf.ApplicationFactory()
    submitted = cf.ApplicationFactory(submitted=True)

    response = _run_action(staff_client, Application, "mark_under_review", [draft, submitted])

    assert response.status_code == 200
    errors = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert len(errors) == 2
    assert "ne peut pas passer" in errors[0]
    assert not ApplicationTransition.objects.exists()
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_the_stage_is_read_only_and_moves_through_the_service(staff_client, staff):
    partnership = _partnership()

    form = staff_client.get(_url(Partnership, "change", partnership.pk)).context["adminform"].form
    response = _run_action(staff_client, Partnership, "move_to_discussion", [partnership])

    assert "stage" not in form.fields
    assert response.status_code == 200
    partnership.refresh_from_db()
    assert partnership.stage == PartnershipStage.DISCUSSION
    assert list(partnership.stage_changes.values_list("to_stage", "by")) == [("prospect", None), ("discussion", staff.pk)]


def test_moving_a_partnership_to_its_own_stage_is_an_error_message(staff_client):
    partnership = _partnership()
    _run_action(staff_client, Partnership, "move_to_discussion", [partnership])

    response = _run_action(staff_client, Partnership, "move_to_discussion", [partnership])

    assert response.status_code == 200
    errors = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors and "déjà à cette étape" in errors[0]
    assert partnership.stage_changes.count() == 2


def test_a_move_back_from_the_back_office_needs_the_reason_the_partnership_page_asks_for(staff_client):
    partnership = _partnership()
    _run_action(staff_client, Partnership, "move_to_agreement", [partnership])

    response = _run_action(staff_client, Partnership, "move_to_discussion", [partnership])

    errors = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors
    partnership.refresh_from_db()
    assert partnership.stage == PartnershipStage.AGREEMENT
    assert "move_to_ended" not in staff_client.get(_url(Partnership, "changelist")).content.decode()


def test_a_partnership_added_in_the_admin_opens_through_the_service(staff_client, staff):
    application = cf.ApplicationFactory(submitted=True)
    company = pf.BelgianCompanyFactory()

    response = staff_client.post(
        _url(Partnership, "add"),
        {
            "application": application.pk,
            "organisation": company.pk,
            "type": "export",
            "started_on": "01/06/2023",
            "description": "",
            "stage_changes-TOTAL_FORMS": "0",
            "stage_changes-INITIAL_FORMS": "0",
            "transactions-TOTAL_FORMS": "0",
            "transactions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["errors"] if response.context else response
    partnership = Partnership.objects.get(application=application)
    assert partnership.stage == PartnershipStage.PROSPECT
    assert list(partnership.stage_changes.values_list("from_stage", "to_stage", "by")) == [("", "prospect", staff.pk)]


# --------------------------------------------------------------------------------------------------
# Personal data: passport numbers and private files
# --------------------------------------------------------------------------------------------------


def test_the_passport_number_is_never_in_the_visa_list_nor_found_by_search(staff_client):
    mf.VisaFileFactory(passport_number="AB1234567")

    listing = staff_client.get(_url(VisaFile, "changelist"))
    search = staff_client.get(_url(VisaFile, "changelist"), {"q": "AB1234567"})

    assert listing.status_code == 200
    assert "AB1234567" not in listing.content.decode()
    assert search.context["cl"].result_count == 0


def test_the_change_form_shows_the_passport_number_masked_and_keeps_it_when_left_empty(staff_client):
    visa_file = mf.VisaFileFactory(passport_number="AB1234567")

    html = staff_client.get(_url(VisaFile, "change", visa_file.pk)).content.decode()

    assert "AB1234567" not in html
    assert "567" in html


def test_staff_with_the_change_permission_type_a_new_passport_number(staff_client):
    visa_file = mf.VisaFileFactory(passport_number="AB1234567")
    url = _url(VisaFile, "change", visa_file.pk)
    data = {
        "application": visa_file.application_id,
        "status": "preparing",
        "passport_expires_on": "01/01/2030",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }

    staff_client.post(url, {**data, "passport_number": ""})
    visa_file.refresh_from_db()
    kept = visa_file.passport_number
    response = staff_client.post(url, {**data, "passport_number": "zz7654321"})

    assert kept == "AB1234567", "an empty field keeps the number on record"
    assert response.status_code == 302, response.context["errors"]
    visa_file.refresh_from_db()
    assert visa_file.passport_number == "ZZ7654321"


def test_an_admin_form_shown_again_with_an_error_does_not_echo_the_typed_passport_number(staff_client):
    visa_file = mf.VisaFileFactory(passport_number="AB1234567")
    data = {
        "application": visa_file.application_id,
        "status": "preparing",
        "passport_expires_on": "31/02/2030",  # no such day: the form comes back with its error
        "passport_number": "zz7654321",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }

    response = staff_client.post(_url(VisaFile, "change", visa_file.pk), data)

    assert response.status_code == 200 and response.context["errors"]
    html = response.content.decode()
    assert "zz7654321" not in html.lower() and "AB1234567" not in html
    visa_file.refresh_from_db()
    assert visa_file.passport_number == "AB1234567"


def test_a_reader_without_the_change_permission_sees_only_the_masked_number(client):
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_visafile"))
    client.force_login(reader)
    visa_file = mf.VisaFileFactory(passport_number="AB1234567")

    response = client.get(_url(VisaFile, "change", visa_file.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert "AB1234567" not in html
    assert "•••" in html


def test_private_documents_link_to_the_checked_document_view_never_to_the_file(staff_client):
    document = cf.ApplicationDocumentFactory(original_name="statuts-signes.pdf")
    checked = reverse("cohorts:application_document_download", kwargs={"pk": document.application_id, "document_pk": document.pk})

    html = staff_client.get(_url(ApplicationDocument, "change", document.pk)).content.decode()
    application_html = staff_client.get(_url(Application, "change", document.application_id)).content.decode()

    for page in (html, application_html):
        assert "statuts-signes.pdf" in page
        assert document.file.name not in page
        assert f'href="{checked}?view=1"' in page  # opened in the browser's viewer
        assert f'href="{checked}"' in page  # downloaded


def test_the_application_change_page_links_the_staff_page(staff_client):
    application = cf.ApplicationFactory()

    html = staff_client.get(_url(Application, "change", application.pk)).content.decode()

    assert reverse("cohorts:application_staff_detail", args=[application.pk]) in html


def test_an_uploaded_document_gets_its_name_type_size_and_fingerprint_from_the_file(staff_client, staff):
    from cohorts.tests.test_apply_documents import PDF  # a readable PDF: the admin applies the site's upload rule

    application = cf.ApplicationFactory(submitted=True)
    upload = SimpleUploadedFile("Statuts.pdf", PDF, content_type="application/pdf")

    response = staff_client.post(
        _url(ApplicationDocument, "add"), {"application": application.pk, "kind": "registration", "file": upload}
    )

    assert response.status_code == 302
    document = ApplicationDocument.objects.get(application=application)
    assert (document.original_name, document.content_type, document.size, document.uploaded_by) == (
        "Statuts.pdf",
        "application/pdf",
        len(PDF),
        staff,
    )
    assert len(document.sha256) == 64


def test_an_upload_that_is_not_a_pdf_or_an_image_is_refused(staff_client):
    application = cf.ApplicationFactory(submitted=True)
    upload = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")

    response = staff_client.post(_url(ApplicationDocument, "add"), {"application": application.pk, "kind": "cv", "file": upload})

    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not ApplicationDocument.objects.exists()


def _export_csv(client, model) -> str:
    url = _url(model, "export")
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({name: "on" for name in form.fields if name not in ("format", "resource", "export_items")})
    response = client.post(url, data)
    assert response["Content-Type"].startswith("text/csv"), response.context["form"].errors
    return response.content.decode()


@pytest.mark.parametrize(
    ("model", "make", "expected"),
    [
        (Application, lambda: cf.ApplicationFactory(submitted=True, entrepreneur__email="fatou@example.sn"), "fatou@example.sn"),
        (partners_models.Organisation, lambda: pf.OrganisationFactory(name="Incubateur Teranga"), "Incubateur Teranga"),
        (partners_models.Company, lambda: pf.CompanyFactory(name="Baobab Foods SARL"), "Baobab Foods SARL"),
        (partners_models.Entrepreneur, lambda: pf.EntrepreneurFactory(email="moussa@example.sn"), "moussa@example.sn"),
    ],
    ids=["applications", "organisations", "companies", "entrepreneurs"],
)
def test_staff_export_the_main_lists(staff_client, model, make, expected):
    make()

    assert expected in _export_csv(staff_client, model)


def test_visa_files_cannot_be_exported():
    assert not hasattr(admin.site._registry[VisaFile], "export_action")


def test_an_expense_in_fcfa_gets_its_euro_amount_at_the_fixed_parity(staff_client):
    budget_line = cf.BudgetLineFactory()

    response = staff_client.post(
        _url(cohorts_models.Expense, "add"),
        {
            "budget_line": budget_line.pk,
            "spent_on": "02/05/2023",
            "amount": "655957",
            "currency": "XOF",
            "description": "Billets d'avion",
        },
    )

    assert response.status_code == 302, response.context["errors"]
    assert cohorts_models.Expense.objects.get().amount_eur == 1000


def test_the_admin_refuses_a_png_header_glued_on_something_else_like_the_applicant_form():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cohorts.admin import ApplicationDocumentForm

    application = cf.ApplicationFactory(submitted=True)
    fake = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"not an image" * 10, content_type="image/png")
    form = ApplicationDocumentForm(data={"application": application.pk, "kind": "other"}, files={"file": fake})

    assert not form.is_valid()
    assert "file" in form.errors
