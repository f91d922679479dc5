"""Visa files: the timeline and its bad input, the passport number (unreadable in the row, absent from
the history and the logs, masked on every page), invitation letters as a job, the checklist per
consulate, and the one selector of refusal rate and median days shared with the indicators."""

import datetime
import io
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching.tests.factories import CoachAssignmentFactory
from cohorts.tests.factories import ApplicationFactory
from core.jobs import JobStatus
from mobility import services_visa as services
from mobility.models import (
    InvitationLetter,
    InvitationStatus,
    VisaDocumentKind,
    VisaFile,
    VisaRequirement,
    VisaStatus,
    VisaStatusChange,
    passport_number_masked,
)
from mobility.selectors_visa import visa_checklist, visa_decisions
from mobility.tests.factories import B2BMeetingFactory, InvitationFactory, TripFactory, VisaFileFactory
from partners.models import Organisation, OrganisationKind
from partners.tests.factories import OrganisationContactFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def staff():
    return UserFactory(roles=[Role.STAFF])


@pytest.fixture
def opened(staff):
    application = ApplicationFactory(submitted=True)
    visa_file, _created = services.visa_file_open(application=application, by=staff)
    VisaStatusChange.objects.filter(visa_file=visa_file).update(changed_on=days_ago(60))
    return visa_file


def move(visa_file, staff, to_status, on, **extra):
    return services.visa_status_change(visa_file=visa_file, to_status=to_status, on=on, by=staff, **extra)


# --------------------------------------------------------------------------------------------------
# The timeline
# --------------------------------------------------------------------------------------------------


def test_opening_a_file_twice_gives_the_same_file_and_records_its_first_step(staff):
    application = ApplicationFactory(submitted=True)

    first, created = services.visa_file_open(application=application, by=staff)
    second, created_again = services.visa_file_open(application=application, by=staff)

    assert created and not created_again and first.pk == second.pk
    assert list(first.status_changes.values_list("from_status", "to_status")) == [("", VisaStatus.PREPARING)]


def test_a_file_goes_from_preparing_to_granted_and_each_step_is_recorded_with_its_date(opened, staff):
    move(opened, staff, VisaStatus.SUBMITTED, days_ago(30), appointment_on=days_ago(25))
    move(opened, staff, VisaStatus.APPOINTMENT, days_ago(25))
    visa_file = move(
        opened, staff, VisaStatus.GRANTED, days_ago(10), valid_from=days_ago(5), valid_until=TODAY + datetime.timedelta(days=30)
    )

    assert visa_file.status == VisaStatus.GRANTED
    assert (visa_file.submitted_on, visa_file.appointment_on, visa_file.decision_on) == (days_ago(30), days_ago(25), days_ago(10))
    steps = list(visa_file.status_changes.values_list("from_status", "to_status", "changed_on", "by"))
    assert steps[1:] == [
        (VisaStatus.PREPARING, VisaStatus.SUBMITTED, days_ago(30), staff.pk),
        (VisaStatus.SUBMITTED, VisaStatus.APPOINTMENT, days_ago(25), staff.pk),
        (VisaStatus.APPOINTMENT, VisaStatus.GRANTED, days_ago(10), staff.pk),
    ]


def test_a_decision_before_the_submission_is_refused(opened, staff):
    with pytest.raises(ValidationError) as error:
        move(opened, staff, VisaStatus.GRANTED, days_ago(5))

    assert "to_status" in error.value.message_dict
    opened.refresh_from_db()
    assert opened.status == VisaStatus.PREPARING and opened.status_changes.count() == 1


def test_a_refusal_without_a_reason_is_refused(opened, staff):
    move(opened, staff, VisaStatus.SUBMITTED, days_ago(30))

    with pytest.raises(ValidationError) as error:
        move(opened, staff, VisaStatus.REFUSED, days_ago(5), refusal_reason="")

    assert "refusal_reason" in error.value.message_dict
    assert VisaFile.objects.get(pk=opened.pk).status == VisaStatus.SUBMITTED


def test_an_appeal_without_a_refusal_is_refused(opened, staff):
    move(opened, staff, VisaStatus.SUBMITTED, days_ago(30))

    with pytest.raises(ValidationError) as error:
        move(opened, staff, VisaStatus.APPEAL, days_ago(5))

    assert "recours" in " ".join(error.value.message_dict["to_status"])


def test_a_refusal_may_be_appealed_and_the_appeal_granted(opened, staff):
    move(opened, staff, VisaStatus.SUBMITTED, days_ago(60))
    move(opened, staff, VisaStatus.REFUSED, days_ago(40), refusal_reason="means")
    move(opened, staff, VisaStatus.APPEAL, days_ago(35))
    visa_file = move(opened, staff, VisaStatus.GRANTED, days_ago(5))

    assert visa_file.status == VisaStatus.GRANTED and visa_file.appeal_on == days_ago(35) and visa_file.decision_on == days_ago(5)
    assert [s for _f, s in visa_file.status_changes.values_list("from_status", "to_status")][-3:] == [
        "refused",
        "appeal",
        "granted",
    ]


def test_a_step_dated_before_the_previous_one_or_in_the_future_is_refused(opened, staff):
    move(opened, staff, VisaStatus.SUBMITTED, days_ago(30))

    with pytest.raises(ValidationError) as earlier:
        move(opened, staff, VisaStatus.GRANTED, days_ago(31))
    with pytest.raises(ValidationError) as future:
        move(opened, staff, VisaStatus.GRANTED, TODAY + datetime.timedelta(days=1))

    assert "on" in earlier.value.message_dict and "on" in future.value.message_dict


def test_a_final_status_has_no_next_step(opened, staff):
    move(opened, staff, VisaStatus.WITHDRAWN, days_ago(1))

    with pytest.raises(ValidationError):
        move(opened, staff, VisaStatus.SUBMITTED, TODAY)


def test_the_staff_page_shows_the_service_message_for_a_decision_before_submission_and_keeps_the_form(client, opened, staff):
    client.force_login(staff)

    response = client.post(
        reverse("mobility:visa_status_change", args=[opened.pk]),
        {"to_status": "granted", "on": days_ago(1).isoformat(), "note": "tapé"},
    )

    assert response.status_code == 400
    assert "doit d&#x27;abord être déposé" in response.content.decode()
    assert response.context["status_form"]["note"].value() == "tapé"


def test_a_date_typed_wrong_is_a_form_error_not_a_500(client, opened, staff):
    client.force_login(staff)

    response = client.post(reverse("mobility:visa_status_change", args=[opened.pk]), {"to_status": "submitted", "on": "31/02/zz"})

    assert response.status_code == 400
    assert response.context["status_form"].errors["on"]


# --------------------------------------------------------------------------------------------------
# The passport number
# --------------------------------------------------------------------------------------------------


def test_the_passport_number_is_unreadable_in_the_row_absent_from_history_and_shown_masked(client, opened, staff):
    services.visa_passport_set(visa_file=opened, number="ab 1234 5678", expires_on=datetime.date(2031, 1, 1), by=staff)

    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM mobility_visafile WHERE id = %s", [opened.pk])
        raw = cursor.fetchone()[0]
    history_columns = [field.name for field in VisaFile.history.model._meta.fields]
    client.force_login(staff)
    page = client.get(reverse("mobility:visa_file", args=[opened.pk])).content.decode()

    assert VisaFile.objects.get(pk=opened.pk).passport_number == "AB12345678"
    assert "AB12345678" not in raw and "12345678" not in raw
    assert "passport_number" not in history_columns
    assert "AB12345678" not in page and "•••• 5678" in page
    assert passport_number_masked("AB12345678") == "•••• 5678"


def test_the_passport_number_never_reaches_the_logs(opened, staff, client):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        services.visa_passport_set(visa_file=opened, number="ZX9876543", expires_on=None, by=staff)
        client.force_login(staff)
        client.post(reverse("mobility:visa_passport_set", args=[opened.pk]), {"number": "QW5554443"})
        client.post(reverse("mobility:visa_passport_set", args=[opened.pk]), {"number": "bad!!"})  # refused: not echoed
        move(opened, staff, VisaStatus.SUBMITTED, days_ago(3))
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)

    logged = "\n".join(f"{r.getMessage()} {r.args!r} {getattr(r, 'sql', '')} {getattr(r, 'params', '')}" for r in records)
    assert records, "the capture saw nothing: the test would prove nothing"
    for number in ("ZX9876543", "QW5554443", "9876543", "5554443"):
        assert number not in logged


def test_a_refused_passport_number_is_not_sent_back_to_the_browser(client, opened, staff):
    client.force_login(staff)

    response = client.post(reverse("mobility:visa_passport_set", args=[opened.pk]), {"number": "AB12<>"})

    assert response.status_code == 400
    assert "AB12&lt;&gt;" not in response.content.decode() and "AB12<>" not in response.content.decode()


def test_the_typed_passport_number_is_hidden_from_error_reports(client, opened, staff):
    from django.views.debug import SafeExceptionReporterFilter

    client.force_login(staff)

    response = client.post(reverse("mobility:visa_passport_set", args=[opened.pk]), {"number": "QW5554443"})

    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert "QW5554443" not in str(reported) and reported["number"] == SafeExceptionReporterFilter.cleansed_substitute


# --------------------------------------------------------------------------------------------------
# Checklist per programme and consulate
# --------------------------------------------------------------------------------------------------


def test_the_checklist_is_the_programmes_with_the_consulates_own_lines_replacing_the_general_ones():
    embassy = Organisation.objects.create(name="Ambassade de Belgique à Dakar", kind=OrganisationKind.EMBASSY, country="SN")
    other = Organisation.objects.create(name="Consulat d'Abidjan", kind=OrganisationKind.EMBASSY, country="CI")
    visa_file = VisaFileFactory(consulate=embassy)
    programme = visa_file.application.cohort.programme
    VisaRequirement.objects.create(
        programme=programme, kind="passport", instructions_fr="Valable 6 mois", instructions_en="Valid 6 months"
    )
    VisaRequirement.objects.create(programme=programme, kind="insurance", is_required=False)
    VisaRequirement.objects.create(programme=programme, consulate=embassy, kind="insurance", is_required=True)
    VisaRequirement.objects.create(programme=programme, consulate=other, kind="means")

    items = {item.kind: item for item in visa_checklist(visa_file=visa_file)}

    assert set(items) == {"passport", "insurance"}
    assert items["insurance"].required and items["insurance"].is_missing
    assert str(items["passport"].instructions) == "Valable 6 mois"


def test_a_programme_without_lines_asks_for_the_standard_checklist():
    items = visa_checklist(visa_file=VisaFileFactory())

    assert [item.kind for item in items] == ["passport", "invitation", "means", "company", "insurance", "mobility_plan"]


# --------------------------------------------------------------------------------------------------
# Invitation letters
# --------------------------------------------------------------------------------------------------


def accepted_invitation(visa_file):
    trip = TripFactory(application=visa_file.application)
    contact = OrganisationContactFactory(full_name="Els Peeters", position="Directrice commerciale")
    invitation = InvitationFactory(
        trip=trip,
        organisation=contact.organisation,
        contact=contact,
        status=InvitationStatus.ACCEPTED,
        sent_at=timezone.now() - datetime.timedelta(days=3),
        answered_at=timezone.now(),
    )
    B2BMeetingFactory(trip=trip, organisation=contact.organisation, invitation=invitation)
    return invitation


def test_a_letter_is_drawn_as_pdf_from_an_accepted_invitation_and_attached_once(
    opened, staff, django_capture_on_commit_callbacks
):
    invitation = accepted_invitation(opened)
    InvitationFactory(trip=invitation.trip, status=InvitationStatus.DECLINED, sent_at=timezone.now(), answered_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        letters = services.invitation_letters_request(visa_file=opened, by=staff)
        again = services.invitation_letters_request(visa_file=opened, by=staff)

    assert len(letters) == 1 and again == []
    letter = InvitationLetter.objects.get()
    assert letter.status == JobStatus.DONE, letter.error
    document = letter.document
    assert document.kind == VisaDocumentKind.INVITATION and document.content_type == "application/pdf"
    with document.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert invitation.organisation.name in text and "Els Peeters" in text
    # A second delivery of the task changes nothing: one document.
    assert services.invitation_letter_execute(letter_id=letter.pk) is None
    assert opened.documents.filter(kind=VisaDocumentKind.INVITATION).count() == 1


def test_no_letter_is_asked_for_a_file_whose_documents_were_purged(client, opened, staff):
    accepted_invitation(opened)
    VisaFile.objects.filter(pk=opened.pk).update(documents_purged_on=days_ago(1))

    with pytest.raises(ValidationError, match="effacées"):
        services.invitation_letters_request(visa_file=opened, by=staff)
    client.force_login(staff)
    page = client.post(reverse("mobility:visa_letters_request", args=[opened.pk]), follow=True).content.decode()

    assert "aucune nouvelle lettre ne peut y être ajoutée" in page.replace("&#x27;", "'")
    assert not InvitationLetter.objects.exists()


@pytest.mark.parametrize("purged", ["before the job starts", "while the PDF is drawn"])
def test_a_letter_job_for_a_file_purged_meanwhile_ends_without_a_file(opened, staff, django_capture_on_commit_callbacks, purged):
    from unittest import mock

    accepted_invitation(opened)
    with django_capture_on_commit_callbacks(execute=False):
        (letter,) = services.invitation_letters_request(visa_file=opened, by=staff)

    def purge(**_kwargs):
        VisaFile.objects.filter(pk=opened.pk).update(documents_purged_on=days_ago(0))
        return b"%PDF-1.4 letter"

    if purged == "before the job starts":
        purge()
    with mock.patch.object(services, "pdf_render", side_effect=purge):
        ended = services.invitation_letter_execute(letter_id=letter.pk)

    assert ended.status == JobStatus.FAILED and ended.document is None
    assert "effacées" in ended.error_display
    assert not opened.documents.filter(kind=VisaDocumentKind.INVITATION).exists()


def test_the_staff_page_shows_the_letters_status(client, opened, staff):
    invitation = accepted_invitation(opened)
    InvitationLetter.objects.create(visa_file=opened, invitation=invitation, requested_by=staff)
    client.force_login(staff)

    html = client.get(reverse("mobility:visa_file", args=[opened.pk])).content.decode()

    assert invitation.organisation.name in html and escape(str(JobStatus.QUEUED.label)) in html


# --------------------------------------------------------------------------------------------------
# Who sees what
# --------------------------------------------------------------------------------------------------


def test_the_coach_sees_the_visa_status_but_never_the_passport_nor_the_documents(client, opened, staff):
    services.visa_passport_set(visa_file=opened, number="AB1234567", expires_on=None, by=staff)
    move(opened, staff, VisaStatus.SUBMITTED, days_ago(3))
    assignment = CoachAssignmentFactory(application=opened.application)
    client.force_login(assignment.coach.user)

    html = client.get(reverse("mobility:plan_review", args=[opened.application_id])).content.decode()

    assert str(VisaStatus.SUBMITTED.label) in html
    assert "4567" not in html and "visas/pieces" not in html
    assert client.get(reverse("mobility:visa_file", args=[opened.pk])).status_code == 404


def test_the_entrepreneur_sees_their_own_status_and_what_is_missing(client, opened, staff):
    move(opened, staff, VisaStatus.SUBMITTED, days_ago(3))
    client.force_login(opened.application.entrepreneur.user)

    response = client.get(reverse("mobility:my_visa"))

    html = response.content.decode()
    assert response.status_code == 200 and str(VisaStatus.SUBMITTED.label) in html
    assert "Il manque" in html and str(VisaDocumentKind.INSURANCE.label) in html


def test_visa_decisions_count_the_final_decisions_only():
    cohort = ApplicationFactory(submitted=True).cohort
    for status, days in [("granted", 10), ("granted", 20), ("refused", 31)]:
        VisaFileFactory(
            application=ApplicationFactory(cohort=cohort, submitted=True),
            status=status,
            submitted_on=days_ago(60),
            decision_on=days_ago(60 - days),
            refusal_reason="means" if status == "refused" else "",
        )

    figures = visa_decisions(VisaFile.objects.filter(application__cohort=cohort))[None]

    assert (figures.granted, figures.refused, str(figures.refusal_rate), str(figures.median_days)) == (2, 1, "33.3", "20.0")
