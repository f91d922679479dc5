"""Importing applications collected offline: check, confirm, a worker imports all or nothing, no duplicates."""

import hashlib
import io
import time

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from cohorts.models import (
    Application,
    ApplicationImport,
    ApplicationSource,
    ApplicationStatus,
    ApplicationTransition,
    ImportStatus,
)
from cohorts.resources import ApplicationImportResource, ImportFileError, read_spreadsheet
from cohorts.services import staff as staff_services
from cohorts.services.staff import (
    application_import_execute,
    application_import_request,
    applications_import,
    applications_import_check,
)
from cohorts.tasks_staff import application_import_run
from cohorts.territory import is_diaspora
from cohorts.tests.factories import CohortFactory, EligibilityCriterionFactory, ProgrammeFactory
from core import jobs
from core.testing import without_version_bumps
from partners.models import Company, Entrepreneur

pytestmark = pytest.mark.django_db

HEADER = ApplicationImportResource.column_names()


def _row(**overrides) -> dict:
    row = {
        "prenom": "Awa", "nom": "Diop", "email": "awa.diop@example.sn", "genre": "Femme", "tranche_age": "25-34",
        "niveau_etudes": "Master", "pays_residence": "SN", "entreprise": "Awa Textile",
        "forme_juridique": "SARL / SUARL", "ninea": "", "formelle": "oui", "secteur": "textile", "region": "Thiès",
        "annee_creation": "2023", "chiffre_affaires": "lt10m", "employes": "4", "experience_export": "non",
        "programme": "pem", "cohorte": "1", "motivation": "Trouver un distributeur à Bruxelles",
        "partenariat_recherche": "Distribution", "date_soumission": "15/03/2024",
    }  # fmt: skip
    row.update(overrides)
    return row


def _csv(rows: list[dict], delimiter: str = ",", header: list[str] = HEADER) -> str:
    lines = [delimiter.join(header)]
    for row in rows:
        lines.append(delimiter.join(f'"{row.get(name, "")}"' for name in header))
    return "\r\n".join(lines) + "\r\n"


def _dataset(rows: list[dict]):
    return read_spreadsheet(content=_csv(rows).encode(), filename="collecte.csv")


@pytest.fixture
def cohort():
    cohort = CohortFactory(programme=ProgrammeFactory(code="pem"), number=1)
    EligibilityCriterionFactory(cohort=cohort, field="company_age", operator="gte", value="2", label="Au moins 2 ans")
    return cohort


@pytest.fixture
def staff():
    return UserFactory(roles=["staff"])


def test_a_valid_file_creates_entrepreneurs_companies_and_screened_applications(cohort, staff):
    rows = [
        _row(),  # founded 2023, submitted 2024 → 1 year → ineligible
        _row(prenom="Moussa", nom="Fall", email="moussa@example.sn", genre="man", entreprise="Fall Digital",
             annee_creation="2018", date_soumission="2024-03-20", ninea="004512345", pays_residence="France"),
    ]  # fmt: skip

    report = applications_import(dataset=_dataset(rows), by=staff)

    assert report.is_valid and len(report.created) == 2
    awa = Application.objects.get(entrepreneur__email="awa.diop@example.sn")
    assert awa.source == ApplicationSource.IMPORT
    assert awa.entrepreneur.user is None
    assert awa.entrepreneur.gender == "woman" and awa.company.region.code == "thies" and awa.company.legal_form == "sarl"
    assert awa.submitted_at.date().isoformat() == "2024-03-15"
    assert awa.status == ApplicationStatus.INELIGIBLE
    assert [item["label"] for item in awa.failed_criteria] == ["Au moins 2 ans"]
    assert awa.profile_snapshot["company_age"] == 1
    moussa = Application.objects.get(entrepreneur__email="moussa@example.sn")
    assert moussa.status == ApplicationStatus.ELIGIBLE
    # Living in France, outside the programme's country: diaspora, derived (no column says so).
    assert moussa.entrepreneur.country_of_residence == "FR" and moussa.company.ninea == "004512345"
    assert is_diaspora(
        country_of_residence=moussa.entrepreneur.country_of_residence, origin_country=cohort.programme.origin_country
    )
    # The history shows draft → submitted (at the collection date) → screened, by the staff member.
    moves = list(ApplicationTransition.objects.filter(application=moussa).values_list("to_status", "by"))
    assert moves == [(ApplicationStatus.SUBMITTED, staff.pk), (ApplicationStatus.ELIGIBLE, staff.pk)]


def test_one_invalid_row_saves_nothing_and_names_the_row_and_column(cohort, staff):
    rows = [
        _row(),
        _row(email="pas-un-email", genre="Inconnu", annee_creation="deux mille", date_soumission="31/02/2024",
             prenom="Fatou"),
        _row(email="ibou@example.sn", cohorte="9"),
    ]  # fmt: skip

    report = applications_import(dataset=_dataset(rows), by=staff)

    assert not report.is_valid
    assert Application.objects.count() == 0 and Entrepreneur.objects.count() == 0 and Company.objects.count() == 0
    errors = {row.line: row.errors for row in report.rows}
    assert errors[2] == {}
    assert set(errors[3]) == {"email", "genre", "annee_creation", "date_soumission"}
    assert "Femme" in errors[3]["genre"] and "woman" not in errors[3]["genre"]  # the possible values, as labels
    assert set(errors[4]) == {"cohorte"}
    assert "pem" in errors[4]["cohorte"]


def test_errors_are_given_in_the_users_language(cohort):
    with translation.override("en"):
        report = applications_import_check(dataset=_dataset([_row(date_soumission="hier", prenom="")]))
        errors = report.rows[0].errors

    assert errors["prenom"] == "This field is required."
    assert set(errors) == {"prenom", "date_soumission"}


def test_labels_codes_and_dates_are_all_accepted(cohort):
    rows = [
        _row(genre="WOMAN", niveau_etudes="bachelor", region="thies", secteur="Textile et mode",
             forme_juridique="sarl", chiffre_affaires="Moins de 10 M FCFA", date_soumission="2024-03-15T10:22:00.000+00:00"),
        _row(email="b@example.sn", genre="Homme", niveau_etudes="Licence / Bachelier", region="Saint-Louis",
             tranche_age="Moins de 25 ans", pays_residence="Belgique", formelle="", forme_juridique="Non enregistrée (informelle)",
             date_soumission="2024-03-15"),
    ]  # fmt: skip

    report = applications_import_check(dataset=_dataset(rows))

    assert report.is_valid, report.invalid_rows and report.invalid_rows[0].errors
    first, second = (row.values for row in report.rows)
    assert (first["genre"], first["region_row"].code, first["secteur"], first["chiffre_affaires"]) == (
        "woman",
        "thies",
        "textile",
        "lt10m",
    )
    assert str(first["date_soumission"]) == "2024-03-15"
    assert (second["genre"], second["region_row"].code, second["tranche_age"], second["pays_residence"]) == (
        "man",
        "saint-louis",
        "lt25",
        "BE",
    )
    assert second["forme_juridique"] == "informal"


def test_a_latin_1_csv_with_semicolons_is_read(cohort, staff):
    content = _csv([_row(prenom="Adama", nom="Sène", region="Thiès", niveau_etudes="Doctorat")], delimiter=";")

    report = applications_import(dataset=read_spreadsheet(content=content.encode("cp1252"), filename="kobo.csv"), by=staff)

    assert report.is_valid
    entrepreneur = Entrepreneur.objects.get()
    assert entrepreneur.last_name == "Sène" and entrepreneur.education == "doctorate"


def test_a_garbled_file_is_refused_with_a_clear_message():
    with pytest.raises(ImportFileError, match="CSV"):
        read_spreadsheet(content=b"\x00\x01\x02PK\x03\x04garbage" * 20, filename="collecte.csv")
    with pytest.raises(ImportFileError, match="xlsx"):
        read_spreadsheet(content=b"not a workbook", filename="collecte.xlsx")


def test_a_missing_required_column_is_refused_by_its_label():
    header = [name for name in HEADER if name != "genre"] + ["telephone", "_uuid"]

    with pytest.raises(ImportFileError) as error:
        read_spreadsheet(content=_csv([_row()], header=header).encode(), filename="collecte.csv")

    message = str(error.value)
    assert "Aucune colonne pour : Genre." in message  # the field's label, not its internal name
    assert "telephone" not in message  # an unknown column is ignored, not an error


def test_an_xlsx_file_is_read(cohort, staff):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([name.upper() for name in HEADER])  # headers are compared without case
    values = _row(annee_creation=2015, cohorte=1, employes=12)
    sheet.append([values.get(name, "") for name in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)

    report = applications_import(dataset=read_spreadsheet(content=buffer.getvalue(), filename="kobo.xlsx"), by=staff)

    assert report.is_valid
    assert Application.objects.get().status == ApplicationStatus.ELIGIBLE
    assert Company.objects.get().employees == 12


def test_re_importing_the_same_file_creates_no_duplicate(cohort, staff):
    rows = [_row(), _row(email="ibou@example.sn", prenom="Ibou")]
    applications_import(dataset=_dataset(rows), by=staff)

    again = applications_import(dataset=_dataset(rows), by=staff)

    assert not again.is_valid
    assert all("existe déjà" in row.errors["email"] for row in again.rows)
    assert Application.objects.count() == 2 and Entrepreneur.objects.count() == 2


def test_the_same_person_twice_in_a_file_is_an_error(cohort):
    report = applications_import_check(dataset=_dataset([_row(), _row(email="AWA.DIOP@example.sn")]))

    assert report.rows[1].errors == {"email": "Même e-mail et même cohorte que la ligne 2."}


def test_a_known_entrepreneur_applying_to_a_new_cohort_is_reused(cohort, staff):
    applications_import(dataset=_dataset([_row(ninea="0099")]), by=staff)
    CohortFactory(programme=cohort.programme, number=2)

    report = applications_import(dataset=_dataset([_row(cohorte="2", email="Awa.Diop@example.sn", ninea="0099")]), by=staff)

    assert report.is_valid and report.rows[0].entrepreneur_exists and report.rows[0].company_exists
    assert Entrepreneur.objects.count() == 1 and Company.objects.count() == 1
    assert Application.objects.count() == 2


# --- Through the pages --------------------------------------------------------------------------------


def _upload(content: bytes, name: str = "collecte.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _check_then_confirm(client, content: bytes, name: str = "collecte.csv"):
    """Upload (the check), then confirm with the token the check page gave."""
    url = reverse("cohorts:application_import")
    preview = client.post(url, {"file": _upload(content, name)})
    assert preview.status_code == 200
    token = preview.context["confirm_form"].initial["token"]
    return preview, client.post(url, {"token": token}), token


def test_the_page_checks_then_queues_the_import_which_the_worker_runs(client, cohort, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    content = _csv([_row(), _row(email="b@example.sn")]).encode()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        preview, confirmed, token = _check_then_confirm(client, content)

    assert "awa.diop@example.sn" in preview.content.decode()
    job = ApplicationImport.objects.get()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("cohorts:application_import_status", kwargs={"pk": job.pk})
    # Queued after the commit, not run in the request.
    assert len(without_version_bumps(callbacks)) == 1
    assert job.status == ImportStatus.QUEUED and job.row_count == 2 and job.requested_by == staff
    assert job.original_name == "collecte.csv" and job.sha256 == hashlib.sha256(content).hexdigest()
    assert job.file.read() == content  # kept in private storage for the worker
    assert Application.objects.count() == 0

    without_version_bumps(callbacks)[0]()  # the broker delivers the task (Celery is eager in tests)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 2
    assert job.started_at and job.finished_at and job.error == ""
    assert Application.objects.filter(source=ApplicationSource.IMPORT).count() == 2
    # A second click (or a replayed form) queues nothing more.
    again = client.post(reverse("cohorts:application_import"), {"token": token}, follow=True)
    assert ApplicationImport.objects.count() == 1
    assert "plus en attente" in again.content.decode()


def _queue(content: bytes, staff, rows: int = 1) -> ApplicationImport:
    return application_import_request(content=content, filename="collecte.csv", row_count=rows, by=staff)


def test_the_task_delivered_twice_imports_once(cohort, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _queue(_csv([_row()]).encode(), staff)

    assert application_import_run.delay(job.pk).get() is None  # redelivered: not claimed again
    assert application_import_execute(import_id=job.pk) is None

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 1
    assert Application.objects.count() == 1 and Entrepreneur.objects.count() == 1


def test_a_failing_re_check_marks_the_import_failed_and_creates_nothing(cohort, staff, django_capture_on_commit_callbacks):
    rows = [_row(), _row(email="ibou@example.sn", prenom="Ibou")]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _queue(_csv(rows).encode(), staff, rows=2)
    # Between the check and the worker, Ibou's application arrives by another way.
    applications_import(dataset=_dataset([rows[1]]), by=staff)

    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.created_count == 0 and job.finished_at
    assert "Ligne 3, colonne « E-mail »" in job.error and "existe déjà" in job.error
    # All or nothing: Awa's row, valid on its own, was not written either.
    assert list(Application.objects.values_list("entrepreneur__email", flat=True)) == ["ibou@example.sn"]


def test_an_unreadable_stored_file_marks_the_import_failed(cohort, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _queue(_csv([_row()]).encode(), staff)
    job.file.storage.delete(job.file.name)

    without_version_bumps(callbacks)[0]()

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error
    # A plain reason for the person; the storage's own words (a server path) only in the log.
    assert job.error == "L'import a échoué : aucune candidature n'a été créée. Réessayez ou contactez l'équipe technique."
    assert "Errno" not in job.error and "/" not in job.error
    assert Application.objects.count() == 0


def test_a_failed_import_shows_its_errors_on_the_status_page(client, cohort, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    rows = [_row()]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _queue(_csv(rows).encode(), staff)
    applications_import(dataset=_dataset(rows), by=staff)
    without_version_bumps(callbacks)[0]()

    html = client.get(reverse("cohorts:application_import_status", kwargs={"pk": job.pk})).content.decode()

    assert "aucune candidature n'a été créée" in html
    assert "Ligne 2, colonne « E-mail »" in html
    assert 'hx-trigger="every 2s"' not in html


def test_the_same_file_twice_is_refused_at_the_check(client, cohort, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    content = _csv([_row()]).encode()
    with django_capture_on_commit_callbacks(execute=True):
        _check_then_confirm(client, content)

    response = client.post(reverse("cohorts:application_import"), {"file": _upload(content, name="autre-nom.csv")})

    assert response.status_code == 200
    assert "déjà été envoyé" in str(response.context["form"].errors["file"])
    assert response.context["existing_import"] == ApplicationImport.objects.get()
    assert "confirm_form" not in response.context
    assert ApplicationImport.objects.count() == 1 and Application.objects.count() == 1


def test_the_same_file_queued_twice_is_refused_by_the_service(cohort, staff, django_capture_on_commit_callbacks):
    content = _csv([_row()]).encode()
    with django_capture_on_commit_callbacks(execute=False):
        _queue(content, staff)

        with pytest.raises(ValidationError, match="déjà été envoyé"):
            _queue(content, staff)

    assert ApplicationImport.objects.count() == 1


def test_two_requests_racing_with_the_same_file_get_a_message_not_a_500(
    client, cohort, staff, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    content = _csv([_row()]).encode()
    url = reverse("cohorts:application_import")
    tokens = [client.post(url, {"file": _upload(content)}).context["confirm_form"].initial["token"] for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url, {"token": tokens[0]})
    # The second request checked before the first one saved its row: only the constraint stops it.
    monkeypatch.setattr(staff_services, "application_import_blocking", lambda *, sha256: None)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"token": tokens[1]}, follow=True)

    assert response.status_code == 200
    assert "vient d&#x27;être envoyé" in response.content.decode()
    assert ApplicationImport.objects.count() == 1 and callbacks == []


def test_a_failed_import_of_a_file_can_be_sent_again(cohort, staff, django_capture_on_commit_callbacks):
    rows = [_row()]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = _queue(_csv(rows).encode(), staff)
    applications_import(dataset=_dataset(rows), by=staff)
    without_version_bumps(callbacks)[0]()
    Application.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        second = _queue(_csv(rows).encode(), staff)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ImportStatus.FAILED, ImportStatus.DONE)


# --- The status page --------------------------------------------------------------------------------


def test_the_status_page_polls_while_the_import_waits_and_stops_when_done(
    client, cohort, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _queue(_csv([_row()]).encode(), staff)
    url = reverse("cohorts:application_import_status", kwargs={"pk": job.pk})

    waiting = client.get(url)
    partial = client.get(url, headers={"HX-Request": "true"})

    assert waiting.status_code == 200
    html = waiting.content.decode()
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 2s"' in html and "<html" in html
    assert "En file d&#x27;attente" in html
    assert partial.status_code == 200
    assert partial.content.decode().lstrip().startswith('<div id="import-status"')
    assert "<html" not in partial.content.decode() and 'hx-trigger="every 2s"' in partial.content.decode()
    assert "HX-Request" in partial["Vary"]

    without_version_bumps(callbacks)[0]()
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 2s"' not in done
    assert "Terminé" in done
    assert f"{reverse('cohorts:application_list')}?source=import" in done


@pytest.mark.parametrize("role", ["coach", "entrepreneur", "committee"])
def test_other_roles_get_a_404_on_the_status_page(client, staff, role):
    job = ApplicationImport.objects.create(original_name="collecte.csv", sha256="b" * 64, requested_by=staff)
    client.force_login(UserFactory(roles=[role]))

    url = reverse("cohorts:application_import_status", kwargs={"pk": job.pk})

    assert client.get(url).status_code == 404
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404


def test_an_unknown_import_is_a_404(client, staff):
    client.force_login(staff)

    assert client.get(reverse("cohorts:application_import_status", kwargs={"pk": 999999})).status_code == 404


def _imports(count: int, by) -> None:
    ApplicationImport.objects.bulk_create(
        ApplicationImport(
            original_name=f"f{n}.csv", sha256=f"{n:064d}", requested_by=UserFactory(roles=["staff"]) if n % 2 else by
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [3, 30])
def test_the_recent_imports_list_costs_the_same_queries_at_3_and_30(client, staff, count, django_assert_num_queries):
    _imports(count, staff)
    client.force_login(staff)

    # session, user, savepoint (ATOMIC_REQUESTS), user's groups (role_required), the cohorts offered for
    # the whole file, the latest imports joined with who asked for them, release savepoint.
    with django_assert_num_queries(7):
        response = client.get(reverse("cohorts:application_import"))

    assert len(response.context["recent_imports"]) == min(count, 10)
    assert response.content.decode().count("/equipe/candidatures/import/") >= min(count, 10)


def test_a_hundred_rows_import_in_the_worker(cohort, staff, django_capture_on_commit_callbacks):
    """Many rows through the worker path; the time is printed (run with -s to read it). On PostgreSQL,
    with the machine busy: check 0.54 s, worker 1.43 s (it checks the file again, then writes in bulk)."""
    rows = [
        _row(email=f"p{n}@example.sn", prenom=f"P{n}", entreprise=f"Entreprise {n}", annee_creation=str(2010 + n % 14))
        for n in range(100)
    ]
    content = _csv(rows).encode()
    started = time.perf_counter()
    report = applications_import_check(dataset=_dataset(rows))
    checked = time.perf_counter()
    assert report.is_valid
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _queue(content, staff, rows=len(rows))

    queued = time.perf_counter()
    application_import_execute(import_id=job.pk)
    finished = time.perf_counter()

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 100
    assert Application.objects.count() == 100
    assert len(without_version_bumps(callbacks)) == 1
    print(f"\n100 rows: check {checked - started:.2f} s, queue {queued - checked:.2f} s, worker {finished - queued:.2f} s")


def test_the_page_lists_errors_by_row_and_column_and_offers_no_confirmation(client, cohort, staff):
    client.force_login(staff)

    response = client.post(reverse("cohorts:application_import"), {"file": _upload(_csv([_row(genre="F?")]).encode())})

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    html = response.content.decode()
    assert "<td>Genre</td>" in html and "<td>2</td>" in html and "<code>" not in html


def test_a_tampered_token_is_refused_without_error(client, cohort, staff):
    client.force_login(staff)

    response = client.post(reverse("cohorts:application_import"), {"token": "../../etc/passwd"}, follow=True)

    assert response.status_code == 200
    assert Application.objects.count() == 0


def test_a_file_over_5_mb_or_of_another_type_is_refused(client, staff):
    client.force_login(staff)
    url = reverse("cohorts:application_import")

    big = client.post(url, {"file": _upload(b"a" * (5 * 1024 * 1024 + 1))})
    pdf = client.post(url, {"file": _upload(b"%PDF-1.4", name="collecte.pdf")})

    assert "5 Mo" in str(big.context["form"].errors["file"])
    assert ".csv" in str(pdf.context["form"].errors["file"])


def test_a_file_with_missing_columns_goes_to_the_mapping_step(client, staff):
    client.force_login(staff)

    response = client.post(reverse("cohorts:application_import"), {"file": _upload(b"nom;prenom\nDiop;Awa\n")}, follow=True)

    assert response.status_code == 200
    assert "mapping_form" in response.context
    assert "Aucune colonne pour" in response.content.decode()


def test_an_import_abandoned_by_a_dead_worker_is_claimed_again(settings):
    """A worker killed mid-import leaves the job "running" (its transaction rolled back): once the task's
    time limit has passed, the redelivered task claims it and imports."""
    import datetime as _dt

    from django.utils import timezone as _tz

    from cohorts.models import ApplicationImport, ImportStatus
    from cohorts.services.staff import application_import_execute

    job = ApplicationImport.objects.create(
        original_name="x.csv",
        sha256="0" * 64,
        status=ImportStatus.RUNNING,
        started_at=_tz.now() - _dt.timedelta(seconds=jobs.stale_seconds() + 60),
        heartbeat_at=_tz.now() - _dt.timedelta(seconds=jobs.stale_seconds() + 60),
    )
    # Claimed (then failing on the missing file): what matters is that it is no longer stuck.
    application_import_execute(import_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED

    fresh = ApplicationImport.objects.create(
        original_name="y.csv", sha256="1" * 64, status=ImportStatus.RUNNING, started_at=_tz.now(), heartbeat_at=_tz.now()
    )
    with pytest.raises(jobs.JobBusy):  # still owned by a live worker: the task retries once it would be stale
        application_import_execute(import_id=fresh.pk)


@pytest.mark.parametrize("text", ["inf", "1e999", "nan"])
def test_a_number_that_is_no_whole_number_is_an_error_on_its_cell_not_a_crash(cohort, text):
    report = applications_import_check(dataset=_dataset([_row(employes=text, annee_creation=text)]))

    errors = report.rows[0].errors
    assert "n'est pas un nombre entier" in errors["employes"]
    assert "n'est pas un nombre entier" in errors["annee_creation"]


def test_the_bulk_import_leaves_what_the_one_by_one_services_leave(cohort, staff):
    """Each imported application ends as `application_transition` + `application_screen` would leave it:
    the screening profile and failed criteria recomputed from the saved rows, two dated transitions, and
    a history of three rows (draft, submitted, screened) whose last one is the row as it stands."""
    from cohorts.eligibility import application_profile, failed_criteria

    rows = [
        _row(),
        _row(email="m@example.sn", prenom="Moussa", entreprise="Fall Digital", annee_creation="2015", ninea="004512345"),
        # The same company (NINEA) for a second founder: one company row, shared.
        _row(email="f@example.sn", prenom="Fatou", entreprise="Fall Digital", annee_creation="2015", ninea="004512345"),
    ]
    report = applications_import(dataset=_dataset(rows), by=staff)
    assert report.is_valid and len(report.created) == 3
    assert Company.objects.filter(ninea="004512345").count() == 1
    for application in Application.objects.select_related("entrepreneur", "company__region", "cohort__programme"):
        profile = application_profile(application)
        assert application.profile_snapshot == profile
        assert application.failed_criteria == failed_criteria(cohort.criteria.filter(is_active=True), profile)
        assert application.status == (ApplicationStatus.INELIGIBLE if application.failed_criteria else ApplicationStatus.ELIGIBLE)
        assert application.is_eligible is not bool(application.failed_criteria)
        moves = list(application.transitions.order_by("pk").values_list("from_status", "to_status", "at", "by"))
        assert moves == [
            (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, application.submitted_at, staff.pk),
            (ApplicationStatus.SUBMITTED, application.status, application.status_changed_at, staff.pk),
        ]
        history = list(application.history.order_by("history_id"))
        assert [(h.history_type, h.status) for h in history] == [
            ("+", ApplicationStatus.DRAFT),
            ("~", ApplicationStatus.SUBMITTED),
            ("~", application.status),
        ]
        assert history[1].submitted_at == application.submitted_at and history[0].submitted_at is None
        assert {h.history_user_id for h in history} == {staff.pk}
        last = history[-1]
        for name in [f.attname for f in Application._meta.concrete_fields]:
            assert getattr(last, name) == getattr(application, name), name


def test_the_bulk_import_costs_the_same_queries_for_3_and_for_30_rows(cohort, staff):
    """Reads do not grow with the rows; writes are one bulk insert per table (SQLite splits a large
    insert into batches of at most 999 parameters, hence a few more INSERT statements at 30 rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reads, inserts = [], []
    for size, prefix in ((3, "a"), (30, "b")):
        rows = [_row(email=f"{prefix}{n}@example.sn", prenom=f"P{n}", entreprise=f"Entreprise {prefix}{n}") for n in range(size)]
        dataset = _dataset(rows)
        with CaptureQueriesContext(connection) as queries:
            report = applications_import(dataset=dataset, by=staff)
        assert report.is_valid and len(report.created) == size
        statements = [query["sql"].split(" ", 1)[0] for query in queries.captured_queries]
        reads.append(statements.count("SELECT"))
        inserts.append(statements.count("INSERT"))
    assert reads[0] == reads[1], reads
    # companies, entrepreneurs, applications, transitions, history: 5 tables
    assert inserts[0] == 5 and inserts[1] <= 5 + 4, inserts


def test_the_bulk_import_queues_the_e_mails_the_one_by_one_services_queue(
    cohort, staff, mailoutbox, django_capture_on_commit_callbacks
):
    """The same rows through `application_transition` (to submitted) and `application_screen`, one by
    one, and through the import's bulk path queue the same e-mails (recipient, subject), and send the same."""
    from accounts.models import OutgoingEmail
    from cohorts.services import application_screen, application_transition

    rows = [
        _row(email=f"s{n}@example.sn", prenom=f"S{n}", entreprise=f"Entreprise s{n}", formelle="non" if n % 2 else "oui")
        for n in range(4)
    ]

    def queued_and_sent() -> list[tuple[str, str]]:
        return sorted(OutgoingEmail.objects.values_list("to", "subject")) + sorted((m.to[0], m.subject) for m in mailoutbox)

    # One by one: the same checked rows, saved as drafts, then moved through the services.
    report = applications_import_check(dataset=_dataset(rows))
    assert report.is_valid
    with django_capture_on_commit_callbacks(execute=True):
        for planned in staff_services._import_plan(report):
            planned.company.save()
            planned.entrepreneur.company = planned.company
            planned.entrepreneur.save()
            application = Application.objects.create(
                cohort=planned.row.cohort, entrepreneur=planned.entrepreneur, company=planned.company,
                source=ApplicationSource.IMPORT, submitted_at=staff_services._submitted_at(planned.row.values["date_soumission"]),
            )  # fmt: skip
            application_transition(application=application, to_status=ApplicationStatus.SUBMITTED, by=staff)
            application_screen(application=application, by=staff)
    one_by_one = [(to.replace("@", "+x@"), subject) for to, subject in queued_and_sent()]
    assert Application.objects.count() == 4
    Application.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    mailoutbox.clear()

    # The bulk path, for the same people under other addresses.
    bulk_rows = [{**row, "email": row["email"].replace("@", "+x@"), "entreprise": row["entreprise"] + " bis"} for row in rows]
    with django_capture_on_commit_callbacks(execute=True):
        report = applications_import(dataset=_dataset(bulk_rows), by=staff)
    assert report.is_valid and len(report.created) == 4
    assert queued_and_sent() == one_by_one
