"""Visa documents: the upload rules of application documents (content-checked type, size limit, private
random name), the download door (owner and staff only, always an attachment), the retention job and
anonymisation covering every file kept on a visa file, and the staff board's constant query count."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching.tests.factories import CoachAssignmentFactory
from cohorts.models import ApplicationStatus
from cohorts.services.apply import MAX_DOCUMENT_SIZE
from cohorts.tests.factories import ApplicationFactory, ProgrammeMembershipFactory
from cohorts.tests.test_apply_documents import PDF, pdf_bytes, png_bytes
from core.storage import private_storage
from mobility.models import InvitationLetter, VisaDocument, VisaDocumentKind, VisaStatus
from mobility.services_privacy import person_anonymise, retention_run_execute, retention_schedule
from mobility.tests.factories import InvitationFactory, TripFactory, VisaDocumentFactory, VisaFileFactory
from partners.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def visa_file():
    return VisaFileFactory(application=ApplicationFactory(submitted=True, entrepreneur=EntrepreneurFactory()))


@pytest.fixture
def owner(visa_file):
    return visa_file.application.entrepreneur.user


def upload(client, visa_file, file, kind="insurance"):
    return client.post(reverse("mobility:visa_document_upload", args=[visa_file.pk]), {"kind": kind, "file": file})


# --------------------------------------------------------------------------------------------------
# Upload rules
# --------------------------------------------------------------------------------------------------


def test_the_entrepreneur_uploads_a_pdf_stored_privately_under_a_random_name(client, visa_file, owner):
    client.force_login(owner)

    response = upload(client, visa_file, SimpleUploadedFile("assurance voyage.pdf", PDF, content_type="application/pdf"))

    assert response.status_code == 302 and response.url == reverse("mobility:my_visa")
    document = VisaDocument.objects.get(visa_file=visa_file)
    assert document.original_name == "assurance voyage.pdf" and document.content_type == "application/pdf"
    assert document.size == len(PDF) and document.uploaded_by == owner and document.is_received
    assert "assurance" not in document.file.name and private_storage().exists(document.file.name)


def test_an_exe_renamed_pdf_is_refused(client, visa_file, owner):
    client.force_login(owner)
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200

    response = upload(client, visa_file, SimpleUploadedFile("facture.pdf", exe, content_type="application/pdf"))

    assert response.status_code == 400
    assert "Seuls les fichiers PDF, JPEG ou PNG" in response.content.decode()
    assert not VisaDocument.objects.exists()


def test_an_html_page_is_refused(client, visa_file, owner):
    client.force_login(owner)
    html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"

    response = upload(client, visa_file, SimpleUploadedFile("lettre.html", html, content_type="text/html"))

    assert response.status_code == 400 and not VisaDocument.objects.exists()


def test_a_file_over_the_limit_is_refused(client, visa_file, owner):
    client.force_login(owner)
    big = b"%PDF-1.4\n" + b"0" * MAX_DOCUMENT_SIZE

    response = upload(client, visa_file, SimpleUploadedFile("gros.pdf", big, content_type="application/pdf"))

    assert response.status_code == 400 and "10 Mo" in response.content.decode()
    assert not VisaDocument.objects.exists()


def test_a_pdf_with_javascript_is_refused(client, visa_file, owner):
    client.force_login(owner)

    response = upload(client, visa_file, SimpleUploadedFile("a.pdf", pdf_bytes(js=True), content_type="application/pdf"))

    assert response.status_code == 400 and not VisaDocument.objects.exists()


def test_a_picture_is_stored_re_encoded(client, visa_file, owner):
    client.force_login(owner)

    response = upload(client, visa_file, SimpleUploadedFile("passeport.png", png_bytes() + b"<script>", content_type="image/png"))

    assert response.status_code == 302
    with VisaDocument.objects.get().file.open("rb") as handle:
        assert b"<script>" not in handle.read()


def test_an_unknown_kind_is_a_form_error(client, visa_file, owner):
    client.force_login(owner)

    response = upload(client, visa_file, SimpleUploadedFile("a.pdf", PDF), kind="visa-stamp")

    assert response.status_code == 400 and not VisaDocument.objects.exists()


def test_another_entrepreneur_cannot_upload_to_someone_elses_file(client, visa_file):
    client.force_login(EntrepreneurFactory().user)

    assert upload(client, visa_file, SimpleUploadedFile("a.pdf", PDF)).status_code == 404


def test_the_entrepreneur_cannot_change_a_decided_file_but_staff_can(client, visa_file, owner):
    visa_file.status, visa_file.submitted_on, visa_file.decision_on = VisaStatus.GRANTED, TODAY, TODAY
    visa_file.save()
    client.force_login(owner)

    refused = upload(client, visa_file, SimpleUploadedFile("a.pdf", PDF))
    client.force_login(UserFactory(roles=[Role.STAFF]))
    accepted = upload(client, visa_file, SimpleUploadedFile("a.pdf", PDF))

    assert refused.status_code == 400 and accepted.status_code == 302


def test_the_entrepreneur_removes_their_own_upload_and_its_file_goes(
    client, visa_file, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    upload(client, visa_file, SimpleUploadedFile("a.pdf", PDF))
    document = VisaDocument.objects.get()
    name = document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mobility:visa_document_remove", args=[document.pk]))

    assert response.status_code == 302 and not VisaDocument.objects.exists()
    assert not private_storage().exists(name)


# --------------------------------------------------------------------------------------------------
# Download: who may open a visa document
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def stored_document(visa_file):
    document = VisaDocumentFactory(
        visa_file=visa_file,
        kind="passport",
        is_received=True,
        received_on=TODAY,
        original_name="mon passeport.pdf",
        content_type="application/pdf",
        uploaded_at=timezone.now(),
    )
    document.file.save("doc", ContentFile(PDF), save=True)
    return document


def _visitor(name: str, visa_file):
    if name == "owner":
        return visa_file.application.entrepreneur.user
    if name == "other_entrepreneur":
        return EntrepreneurFactory().user
    if name == "coach":
        return CoachAssignmentFactory(application=visa_file.application).coach.user
    if name == "staff":
        return UserFactory(roles=[Role.STAFF])
    if name == "committee":
        user = UserFactory(roles=[Role.COMMITTEE])
        ProgrammeMembershipFactory(user=user, programme=visa_file.application.cohort.programme, role=Role.COMMITTEE)
        return user
    return None


@pytest.mark.parametrize(
    "visitor, status",
    [("owner", 200), ("staff", 200), ("other_entrepreneur", 404), ("coach", 404), ("committee", 404), ("anonymous", 302)],
)
def test_who_may_download_a_visa_document(client, visa_file, stored_document, visitor, status):
    user = _visitor(visitor, visa_file)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("mobility:visa_document_download", args=[stored_document.pk]))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert "mon_passeport.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF


def test_a_coach_removing_a_document_gets_a_404(client, visa_file, stored_document):
    client.force_login(_visitor("coach", visa_file))

    assert client.post(reverse("mobility:visa_document_remove", args=[stored_document.pk])).status_code == 404
    assert VisaDocument.objects.filter(pk=stored_document.pk).exists()


# --------------------------------------------------------------------------------------------------
# Retention and anonymisation cover every file of a visa file
# --------------------------------------------------------------------------------------------------


def visa_file_with_every_kind_of_file(status="completed"):
    visa_file = VisaFileFactory()
    visa_file.passport_scan.save("scan", ContentFile(PDF), save=True)
    uploaded = VisaDocumentFactory(
        visa_file=visa_file, kind="means", content_type="application/pdf", uploaded_at=timezone.now(), original_name="releves.pdf"
    )
    uploaded.file.save("doc", ContentFile(PDF), save=True)
    trip = TripFactory(
        application=visa_file.application,
        departs_on=TODAY - datetime.timedelta(days=110),
        returns_on=TODAY - datetime.timedelta(days=100),
        status=status,
    )
    invitation = InvitationFactory(trip=trip, status="accepted", sent_at=timezone.now(), answered_at=timezone.now())
    letter_document = VisaDocumentFactory(
        visa_file=visa_file, kind=VisaDocumentKind.INVITATION, content_type="application/pdf", uploaded_at=timezone.now()
    )
    letter_document.file.save("letter", ContentFile(PDF), save=True)
    InvitationLetter.objects.create(visa_file=visa_file, invitation=invitation, document=letter_document, status="done")
    names = [visa_file.passport_scan.name, uploaded.file.name, letter_document.file.name]
    assert all(private_storage().exists(name) for name in names)
    return visa_file, names


def test_the_retention_job_deletes_uploads_generated_letters_and_the_passport_scan(django_capture_on_commit_callbacks):
    visa_file, names = visa_file_with_every_kind_of_file()

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_schedule(today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        retention_run_execute(run_id=run.pk)
    run.refresh_from_db()

    assert run.files_deleted == 3
    assert not any(private_storage().exists(name) for name in names)
    assert not VisaDocument.objects.filter(visa_file=visa_file).exclude(file="").exists()
    assert not VisaDocument.objects.filter(visa_file=visa_file).exclude(original_name="").exists()


def test_anonymisation_deletes_every_file_of_the_visa_file(django_capture_on_commit_callbacks):
    visa_file, names = visa_file_with_every_kind_of_file(status="planned")

    with django_capture_on_commit_callbacks(execute=True):
        anonymisation = person_anonymise(
            entrepreneur=visa_file.application.entrepreneur, by=UserFactory(roles=[Role.STAFF]), reason="demande"
        )

    assert anonymisation.files_deleted >= 3
    assert not any(private_storage().exists(name) for name in names)


# --------------------------------------------------------------------------------------------------
# The board
# --------------------------------------------------------------------------------------------------


def board_with(n: int):
    first = ApplicationFactory(submitted=True)
    cohort = first.cohort
    applications = [first] + [ApplicationFactory(cohort=cohort, submitted=True) for _ in range(n - 1)]
    for i, application in enumerate(applications):
        application.status = ApplicationStatus.SELECTED
        application.save(update_fields=["status"])
        if i % 3:
            visa_file = VisaFileFactory(
                application=application, status="submitted", submitted_on=TODAY - datetime.timedelta(days=40)
            )
            VisaDocumentFactory(visa_file=visa_file, kind="passport", is_received=True, received_on=TODAY)
            TripFactory(
                application=application,
                departs_on=TODAY + datetime.timedelta(days=5),
                returns_on=TODAY + datetime.timedelta(days=12),
                status="planned",
            )
    return cohort


def test_the_board_runs_the_same_queries_for_3_and_30_files(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory(roles=[Role.STAFF]))

    def count(cohort) -> int:
        url = reverse("mobility:visa_board") + f"?cohort={cohort.pk}"
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    small, large = count(board_with(3)), count(board_with(30))

    # session, user, roles, cohort asked, cohorts listed; applications with their file and next
    # departure; documents received; the checklist; decisions per cohort and per consulate; cohort names
    assert small == large, (small, large)
    assert small <= 14


def test_the_board_shows_steps_missing_documents_and_late_files(client):
    cohort = board_with(3)
    client.force_login(UserFactory(roles=[Role.STAFF]))

    response = client.get(reverse("mobility:visa_board"), {"cohort": cohort.pk})

    html = response.content.decode()
    assert "Sans décision depuis 40 jours" in html
    assert "visa non accordé" in html
    assert str(VisaDocumentKind.INSURANCE.label) in html
    assert "Ouvrir le dossier" in html
    counts = {label: n for label, n, _value in response.context["board"]["counts"]}
    assert counts[str(VisaStatus.SUBMITTED.label)] == 2


def test_the_board_opens_on_the_latest_cohort_with_someone_to_follow_not_an_empty_one(client):
    from cohorts.tests.factories import CohortFactory

    client.force_login(UserFactory(roles=[Role.STAFF]))
    followed = board_with(3)
    CohortFactory(programme=followed.programme, number=followed.number + 1)  # newer, nobody selected yet
    assert client.get(reverse("mobility:visa_board")).context["cohort"] == followed
