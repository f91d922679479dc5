"""Staff pages: the filterable application list and its export, the selection-effect analysis and its
export, and the import of applications collected offline (check, then confirm; a worker imports, the
status page follows it)."""

import uuid

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from core.bilingual import plain_text_in
from core.spreadsheets import parse_id, safe_cell, safe_dataset
from core.storage import private_storage

from .. import selectors_staff
from ..forms.staff import AnalysisFilter, ApplicationFilter, ApplicationImportConfirmForm, ApplicationImportForm
from ..models import ApplicationImport, ImportStatus, Programme
from ..programme_choice import programme_default, programme_remember
from ..resources import ApplicationImportResource, ApplicationResource, ImportFileError, read_spreadsheet
from ..services.staff import (
    application_import_blocking,
    application_import_request,
    applications_import_check,
    file_sha256,
)

PAGE_SIZE = 50
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
#: Session key holding the files checked and waiting for confirmation, by token.
PENDING_IMPORTS = "staff_pending_imports"
#: How many imports the import page lists.
RECENT_IMPORTS = 10


def _xlsx(dataset: tablib.Dataset) -> bytes:
    """The dataset as a workbook written in openpyxl's streaming mode (twice as fast as tablib's)."""
    import io

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=str(dataset.title or "export")[:31])
    sheet.append([safe_cell(str(header)) for header in dataset.headers])
    for row in dataset:
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _file_response(dataset: tablib.Dataset, export_format: str, stem: str) -> HttpResponse:
    content_type, extension = EXPORT_FORMATS[export_format]
    if export_format == "csv":
        content = "\ufeff" + safe_dataset(dataset).export("csv")  # a BOM, so that Excel opens the accents correctly
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
    """One programme at a time (programmes do not mix): the one asked for, else the one chosen last, else
    the one with the most recent activity."""
    data = request.GET.copy()
    if data.get("programme"):
        asked = parse_id(data["programme"])
        programme = Programme.objects.filter(pk=asked).first() if asked is not None else None
        if programme is not None:
            programme_remember(request, programme)
    else:
        programme = programme_default(request, Programme.objects.all())
        if programme is not None:
            data["programme"] = str(programme.pk)
    filterset = AnalysisFilter(data, queryset=selectors_staff.Application.objects.all())
    return filterset, selectors_staff.selection_analysis(filterset.qs, filterset.cohorts())


@role_required(Role.STAFF)
def selection_analysis(request: HttpRequest) -> HttpResponse:
    filterset, analysis = _analysis(request)
    return render(
        request,
        "cohorts/staff/selection_analysis.html",
        {"filter": filterset, "analysis": analysis, "query": filterset.data.urlencode()},
    )


def analysis_dataset(analysis: selectors_staff.SelectionAnalysis) -> tablib.Databook:
    """Two sheets: the funnel by group, and the exclusions by criterion and group."""
    funnel = tablib.Dataset(
        headers=[
            _("dimension"),
            _("groupe"),
            _("candidatures"),
            _("éligibles"),
            _("% éligibles"),
            _("évaluées"),
            _("% évaluées"),
            _("sélectionnées"),
            _("% sélectionnées"),
        ],  # fmt: skip
        title=_("Entonnoir"),
    )
    for dimension, row in [("", analysis.total)] + [(b.label, row) for b in analysis.breakdowns for row in b.rows]:
        funnel.append(
            [
                dimension,
                row.label,
                row.applied,
                row.eligible,
                row.eligible_rate,
                row.reviewed,
                row.reviewed_rate,
                row.selected,
                row.selected_rate,
            ]  # fmt: skip
        )
    exclusions = tablib.Dataset(
        headers=[
            _("cohorte"),
            _("critère"),
            _("exclu·es par ce seul critère"),
            _("dimension"),
            _("groupe"),
            _("candidatures du groupe"),
            _("exclu·es du groupe"),
            _("% du groupe"),
        ],  # fmt: skip
        title=_("Exclusions par critère"),
    )
    dimension_names = {breakdown.dimension: breakdown.label for breakdown in analysis.breakdowns}
    for item in analysis.exclusions:
        for dimension, groups in item.groups.items():
            for group in groups:
                exclusions.append(
                    [
                        str(item.criterion.cohort),
                        plain_text_in(item.criterion, "label"),
                        item.excluded,
                        dimension_names.get(dimension, dimension),
                        group.label,
                        group.applied,
                        group.excluded,
                        group.share,
                    ]  # fmt: skip
                )
    return tablib.Databook([funnel, exclusions])


@role_required(Role.STAFF)
def selection_analysis_export(request: HttpRequest) -> HttpResponse:
    export_format = _export_format(request)
    if export_format is None:
        messages.error(request, _("Format d'export inconnu : choisissez CSV ou XLSX."))
        return redirect("cohorts:selection_analysis")
    _filterset, analysis = _analysis(request)
    book = tablib.Databook([safe_dataset(sheet) for sheet in analysis_dataset(analysis).sheets()])
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


def _load_pending(request: HttpRequest, token: str) -> tuple[dict | None, bytes | None]:
    entry = _pending(request).get(token)
    if entry is None:
        return None, None
    storage = private_storage()
    if not storage.exists(entry["path"]):
        return None, None
    with storage.open(entry["path"], "rb") as handle:
        content = handle.read()
    if file_sha256(content) != entry["sha256"]:
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
        "columns": ApplicationImportResource.columns(),
        "form": ApplicationImportForm(),
        # The latest imports, with who asked for them: two queries whatever their number.
        "recent_imports": list(ApplicationImport.objects.select_related("requested_by")[:RECENT_IMPORTS]),
    }


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def application_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and check (nothing written). Step 2 (POST with the token): queue the import,
    which a worker runs all or nothing; the user follows it on its status page."""
    context = _import_context()
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request)
    if request.method == "POST":
        form = ApplicationImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            sha256 = file_sha256(content)
            existing = application_import_blocking(sha256=sha256)
            if existing is not None:
                form.add_error("file", _("Ce fichier a déjà été envoyé : il n'est pas importé une seconde fois."))
                context["existing_import"] = existing
                return render(request, "cohorts/staff/application_import.html", context)
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
                path = private_storage().save(f"imports/pending/{token}", ContentFile(content))
                pending = _pending(request)
                pending[token] = {"path": path, "filename": upload.name, "sha256": sha256, "rows": len(report.rows)}
                request.session[PENDING_IMPORTS] = pending
                context["confirm_form"] = ApplicationImportConfirmForm(initial={"token": token})
                context["filename"] = upload.name
    return render(request, "cohorts/staff/application_import.html", context)


def _import_confirm(request: HttpRequest) -> HttpResponse:
    form = ApplicationImportConfirmForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    entry, content = _load_pending(request, token)
    if content is None:
        # A tampered token, an expired session, or the second click of a double submission.
        messages.warning(request, _("Cet import n'est plus en attente (déjà demandé ou expiré). Envoyez le fichier à nouveau."))
        return redirect("cohorts:application_import")
    try:
        job = application_import_request(
            content=content, filename=entry["filename"], row_count=entry.get("rows", 0), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cohorts:application_import")
    finally:
        _forget_pending(request, token)
    messages.success(
        request,
        _("Import demandé : les %(count)s candidatures sont enregistrées en arrière-plan. Cette page se met à jour seule.")
        % {"count": job.row_count},
    )
    return redirect("cohorts:application_import_status", pk=job.pk)


@role_required(Role.STAFF)
@require_http_methods(["GET"])
def application_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where an import stands; htmx asks again for the status block every 2 s until it is finished."""
    job = get_object_or_404(ApplicationImport.objects.select_related("requested_by"), pk=pk)
    context = {"job": job, "import_status": ImportStatus}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "cohorts/staff/_application_import_status.html", context)
    else:
        response = render(request, "cohorts/staff/application_import_status.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
