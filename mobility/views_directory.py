"""The Belgian company directory, for the programme team's daily work: the searchable, filterable list
and its export, a company's page (identity, contacts, invitations, B2B meetings, partnerships), the
company and contact forms, and the spreadsheet import (checked in the request with a preview and row
errors, then confirmed; a worker imports all or nothing, the status page follows it).

It lives in mobility because it reads the programme's meetings and invitations; the companies and their
writes are the partners app's."""

import uuid

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import get_for_user_or_404, staff_required
from core.forms import form_add_validation_error
from core.jobs import JobStatus
from core.spreadsheets import EXPORT_FORMATS, ImportFileError, dataset_response
from core.storage import private_storage
from partners import imports
from partners import services as partner_services
from partners.forms import BelgianCompanyForm, OrganisationContactForm
from partners.models import CompanyImport, Organisation, OrganisationContact

from . import selectors_directory as selectors
from .forms_directory import CompanyImportConfirmForm, CompanyImportForm, DirectoryFilterForm

PAGE_SIZE = 50
#: Session key holding the files checked and waiting for confirmation, by token.
PENDING_IMPORTS = "directory_pending_imports"
#: Where a checked file waits for its confirmation: the folder whose files the hourly purge of
#: unconfirmed imports (cohorts) removes after a day.
PENDING_IMPORT_DIR = "imports/pending"
RECENT_IMPORTS = 10


def _company(request: HttpRequest, pk: int) -> Organisation:
    return get_for_user_or_404(selectors.belgian_company_page(), request.user, pk=pk)


@staff_required
@require_http_methods(["GET"])
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.DirectoryFilters()
    page = Paginator(selectors.belgian_companies_directory(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = {
        "form": form,
        "filters": filters,
        "active_count": form.active_count if form.is_bound else 0,
        "page": page,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
    }
    return render(request, "mobility/directory/list.html", context)


def directory_dataset(companies) -> tablib.Dataset:
    """The filtered list as staff open it in a spreadsheet: in words, one row per company."""
    dataset = tablib.Dataset(
        headers=[
            _("Nom"),
            _("Numéro d'entreprise"),
            _("Région"),
            _("Ville"),
            _("Secteur"),
            _("Agence relais"),
            _("Langues"),
            _("Site web"),
            _("E-mail"),
            _("Contacts"),
            _("Rendez-vous passés"),
            _("Dernier rendez-vous"),
        ],  # fmt: skip
        title=_("Entreprises belges"),
    )
    for company in companies:
        dataset.append(
            [
                company.name,
                company.enterprise_number_display,
                company.get_belgian_region_display(),
                company.city,
                company.get_sector_display(),
                str(company.relay_agency.short_name or company.relay_agency.name) if company.relay_agency else "",
                ", ".join(company.language_labels),
                company.website,
                company.email,
                " ; ".join(f"{contact.full_name} <{contact.email}>" for contact in company.contact_list),
                company.meeting_count,
                company.last_met_at.date().isoformat() if company.last_met_at else "",
            ]
        )
    return dataset


@staff_required
@require_http_methods(["GET"])
def directory_export(request: HttpRequest) -> HttpResponse:
    export_format = request.GET.get("format", "csv")
    if export_format not in EXPORT_FORMATS:
        messages.error(request, _("Format d'export inconnu : choisissez CSV ou XLSX."))
        return redirect("mobility:directory")
    form = DirectoryFilterForm(request.GET)
    companies = selectors.belgian_companies_directory(form.filters())
    stem = "belgian-companies" if (translation.get_language() or "fr").startswith("en") else "entreprises-belges"
    return dataset_response(directory_dataset(companies), export_format, stem)


@staff_required
@require_http_methods(["GET", "POST"])
def company_create(request: HttpRequest) -> HttpResponse:
    form = BelgianCompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = partner_services.belgian_company_create(**form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("« %(name)s » est ajoutée à l'annuaire.") % {"name": company.name})
            return redirect("mobility:directory_company", pk=company.pk)
    return render(request, "mobility/directory/company_form.html", {"form": form, "company": None})


@staff_required
@require_http_methods(["GET", "POST"])
def company_update(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk)
    form = BelgianCompanyForm(request.POST or None, initial=BelgianCompanyForm.initial_of(company))
    if request.method == "POST" and form.is_valid():
        try:
            partner_services.belgian_company_update(company=company, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Fiche de « %(name)s » enregistrée.") % {"name": company.name})
            return redirect("mobility:directory_company", pk=company.pk)
    return render(request, "mobility/directory/company_form.html", {"form": form, "company": company})


@staff_required
@require_http_methods(["GET"])
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk)
    context = {
        "company": company,
        "history": selectors.belgian_company_history(company),
        "contact_form": OrganisationContactForm(),
    }
    return render(request, "mobility/directory/detail.html", context)


def _contact(request: HttpRequest, pk: int, contact_pk: int) -> tuple[Organisation, OrganisationContact]:
    company = _company(request, pk)
    return company, get_object_or_404(OrganisationContact, organisation=company, pk=contact_pk)


@staff_required
@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk)
    form = OrganisationContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = partner_services.organisation_contact_add(organisation=company, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Contact ajouté : %(name)s.") % {"name": contact.full_name})
            return redirect("mobility:directory_company", pk=company.pk)
    return render(request, "mobility/directory/contact_form.html", {"form": form, "company": company, "contact": None})


@staff_required
@require_http_methods(["GET", "POST"])
def contact_update(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    company, contact = _contact(request, pk, contact_pk)
    form = OrganisationContactForm(request.POST or None, initial=OrganisationContactForm.initial_of(contact))
    if request.method == "POST" and form.is_valid():
        try:
            partner_services.organisation_contact_update(contact=contact, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Contact enregistré : %(name)s.") % {"name": contact.full_name})
            return redirect("mobility:directory_company", pk=company.pk)
    return render(request, "mobility/directory/contact_form.html", {"form": form, "company": company, "contact": contact})


@staff_required
@require_POST
def contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    company, contact = _contact(request, pk, contact_pk)
    name = contact.full_name
    partner_services.organisation_contact_remove(contact=contact)
    messages.success(request, _("Contact retiré : %(name)s.") % {"name": name})
    return redirect("mobility:directory_company", pk=company.pk)


# --------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------


def _pending(request: HttpRequest) -> dict:
    return request.session.get(PENDING_IMPORTS, {})


def _load_pending(request: HttpRequest, token: str) -> tuple[dict | None, bytes | None]:
    entry = _pending(request).get(token)
    if entry is None:
        return None, None
    storage = private_storage()
    if not storage.exists(entry["path"]):
        return None, None
    with storage.open(entry["path"], "rb") as handle:
        content = handle.read()
    if partner_services.file_sha256(content) != entry["sha256"]:
        return None, None
    return entry, content


def _forget_pending(request: HttpRequest, token: str) -> None:
    pending = _pending(request)
    entry = pending.pop(token, None)
    request.session[PENDING_IMPORTS] = pending
    if entry:
        private_storage().delete(entry["path"])


def _import_context() -> dict:
    return {
        "columns": [(str(column.header), column.required) for column in imports.COLUMNS],
        "form": CompanyImportForm(),
        "recent_imports": list(CompanyImport.objects.select_related("requested_by")[:RECENT_IMPORTS]),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def directory_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload; every row is checked at once (nothing written) and shown with its errors. Step 2
    (POST with the token, only when every row passes): queue the import, run by a worker all or nothing."""
    context = _import_context()
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request)
    if request.method == "POST":
        form = CompanyImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            sha256 = partner_services.file_sha256(content)
            existing = partner_services.company_import_blocking(sha256=sha256)
            if existing is not None:
                form.add_error("file", _("Ce fichier a déjà été envoyé : il n'est pas importé une seconde fois."))
                context["existing_import"] = existing
                return render(request, "mobility/directory/import.html", context)
            try:
                source = imports.companies_file_read(content=content, filename=upload.name)
            except ImportFileError as error:
                form.add_error("file", str(error))
                return render(request, "mobility/directory/import.html", context)
            report = partner_services.belgian_companies_import_check(source=source)
            context.update(report=report, filename=upload.name)
            if not report.rows:
                form.add_error("file", _("Le fichier ne contient aucune ligne."))
            elif report.is_valid:
                token = uuid.uuid4().hex
                path = private_storage().save(f"{PENDING_IMPORT_DIR}/{token}", ContentFile(content))
                pending = _pending(request)
                pending[token] = {"path": path, "filename": upload.name, "sha256": sha256, "rows": len(report.rows)}
                request.session[PENDING_IMPORTS] = pending
                context["confirm_form"] = CompanyImportConfirmForm(initial={"token": token})
    return render(request, "mobility/directory/import.html", context)


def _import_confirm(request: HttpRequest) -> HttpResponse:
    form = CompanyImportConfirmForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    entry, content = _load_pending(request, token)
    if content is None:
        # A tampered token, an expired session, or the second click of a double submission.
        messages.warning(request, _("Cet import n'est plus en attente (déjà demandé ou expiré). Envoyez le fichier à nouveau."))
        return redirect("mobility:directory_import")
    try:
        job = partner_services.company_import_request(
            content=content, filename=entry["filename"], row_count=entry.get("rows", 0), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mobility:directory_import")
    finally:
        _forget_pending(request, token)
    messages.success(
        request,
        _("Import demandé : les %(count)s entreprises sont enregistrées en arrière-plan. Cette page se met à jour seule.")
        % {"count": job.row_count},
    )
    return redirect("mobility:directory_import_status", pk=job.pk)


@staff_required
@require_http_methods(["GET"])
def directory_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where an import stands; htmx asks again for the status block every 2 s until it is finished."""
    job = get_object_or_404(CompanyImport.objects.select_related("requested_by"), pk=pk)
    context = {"job": job, "import_status": JobStatus}
    template = "_import_status.html" if request.headers.get("HX-Request") == "true" else "import_status.html"
    response = render(request, f"mobility/directory/{template}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_required
@require_http_methods(["GET"])
def directory_import_template(request: HttpRequest, file_format: str) -> HttpResponse:
    """The template to fill, its headers in the page's language (both languages are read back)."""
    if file_format not in EXPORT_FORMATS:
        raise Http404
    language = "en" if (translation.get_language() or "fr").startswith("en") else "fr"
    content, content_type = imports.import_template(language=language, file_format=file_format)
    stem = "modele-entreprises-belges" if language == "fr" else "belgian-companies-template"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response
