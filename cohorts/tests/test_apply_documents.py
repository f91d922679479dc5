"""Documents: accepted by their content (PDF, JPEG, PNG), at most 10 MB, stored privately under a random
name, downloadable only by their owner and staff."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationDocument
from cohorts.services import apply as services
from cohorts.tests.factories import ApplicationDocumentFactory, ApplicationFactory
from partners.tests.factories import EntrepreneurFactory

pytestmark = pytest.mark.django_db


def pdf_bytes(*, js: bool = False) -> bytes:
    """A real one-page PDF; with `js`, its catalogue opens on an action running JavaScript."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    if js:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = pdf_bytes()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(client, application, file, kind="registration"):
    url = reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 5})
    data = {"kind": kind, "action": "upload"}
    if file is not None:
        data["file"] = file
    return client.post(url, data)


@pytest.fixture
def draft(client):
    application = ApplicationFactory()
    client.force_login(application.entrepreneur.user)
    return application


@pytest.mark.parametrize(
    ("content", "name", "browser_type", "sniffed"),
    [
        (PDF, "statuts.pdf", "application/pdf", "application/pdf"),
        (png_bytes(), "logo.png", "image/png", "image/png"),
        (jpeg_bytes(), "photo.jpg", "image/jpeg", "image/jpeg"),
        # The browser's type and the name are ignored: a PDF sent as a PNG is stored as a PDF.
        (PDF, "scan.png", "image/png", "application/pdf"),
    ],
)
def test_it_stores_an_accepted_file_with_its_sniffed_type(client, draft, content, name, browser_type, sniffed):
    response = upload(client, draft, SimpleUploadedFile(name, content, content_type=browser_type))

    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    assert document.content_type == sniffed
    assert document.original_name == name
    assert name not in document.file.name and document.file.name.startswith(f"applications/{draft.pk}/")
    assert document.uploaded_by == draft.entrepreneur.user
    with document.file.open("rb") as handle:
        stored = handle.read()
    # A PDF is stored as sent; a picture is stored re-encoded (what is stored is what is measured).
    if sniffed == "application/pdf":
        assert stored == content
    assert document.size == len(stored)
    assert document.sha256 == hashlib.sha256(stored).hexdigest()


def test_it_rejects_an_exe_renamed_pdf(client, draft):
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    response = upload(client, draft, SimpleUploadedFile("facture.pdf", exe, content_type="application/pdf"))
    assert response.status_code == 200
    assert "Seuls les fichiers PDF, JPEG ou PNG sont acceptés" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_it_rejects_a_png_header_on_something_that_is_not_an_image(client, draft):
    fake = b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 10
    response = upload(client, draft, SimpleUploadedFile("image.png", fake, content_type="image/png"))
    assert response.status_code == 200
    assert not ApplicationDocument.objects.exists()


def test_it_rejects_a_file_over_10_mb(client, draft):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = upload(client, draft, SimpleUploadedFile("gros.pdf", big, content_type="application/pdf"))
    assert response.status_code == 200
    assert "Le fichier dépasse 10 Mo" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_it_accepts_a_file_of_exactly_10_mb(client, draft):
    exact = PDF + b"0" * (10 * 1024 * 1024 - len(PDF))
    assert upload(client, draft, SimpleUploadedFile("limite.pdf", exact, content_type="application/pdf")).status_code == 302


def test_it_rejects_an_empty_file(client, draft):
    response = upload(client, draft, SimpleUploadedFile("vide.pdf", b"", content_type="application/pdf"))
    assert response.status_code == 200
    assert "Le fichier est vide" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_it_asks_for_a_missing_file(client, draft):
    response = upload(client, draft, None)
    assert response.status_code == 200
    assert "Choisissez un fichier" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_a_tampered_kind_is_a_form_error(client, draft):
    response = upload(client, draft, SimpleUploadedFile("a.pdf", PDF), kind="passport-scan")
    assert response.status_code == 200
    assert not ApplicationDocument.objects.exists()


def test_the_service_checks_the_content_too():
    application = ApplicationFactory()
    with pytest.raises(Exception, match="PDF, JPEG ou PNG"):
        services.application_document_add(
            application=application,
            kind="cv",
            upload=SimpleUploadedFile("cv.pdf", b"GIF89a..."),
            by=application.entrepreneur.user,
        )
    assert not ApplicationDocument.objects.exists()


def test_no_upload_once_submitted(client):
    application = ApplicationFactory(submitted=True)
    client.force_login(application.entrepreneur.user)
    response = upload(client, application, SimpleUploadedFile("a.pdf", PDF))
    assert response["Location"] == reverse("cohorts:application_detail", kwargs={"pk": application.pk})
    assert not ApplicationDocument.objects.exists()


def test_the_owner_removes_a_document_of_a_draft_and_its_file(client, draft, django_capture_on_commit_callbacks):
    document = ApplicationDocumentFactory(application=draft)
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    url = reverse("cohorts:application_document_remove", kwargs={"pk": draft.pk, "document_pk": document.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert not ApplicationDocument.objects.exists()
    assert not storage.exists(name)


def test_nobody_removes_another_persons_document(client, draft):
    other = ApplicationDocumentFactory(application=ApplicationFactory())
    response = client.post(
        reverse("cohorts:application_document_remove", kwargs={"pk": other.application.pk, "document_pk": other.pk})
    )
    assert response.status_code == 404
    response = client.post(reverse("cohorts:application_document_remove", kwargs={"pk": draft.pk, "document_pk": other.pk}))
    assert response.status_code == 404
    assert ApplicationDocument.objects.count() == 1


# --- download -------------------------------------------------------------------------------------


@pytest.fixture
def document():
    return ApplicationDocumentFactory(original_name='../../etc/Statuts signés "final".png', content_type="application/pdf")


def download(client, document, pk=None):
    return client.get(
        reverse("cohorts:application_document_download", kwargs={"pk": pk or document.application.pk, "document_pk": document.pk})
    )


def test_the_owner_downloads_it_as_an_attachment_with_a_safe_name(client, document):
    client.force_login(document.application.entrepreneur.user)
    response = download(client, document)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "Statuts_signés_final.pdf" in disposition or "Statuts_sign%C3%A9s_final.pdf" in disposition
    assert "/" not in disposition.split("filename", 1)[1] and ".." not in disposition
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_staff_download_it(client, document):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    assert download(client, document).status_code == 200


def test_another_entrepreneur_gets_a_404(client, document):
    client.force_login(EntrepreneurFactory().user)
    assert download(client, document).status_code == 404


def test_a_reviewer_not_assigned_gets_a_404(client, document):
    client.force_login(UserFactory(roles=[Role.REVIEWER]))
    assert download(client, document).status_code == 404


def test_an_anonymous_visitor_is_sent_to_login(client, document):
    response = download(client, document)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_document_id_under_another_application_is_a_404(client, document):
    own = ApplicationFactory(entrepreneur=document.application.entrepreneur, submitted=True)
    client.force_login(document.application.entrepreneur.user)
    assert download(client, document, pk=own.pk).status_code == 404


def test_a_plain_pdf_made_by_a_pdf_writer_is_accepted(client, draft):
    response = upload(client, draft, SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf"))
    assert response.status_code == 302
    assert draft.documents.get().content_type == "application/pdf"


def test_a_pdf_carrying_javascript_is_refused(client, draft):
    response = upload(client, draft, SimpleUploadedFile("plan.pdf", pdf_bytes(js=True), content_type="application/pdf"))
    assert response.status_code == 200
    assert "JavaScript" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_the_service_refuses_a_pdf_carrying_javascript_too():
    application = ApplicationFactory()
    with pytest.raises(ValidationError):
        services.application_document_add(
            application=application,
            kind="registration",
            upload=SimpleUploadedFile("a.pdf", pdf_bytes(js=True)),
            by=application.entrepreneur.user,
        )
    assert not ApplicationDocument.objects.exists()


def test_a_file_starting_with_pdf_but_made_of_html_is_refused(client, draft):
    html = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    response = upload(client, draft, SimpleUploadedFile("plan.pdf", html, content_type="application/pdf"))
    assert response.status_code == 200
    assert not ApplicationDocument.objects.exists()


def test_a_png_with_an_html_page_appended_is_stored_without_it(client, draft):
    polyglot = png_bytes() + b"<html><script>alert(1)</script></html>"
    response = upload(client, draft, SimpleUploadedFile("logo.png", polyglot, content_type="image/png"))
    assert response.status_code == 302
    document = draft.documents.get()
    with document.file.open("rb") as handle:
        stored = handle.read()
    assert b"<html" not in stored and b"script" not in stored
    assert stored.startswith(b"\x89PNG")
    assert document.size == len(stored)
    assert document.sha256 == hashlib.sha256(stored).hexdigest()


def test_the_document_response_is_sandboxed_and_inline_only_when_asked(client):
    document = ApplicationDocumentFactory(content_type="application/pdf")
    document.file.save("document", io.BytesIO(pdf_bytes()), save=True)
    client.force_login(document.application.entrepreneur.user)
    url = reverse("cohorts:application_document_download", kwargs={"pk": document.application.pk, "document_pk": document.pk})
    response = client.get(url + "?view=1")
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert client.get(url)["Content-Disposition"].startswith("attachment")


def test_an_old_pdf_with_javascript_is_never_served_inline(client):
    document = ApplicationDocumentFactory(content_type="application/pdf")
    document.file.save("document", io.BytesIO(pdf_bytes(js=True)), save=True)
    client.force_login(document.application.entrepreneur.user)
    url = reverse("cohorts:application_document_download", kwargs={"pk": document.application.pk, "document_pk": document.pk})
    assert client.get(url + "?view=1")["Content-Disposition"].startswith("attachment")


def test_a_reviewer_assigned_opens_the_document_and_the_opening_is_recorded(client, document):
    from cohorts.models import DocumentAccess
    from cohorts.tests.factories import ReviewFactory

    review = ReviewFactory(application=document.application)
    client.force_login(review.reviewer)
    response = client.get(
        reverse("cohorts:application_document_download", kwargs={"pk": document.application.pk, "document_pk": document.pk})
        + "?view=1"
    )
    assert response.status_code == 200
    access = DocumentAccess.objects.get()
    assert (access.document, access.user) == (document, review.reviewer)
    assert access.at is not None


def test_a_reviewer_with_a_conflict_of_interest_gets_a_404_and_nothing_is_recorded(client, document):
    from cohorts.models import DocumentAccess
    from cohorts.tests.factories import ConflictOfInterestFactory, ReviewFactory

    review = ReviewFactory(application=document.application)
    ConflictOfInterestFactory(application=document.application, reviewer=review.reviewer)
    client.force_login(review.reviewer)
    assert download(client, document).status_code == 404
    assert not DocumentAccess.objects.exists()


def test_staff_downloads_are_recorded_and_the_owners_are_not(client, document):
    from cohorts.models import DocumentAccess

    staff = UserFactory(roles=[Role.STAFF])
    client.force_login(staff)
    assert download(client, document).status_code == 200
    client.force_login(document.application.entrepreneur.user)
    assert download(client, document).status_code == 200
    access = DocumentAccess.objects.get()
    assert (access.user, access.inline) == (staff, False)


def test_the_scoring_page_links_the_documents(client, document):
    from cohorts.tests.factories import ReviewFactory

    review = ReviewFactory(application=document.application)
    client.force_login(review.reviewer)
    page = client.get(reverse("cohorts:review_score", kwargs={"pk": review.pk})).content.decode()
    url = reverse("cohorts:application_document_download", kwargs={"pk": document.application.pk, "document_pk": document.pk})
    assert f'href="{url}?view=1"' in page
