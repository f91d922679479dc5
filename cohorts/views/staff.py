"""Staff pages: the filterable application list and its export, the selection-effect analysis and its
export, and the import of applications collected offline (check, then confirm)."""

import hashlib
import uuid

import tablib
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from pemwecco.storage import private_storage

from .. import selectors_staff
from ..forms.staff import AnalysisFilter, ApplicationFilter, ApplicationImportConfirmForm, ApplicationImportForm
from ..resources import ApplicationImportResource, ApplicationResource, ImportFileError, read_spreadsheet
from ..services.staff import applications_import, applications_import_check

PAGE_SIZE = 50
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
#: Session key holding the files checked and waiting for confirmation, by token.
PENDING_IMPORTS = "staff_pending_imports"


def _xlsx(dataset: tablib.Dataset) -> bytes:
    """The dataset as a workbook written in openpyxl's streaming mode (twice as fast as tablib's)."""
    import io

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=str(dataset.title or "export")[:31])
    sheet.append([str(header) for header in dataset.headers])
    for row in dataset:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _file_response(dataset: tablib.Dataset, export_format: str, stem: str) -> HttpResponse:
    content_type, extension = EXPORT_FORMATS[export_format]
    if export_format == "csv":
        content = "\ufeff" + dataset.export("csv")  # a BOM, so that Excel opens the accents correctly
    else:
        content = _xlsx(dataset)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate():%Y%m%d}.{extension}"'
    return response


def _export_format(request: HttpRequest) -> str | None:
    value = request.GET.get("format", "csv")
    return value if value in EXPORT_FORMATS else None


@role_required(Role.STAFF)
def application_list(request: HttpRequest) -> HttpResponse:
    filterset = ApplicationFilter(request.GET, queryset=selectors_staff.applications_for_staff())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(application, selectors_staff.failed_labels(application)) for application in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cohorts/staff/application_list.html",
        {"filter": filterset, "page": page, "rows": rows, "query": query.urlencode()},
    )


@role_required(Role.STAFF)
def application_export(request: HttpRequest) -> HttpResponse:
    export_format = _export_format(request)
    if export_format is None:
        messages.error(request, _("Format d'export inconnu : choisissez CSV ou XLSX."))
        return redirect("cohorts:application_list")
    filterset = ApplicationFilter(request.GET, queryset=selectors_staff.applications_for_staff())
    dataset = ApplicationResource().export(queryset=filterset.qs)
    return _file_response(dataset, export_format, "candidatures")


def _analysis(request: HttpRequest) -> tuple[AnalysisFilter, selectors_staff.SelectionAnalysis]:
    filterset = AnalysisFilter(request.GET, queryset=selectors_staff.Application.objects.all())
    return filterset, selectors_staff.selection_analysis(filterset.qs, filterset.cohorts())


@role_required(Role.STAFF)
def selection_analysis(request: HttpRequest) -> HttpResponse:
    filterset, analysis = _analysis(request)
    return render(
        request,
        "cohorts/staff/selection_analysis.html",
        {"filter": filterset, "analysis": analysis, "query": request.GET.urlencode()},
    )


def analysis_dataset(analysis: selectors_staff.SelectionAnalysis) -> tablib.Databook:
    """Two sheets: the funnel by group, and the exclusions by criterion and group."""
    funnel = tablib.Dataset(
        headers=[
            _("dimension"), _("groupe"), _("candidatures"), _("éligibles"), _("% éligibles"), _("évaluées"),
            _("% évaluées"), _("sélectionnées"), _("% sélectionnées"),
        ],  # fmt: skip
        title=_("Entonnoir"),
    )
    for dimension, row in [("", analysis.total)] + [(b.label, row) for b in analysis.breakdowns for row in b.rows]:
        funnel.append(
            [dimension, row.label, row.applied, row.eligible, row.eligible_rate, row.reviewed, row.reviewed_rate,
             row.selected, row.selected_rate]  # fmt: skip
        )
    exclusions = tablib.Dataset(
        headers=[_("cohorte"), _("critère"), _("exclu·es par ce seul critère"), _("dimension"), _("groupe"),
                 _("candidatures du groupe"), _("exclu·es du groupe"), _("% du groupe")],  # fmt: skip
        title=_("Exclusions par critère"),
    )
    for item in analysis.exclusions:
        for dimension, groups in item.groups.items():
            for group in groups:
                exclusions.append(
                    [str(item.criterion.cohort), item.criterion.label, item.excluded, dimension, group.label,
                     group.applied, group.excluded, group.share]  # fmt: skip
                )
    return tablib.Databook([funnel, exclusions])


@role_required(Role.STAFF)
def selection_analysis_export(request: HttpRequest) -> HttpResponse:
    export_format = _export_format(request)
    if export_format is None:
        messages.error(request, _("Format d'export inconnu : choisissez CSV ou XLSX."))
        return redirect("cohorts:selection_analysis")
    _filterset, analysis = _analysis(request)
    book = analysis_dataset(analysis)
    if export_format == "xlsx":
        response = HttpResponse(book.export("xlsx"), content_type=EXPORT_FORMATS["xlsx"][0])
        response["Content-Disposition"] = f'attachment; filename="analyse-selection-{timezone.localdate():%Y%m%d}.xlsx"'
        return response
    # CSV has a single sheet: the two tables one after the other, separated by an empty line.
    funnel, exclusions = book.sheets()
    content = "\ufeff" + funnel.export("csv") + "\r\n" + exclusions.export("csv")
    response = HttpResponse(content, content_type=EXPORT_FORMATS["csv"][0])
    response["Content-Disposition"] = f'attachment; filename="analyse-selection-{timezone.localdate():%Y%m%d}.csv"'
    return response


# --------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------


def _pending(request: HttpRequest) -> dict:
    return request.session.get(PENDING_IMPORTS, {})


def _load_pending(request: HttpRequest, token: str) -> tuple[dict | None, tablib.Dataset | None]:
    entry = _pending(request).get(token)
    if entry is None:
        return None, None
    storage = private_storage()
    if not storage.exists(entry["path"]):
        return None, None
    with storage.open(entry["path"], "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != entry["sha256"]:
        return None, None
    return entry, read_spreadsheet(content=content, filename=entry["filename"])


def _forget_pending(request: HttpRequest, token: str) -> None:
    pending = _pending(request)
    entry = pending.pop(token, None)
    request.session[PENDING_IMPORTS] = pending
    if entry:
        private_storage().delete(entry["path"])


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def application_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and check (nothing written). Step 2 (POST with the token): write, all or nothing."""
    context = {"columns": ApplicationImportResource.columns(), "form": ApplicationImportForm()}
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request, context)
    if request.method == "POST":
        form = ApplicationImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                dataset = read_spreadsheet(content=content, filename=upload.name)
            except ImportFileError as error:
                form.add_error("file", str(error))
                return render(request, "cohorts/staff/application_import.html", context)
            report = applications_import_check(dataset=dataset)
            context["report"] = report
            if not report.rows:
                form.add_error("file", _("Le fichier ne contient aucune ligne de candidature."))
            elif report.is_valid:
                token = uuid.uuid4().hex
                path = private_storage().save(f"imports/{token}", ContentFile(content))
                pending = _pending(request)
                pending[token] = {
                    "path": path,
                    "filename": upload.name,
                    "sha256": hashlib.sha256(content).hexdigest(),
                }
                request.session[PENDING_IMPORTS] = pending
                context["confirm_form"] = ApplicationImportConfirmForm(initial={"token": token})
                context["filename"] = upload.name
    return render(request, "cohorts/staff/application_import.html", context)


def _import_confirm(request: HttpRequest, context: dict) -> HttpResponse:
    form = ApplicationImportConfirmForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    entry, dataset = _load_pending(request, token)
    if dataset is None:
        # A tampered token, an expired session, or the second click of a double submission.
        messages.warning(request, _("Cet import n'est plus en attente (déjà effectué ou expiré). Envoyez le fichier à nouveau."))
        return redirect("cohorts:application_import")
    try:
        report = applications_import(dataset=dataset, by=request.user)
    except IntegrityError:
        # Another request imported the same rows meanwhile: the unique constraints refused them.
        messages.error(request, _("Ces candidatures viennent d'être importées par ailleurs : rien n'a été ajouté."))
        _forget_pending(request, token)
        return redirect("cohorts:application_import")
    _forget_pending(request, token)
    if not report.is_valid:
        context["report"] = report
        messages.error(request, _("Le fichier n'est plus valide (les données ont changé depuis la vérification) : rien n'a été importé."))
        return render(request, "cohorts/staff/application_import.html", context)
    eligible = sum(1 for application in report.created if application.is_eligible)
    messages.success(
        request,
        _("%(count)s candidatures importées (%(eligible)s éligibles, %(ineligible)s non éligibles).")
        % {"count": len(report.created), "eligible": eligible, "ineligible": len(report.created) - eligible},
    )
    return redirect(f"{reverse('cohorts:application_list')}?source=import")
