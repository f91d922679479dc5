"""Staff pages: the filterable application list and its export, the page of one application (answers,
documents, screening, reviews, history, decision), the selection-effect analysis and its export, and the
import of applications collected offline (check, then confirm; a worker imports, the status page follows
it)."""

import uuid

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import get_for_user_or_404, role_required
from accounts.models import Role
from core.bilingual import plain_text_in
from core.forms import filter_form_fields
from core.spreadsheets import EXPORT_FORMATS, dataset_response, parse_id, safe_dataset
from core.storage import private_storage

from .. import selectors_staff
from ..forms.selection import SelectionBatchForm
from ..forms.staff import (
    AnalysisFilter,
    ApplicationFilter,
    ApplicationImportConfirmForm,
    ApplicationImportForm,
    ApplicationImportMappingForm,
)
from ..models import APPLICATION_TRANSITIONS, ApplicationImport, ApplicationStatus, Cohort, ImportStatus, Programme
from ..programme_choice import programme_default, programme_remember
from ..resources import (
    ApplicationImportResource,
    ApplicationResource,
    ImportFileError,
    SourceTable,
    column_mapping_rows,
    import_template,
    spreadsheet_read,
)
from ..selectors_selection import SELECTION_STATUSES
from ..services.selection import OUTCOME_STATUS
from ..services.staff import (
    PENDING_IMPORT_DIR,
    application_import_blocking,
    application_import_request,
    applications_import_check,
    file_sha256,
)
from .selection import selection_apply

PAGE_SIZE = 50
#: Session key holding the files checked and waiting for confirmation, by token.
PENDING_IMPORTS = "staff_pending_imports"
#: How many imports the import page lists.
RECENT_IMPORTS = 10


def _export_format(request: HttpRequest) -> str | None:
    value = request.GET.get("format", "csv")
    return value if value in EXPORT_FORMATS else None


@role_required(Role.STAFF)
def application_list(request: HttpRequest) -> HttpResponse:
    filterset = ApplicationFilter(request.GET, queryset=selectors_staff.applications_for_staff_list())
    queryset = filterset.qs
    paginator = Paginator(queryset, PAGE_SIZE)
    # The paginator's count, shared per data version (counting 10,000 rows is most of a query's time).
    paginator.count = selectors_staff.applications_for_staff_count(
        {name: request.GET.getlist(name) for name in filterset.filters}, queryset
    )
    page = paginator.get_page(request.GET.get("page"))
    failed = selectors_staff.failed_labels(page)
    rows = [(application, failed[application.pk]) for application in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "filter_fields": filter_form_fields(filterset.form, selectors_staff.staff_list_filter_choices()),
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
    }
    return render(request, "cohorts/staff/application_list.html", context)


#: Where the decision form of the application page is offered: statuses from which the board's actions
#: (shortlist, select, waitlist, reject) can still move the application.
DECIDABLE_STATUSES = frozenset(
    status
    for status in SELECTION_STATUSES
    if APPLICATION_TRANSITIONS[status] & {ApplicationStatus.SHORTLISTED, *OUTCOME_STATUS.values()}
)


def _decision_form(application, data=None) -> SelectionBatchForm:
    form = SelectionBatchForm(data, cohort=application.cohort)
    form.fields["reason"].help_text = _("Obligatoire pour une décision ; communiqué à la personne candidate.")
    form.fields["override"].help_text = _("À cocher seulement pour décider alors que des évaluations requises manquent.")
    return form


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def application_staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application for the programme team. The decision form is the selection board's, for this
    application alone, and goes through the same services and safeguards (reviews missing, reason)."""
    application = get_for_user_or_404(selectors_staff.application_for_staff_page(), request.user, pk=pk)
    decidable = application.status in DECIDABLE_STATUSES
    form = _decision_form(application) if decidable else None
    if request.method == "POST":
        if not decidable:
            messages.error(request, _("Aucune décision n'est possible sur une candidature à ce statut."))
            return redirect("cohorts:application_staff_detail", pk=application.pk)
        data = request.POST.copy()
        data.setlist("applications", [str(application.pk)])  # this application, whatever was posted
        form = _decision_form(application, data)
        if form.is_valid():
            selection_apply(request, form)
            return redirect("cohorts:application_staff_detail", pk=application.pk)
    page = selectors_staff.staff_application_page(application)
    context = {
        "page": page,
        "application": application,
        "cohort": application.cohort,
        "partnership_labels": application.partnership_type_labels,
        "form": form,
        "missing_reviews": max(application.cohort.min_reviews - page.submitted_count, 0),
        "show_fictitious_banner": application.cohort.programme.is_fictitious,
    }
    return render(request, "cohorts/staff/application_detail.html", context)


@role_required(Role.STAFF)
def application_export(request: HttpRequest) -> HttpResponse:
    export_format = _export_format(request)
    if export_format is None:
        messages.error(request, _("Format d'export inconnu : choisissez CSV ou XLSX."))
        return redirect("cohorts:application_list")
    filterset = ApplicationFilter(request.GET, queryset=selectors_staff.applications_for_staff())
    dataset = ApplicationResource().export(queryset=filterset.qs)
    return dataset_response(dataset, export_format, "candidatures")


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
            _("ne remplissent pas ce critère"),
            _("exclu·es par ce seul critère"),
            _("dimension"),
            _("groupe"),
            _("candidatures du groupe"),
            _("ne remplissent pas ce critère, dans le groupe"),
            _("% du groupe ne le remplissant pas"),
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
                        item.failing,
                        item.excluded,
                        dimension_names.get(dimension, dimension),
                        group.label,
                        group.applied,
                        group.failing,
                        group.failing_share,
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


def _pending_cohort(entry: dict) -> Cohort | None:
    return Cohort.objects.select_related("programme").filter(pk=entry.get("cohort")).first() if entry.get("cohort") else None


def _import_check(request: HttpRequest, context: dict, *, token: str, entry: dict, table: SourceTable) -> HttpResponse:
    """Check the rows of a file whose columns are mapped; offer the confirmation when every row passes."""
    cohort = _pending_cohort(entry)
    report = applications_import_check(dataset=table.dataset(), cohort=cohort)
    context.update(report=report, ignored_columns=table.ignored, token=token, filename=entry["filename"], default_cohort=cohort)
    # Kept with the mapping just used, so that "change the mapping" starts from it; confirmable only when valid.
    entry.pop("rows", None)
    if not report.rows:
        # A message, not a form error: after the mapping step the upload form is not bound.
        messages.error(request, _("Le fichier ne contient aucune ligne de candidature."))
    elif report.is_valid:
        entry["rows"] = len(report.rows)
        context["confirm_form"] = ApplicationImportConfirmForm(initial={"token": token})
    pending = _pending(request)
    pending[token] = entry
    request.session[PENDING_IMPORTS] = pending
    return render(request, "cohorts/staff/application_import.html", context)


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def application_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload; the file waits in private storage under a token (removed after a day if never
    confirmed). Step 2, when its headers do not name every required field: the column mapping. Step 3:
    the check (nothing written). Step 4 (POST with the token): queue the import, which a worker runs all
    or nothing; the user follows it on its status page."""
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
                table = spreadsheet_read(content=content, filename=upload.name)
            except ImportFileError as error:
                form.add_error("file", str(error))
                return render(request, "cohorts/staff/application_import.html", context)
            cohort = form.cleaned_data.get("cohort")
            token = uuid.uuid4().hex
            path = private_storage().save(f"{PENDING_IMPORT_DIR}/{token}", ContentFile(content))
            entry = {"path": path, "filename": upload.name, "sha256": sha256, "cohort": cohort.pk if cohort else None}
            entry["mapping"] = table.mapping()
            pending = _pending(request)
            pending[token] = entry
            request.session[PENDING_IMPORTS] = pending
            if table.problems(cohort_chosen=cohort is not None):
                return redirect("cohorts:application_import_mapping", token=token)
            return _import_check(request, context, token=token, entry=entry, table=table)
    return render(request, "cohorts/staff/application_import.html", context)


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def application_import_mapping(request: HttpRequest, token: str) -> HttpResponse:
    """The column-mapping step of a file waiting under `token`: each column of the file goes to a field
    or is ignored; the mapping is kept with the file, then on the import."""
    entry, content = _load_pending(request, token)
    if content is None:
        messages.warning(request, _("Ce fichier n'est plus en attente (déjà importé ou expiré). Envoyez-le à nouveau."))
        return redirect("cohorts:application_import")
    table = spreadsheet_read(content=content, filename=entry["filename"], mapping=entry.get("mapping"))
    cohort = _pending_cohort(entry)
    form = ApplicationImportMappingForm(request.POST or None, table=table, cohort_chosen=cohort is not None)
    if request.method == "POST" and form.is_valid():
        entry["mapping"] = form.mapped.mapping()
        return _import_check(request, _import_context(), token=token, entry=entry, table=form.mapped)
    context = {
        "mapping_form": form,
        "filename": entry["filename"],
        "default_cohort": cohort,
        "problems": table.problems(cohort_chosen=cohort is not None),
    }
    return render(request, "cohorts/staff/application_import_mapping.html", context)


@role_required(Role.STAFF)
@require_http_methods(["GET"])
def application_import_template(request: HttpRequest, file_format: str) -> HttpResponse:
    """The empty template to fill, its headers in the page's language (both languages are read back)."""
    if file_format not in EXPORT_FORMATS:
        raise Http404
    language = "en" if (translation.get_language() or "fr").startswith("en") else "fr"
    content, content_type = import_template(language=language, file_format=file_format)
    stem = "modele-import-candidatures" if language == "fr" else "application-import-template"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response


def _import_confirm(request: HttpRequest) -> HttpResponse:
    form = ApplicationImportConfirmForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    entry, content = _load_pending(request, token)
    if content is None or "rows" not in entry:
        # A tampered token, an expired session, the second click of a double submission, or a file not checked.
        messages.warning(request, _("Cet import n'est plus en attente (déjà demandé ou expiré). Envoyez le fichier à nouveau."))
        return redirect("cohorts:application_import")
    try:
        job = application_import_request(
            content=content,
            filename=entry["filename"],
            row_count=entry.get("rows", 0),
            by=request.user,
            column_mapping=entry.get("mapping"),
            cohort=_pending_cohort(entry),
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
    job = get_object_or_404(ApplicationImport.objects.select_related("requested_by", "cohort__programme"), pk=pk)
    context = {"job": job, "import_status": ImportStatus, "column_mapping": column_mapping_rows(job.column_mapping)}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "cohorts/staff/_application_import_status.html", context)
    else:
        response = render(request, "cohorts/staff/application_import_status.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
