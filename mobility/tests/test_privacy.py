"""Personal data: the retention rule for visa documents, files deleted with their rows, a person's
export (zip of data.json and their files, theirs only), anonymisation, the privacy pages."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationDocumentFactory, ApplicationFactory
from core.jobs import JobStatus
from core.storage import private_storage
from mobility.models import (
    Anonymisation,
    FollowUpCheckIn,
    PartnerCheckIn,
    PersonalDataExport,
    RetentionRun,
    StageProposal,
    VisaFile,
    VisaStatusChange,
)
from mobility.services import partnership_create
from mobility.services_privacy import retention_run_execute, retention_schedule
from mobility.tests.factories import MobilityPlanFactory, TripFactory, VisaDocumentFactory, VisaFileFactory
from partners.tests.factories import BelgianCompanyFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


def stored(name: str) -> bool:
    return bool(name) and private_storage().exists(name)


def visa_file_with_files(**trip) -> VisaFile:
    visa_file = VisaFileFactory()
    visa_file.passport_scan.save("scan", ContentFile(b"%PDF-1.4 passport"), save=True)
    document = VisaDocumentFactory(visa_file=visa_file)
    document.file.save("doc", ContentFile(b"%PDF-1.4 insurance"), save=True)
    if trip:
        TripFactory(application=visa_file.application, **trip)
    return visa_file


def run_retention(today, django_capture_on_commit_callbacks) -> RetentionRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = retention_schedule(today=today)
    run.refresh_from_db()
    return run


def test_visa_documents_are_deleted_90_days_after_the_return_and_the_run_records_it(django_capture_on_commit_callbacks):
    old = visa_file_with_files(
        returns_on=TODAY - datetime.timedelta(days=91), departs_on=TODAY - datetime.timedelta(days=100), status="completed"
    )
    recent = visa_file_with_files(
        returns_on=TODAY - datetime.timedelta(days=10), departs_on=TODAY - datetime.timedelta(days=20), status="completed"
    )
    old_names = [old.passport_scan.name, old.documents.get().file.name]
    assert all(stored(name) for name in old_names)

    run = run_retention(TODAY, django_capture_on_commit_callbacks)

    assert run.status == JobStatus.DONE and run.visa_files_purged == 1 and run.files_deleted == 2
    assert not any(stored(name) for name in old_names)
    old.refresh_from_db()
    assert old.passport_number == "" and not old.passport_scan and old.documents_purged_on == TODAY
    assert not old.documents.get().file
    recent.refresh_from_db()
    assert recent.passport_number and stored(recent.passport_scan.name)


def test_a_refused_visa_is_purged_after_its_period_and_a_second_run_changes_nothing(django_capture_on_commit_callbacks):
    refused = visa_file_with_files()
    VisaFile.objects.filter(pk=refused.pk).update(
        status="refused",
        refusal_reason="other",
        submitted_on=TODAY - datetime.timedelta(days=120),
        decision_on=TODAY - datetime.timedelta(days=95),
    )
    assert run_retention(TODAY, django_capture_on_commit_callbacks).visa_files_purged == 1
    # Beat asks again the same day: the same run, nothing more; the next day finds nothing left.
    assert retention_schedule(today=TODAY).pk == RetentionRun.objects.get().pk
    assert run_retention(TODAY + datetime.timedelta(days=1), django_capture_on_commit_callbacks).visa_files_purged == 0
    assert retention_run_execute(run_id=RetentionRun.objects.get(run_on=TODAY).pk) is None  # already done: not run twice


def test_a_planned_trip_keeps_the_documents(django_capture_on_commit_callbacks):
    visa_file = visa_file_with_files(
        returns_on=TODAY - datetime.timedelta(days=200), departs_on=TODAY - datetime.timedelta(days=210), status="completed"
    )
    TripFactory(
        application=visa_file.application,
        departs_on=TODAY + datetime.timedelta(days=20),
        returns_on=TODAY + datetime.timedelta(days=30),
    )
    assert run_retention(TODAY, django_capture_on_commit_callbacks).visa_files_purged == 0


def test_a_deleted_row_takes_its_file_with_it(django_capture_on_commit_callbacks):
    document = ApplicationDocumentFactory()
    name = document.file.name
    assert stored(name)
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not stored(name)


def entrepreneur_with_everything():
    user = UserFactory(roles=[Role.ENTREPRENEUR], preferred_language="en", first_name="Aminata", last_name="Sarr")
    entrepreneur = EntrepreneurFactory(user=user, first_name="Aminata", last_name="Sarr", email=user.email)
    application = ApplicationFactory(entrepreneur=entrepreneur, submitted=True, motivation="I sell cashew nuts")
    ApplicationDocumentFactory(application=application, original_name="business plan.pdf")
    visa_file = VisaFileFactory(application=application, passport_number="A1234567")
    visa_file.passport_scan.save("scan", ContentFile(b"%PDF-1.4 passport"), save=True)
    return user, entrepreneur, application, visa_file


def test_a_person_downloads_all_their_data_as_a_zip_labelled_in_their_language(client, django_capture_on_commit_callbacks):
    user, _entrepreneur, _application, _visa_file = entrepreneur_with_everything()
    client.force_login(user)
    assert client.get(reverse("mobility:my_data")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mobility:my_data"))
    export = PersonalDataExport.objects.get(user=user)
    assert response["Location"] == reverse("mobility:my_data_export", args=[export.pk])
    export.refresh_from_db()
    assert export.status == JobStatus.DONE, export.error
    status = client.get(reverse("mobility:my_data_export", args=[export.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in status.content.decode()  # done: the page stops asking

    download = client.get(reverse("mobility:my_data_download", args=[export.pk]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"] and "private" in download["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    data = json.loads(archive.read("data.json"))
    text = json.dumps(data, ensure_ascii=False)
    assert "Aminata" in text and "I sell cashew nuts" in text
    assert "A1234567" not in text and "•••• 4567" in text  # the passport number leaves masked, even to its holder
    assert "first_name" not in text and "passport_number" not in text  # labels, not field names
    assert "Applications" in data and "README.txt" in archive.namelist()
    names = archive.namelist()
    assert any(name.endswith("business_plan.pdf") for name in names)
    assert any(name.startswith("fichiers/passeport-") for name in names)

    other = UserFactory(roles=[Role.ENTREPRENEUR])
    client.force_login(other)
    assert client.get(reverse("mobility:my_data_download", args=[export.pk])).status_code == 404
    assert client.get(reverse("mobility:my_data_export", args=[export.pk])).status_code == 404


def test_asking_twice_while_one_is_prepared_makes_one_export():
    from mobility.services_privacy import personal_data_export_request

    user = UserFactory()
    first = personal_data_export_request(user=user)
    assert personal_data_export_request(user=user).pk == first.pk


def test_staff_anonymise_a_person_from_their_page(client, django_capture_on_commit_callbacks):
    user, entrepreneur, application, visa_file = entrepreneur_with_everything()
    plan = MobilityPlanFactory(application=application, objectives="Un distributeur à Anvers, M. Peeters")
    company = BelgianCompanyFactory()
    partnership = partnership_create(application=application, organisation=company, type="export", started_on=TODAY)
    check_in = FollowUpCheckIn.objects.create(
        application=application, months_after=1, due_on=TODAY, support_request="Mon banquier, M. Diop, refuse"
    )
    partner_check_in = PartnerCheckIn.objects.create(
        partnership=partnership, email="p@example.be", months_after=1, due_on=TODAY, comment="Aminata est partie"
    )
    proposal = StageProposal.objects.create(
        partnership=partnership,
        to_stage="dormant",
        answered_on=TODAY,
        note="Aminata a fermé",
        partner_check_in=partner_check_in,
    )
    names = [application.documents.get().file.name, visa_file.passport_scan.name]
    staff = UserFactory(roles=[Role.STAFF])
    client.force_login(staff)
    found = client.get(reverse("mobility:personal_data_staff"), {"q": "Sarr"})
    assert "Aminata Sarr" in found.content.decode()
    url = reverse("mobility:person_anonymise", args=[entrepreneur.pk])
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200 and "Indiquez le motif" in refused.content.decode()
    assert "Cochez cette case" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"reason": "Demande du 12/03/2026", "confirm": "on"})
    assert done.status_code == 302
    entrepreneur.refresh_from_db()
    user.refresh_from_db()
    application.refresh_from_db()
    visa_file.refresh_from_db()
    assert "Sarr" not in str(entrepreneur) and entrepreneur.email.endswith("@anonyme.invalid")
    assert not user.is_active and not user.has_usable_password() and "Sarr" not in user.get_full_name()
    assert application.motivation == "—" and visa_file.passport_number == "" and not visa_file.passport_scan
    plan.refresh_from_db()
    assert plan.objectives == "—" and "Anvers" not in plan.objectives
    for row, field in ((check_in, "support_request"), (partner_check_in, "comment"), (proposal, "note")):
        row.refresh_from_db()
        assert getattr(row, field) == "—"
    assert not any(stored(name) for name in names)
    assert not application.history.filter(motivation__contains="cashew").exists()
    record = Anonymisation.objects.get()
    assert record.by == staff and record.files_deleted == 2
    assert client.get(url).status_code == 302  # a second time: already done


def test_the_privacy_notice_in_both_languages(client):
    french = client.get(reverse("mobility:privacy_notice")).content.decode()
    assert "Politique de confidentialité" in french and "90 jours" in french
    client.cookies["django_language"] = "en"
    english = client.get(reverse("mobility:privacy_notice")).content.decode()
    assert "Privacy notice" in english and "Politique de confidentialité" not in english


def days_before(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def withdrawn(*, changed_days_ago: int | None = None, submitted_days_ago: int | None = None) -> VisaFile:
    visa_file = visa_file_with_files()
    submitted = days_before(submitted_days_ago) if submitted_days_ago is not None else None
    VisaFile.objects.filter(pk=visa_file.pk).update(status="withdrawn", submitted_on=submitted)
    if changed_days_ago is not None:
        VisaStatusChange.objects.create(
            visa_file=visa_file, from_status="submitted", to_status="withdrawn", changed_on=days_before(changed_days_ago)
        )
    return visa_file


def test_a_withdrawn_file_is_purged_after_the_refusal_period_from_its_withdrawal(django_capture_on_commit_callbacks):
    old = withdrawn(changed_days_ago=95, submitted_days_ago=200)
    recent = withdrawn(changed_days_ago=10, submitted_days_ago=200)  # submitted long ago, withdrawn lately: kept
    undated = withdrawn(submitted_days_ago=120)  # no recorded step: the submission's date

    assert run_retention(TODAY, django_capture_on_commit_callbacks).visa_files_purged == 2

    purged = set(VisaFile.objects.filter(documents_purged_on=TODAY).values_list("pk", flat=True))
    assert purged == {old.pk, undated.pk}
    recent.refresh_from_db()
    assert recent.passport_number and stored(recent.passport_scan.name)


def test_a_file_whose_trips_were_all_cancelled_is_purged_after_the_return_period(django_capture_on_commit_callbacks):
    cancelled = visa_file_with_files(departs_on=days_before(110), returns_on=days_before(100), status="cancelled")
    VisaStatusChange.objects.create(visa_file=cancelled, to_status="preparing", changed_on=days_before(150))
    moved_lately = visa_file_with_files(departs_on=days_before(110), returns_on=days_before(100), status="cancelled")
    VisaStatusChange.objects.create(visa_file=moved_lately, to_status="preparing", changed_on=days_before(10))
    cancelled_lately = visa_file_with_files(departs_on=days_before(30), returns_on=days_before(20), status="cancelled")
    replanned = visa_file_with_files(departs_on=days_before(110), returns_on=days_before(100), status="cancelled")
    TripFactory(application=replanned.application, departs_on=TODAY, returns_on=TODAY + datetime.timedelta(days=5))
    no_trip = visa_file_with_files()

    run = run_retention(TODAY, django_capture_on_commit_callbacks)

    assert run.visa_files_purged == 1
    cancelled.refresh_from_db()
    assert cancelled.documents_purged_on == TODAY and cancelled.passport_number == "" and not cancelled.passport_scan
    for kept in (moved_lately, cancelled_lately, replanned, no_trip):
        kept.refresh_from_db()
        assert kept.documents_purged_on is None and stored(kept.passport_scan.name)
