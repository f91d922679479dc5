"""The indicators page (staff, and the committee members and evaluators of the programme, read-only):
results framework, computed tables with their disaggregations, charts; exports of any table as CSV or
XLSX; and, for staff, values entered by hand and snapshots frozen per period."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from cohorts.models import Cohort, Programme
from cohorts.programme_choice import programme_default, programme_remember
from core.figures import Figure, as_figure
from core.spreadsheets import safe_cell

from .. import selectors_indicators as selectors
from ..charts import CHARTS
from ..forms.indicators import IndicatorValueForm, ScopeForm, SnapshotForm
from ..indicators import compute_indicators
from ..services.indicators import indicator_snapshot_freeze, indicator_value_record

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _int_or_404(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404 from None


def _programme(request: HttpRequest, raw=None) -> Programme:
    """The requested programme among the user's (404 otherwise, remembered otherwise), or by default the
    one chosen last, else the one with the most recent activity (cohorts.programme_choice)."""
    programmes = selectors.programmes_for_user(request.user)
    if raw not in (None, ""):
        programme = get_object_or_404(programmes, pk=_int_or_404(raw))
        programme_remember(request, programme)
        return programme
    programme = programme_default(request, programmes)
    if programme is None:
        raise Http404
    return programme


def _cohort(programme: Programme, raw) -> Cohort | None:
    if raw in (None, ""):
        return None
    return get_object_or_404(Cohort, pk=_int_or_404(raw), programme=programme)


def _page_url(programme: Programme, cohort: Cohort | None) -> str:
    query = {"programme": programme.pk, **({"cohort": cohort.pk} if cohort else {})}
    return f"{reverse('reporting:indicators')}?{urlencode(query)}"


@role_required(*selectors.READER_ROLES)
def indicators(request: HttpRequest) -> HttpResponse:
    programme = _programme(request, request.GET.get("programme"))
    cohort = _cohort(programme, request.GET.get("cohort"))
    computed = compute_indicators(programme=programme, cohort=cohort)
    framework = selectors.results_framework(programme=programme, cohort=cohort, indicators=computed)
    tables = selectors.indicator_tables(computed, framework)
    scope_form = ScopeForm(
        initial={"programme": programme, "cohort": cohort},
        programmes=selectors.programmes_for_user(request.user),
        programme=programme,
    )
    scope_query = urlencode({"programme": programme.pk, **({"cohort": cohort.pk} if cohort else {})})
    is_staff = request.user.has_role(Role.STAFF)
    return render(
        request,
        "reporting/indicators/page.html",
        {
            "programme": programme,
            "cohort": cohort,
            "indicators": computed,
            "framework": framework,
            "framework_table": tables.pop("framework"),
            "tables": list(tables.values()),
            "charts": [mark_safe(chart(computed)) for chart in CHARTS.values()],  # noqa: S308 (built with escaped text)
            "scope_form": scope_form,
            "scope_query": scope_query,
            "is_staff": is_staff,
            "snapshot_form": SnapshotForm(initial={"period_end": timezone.localdate()}) if is_staff else None,
        },
    )


def _csv(table: selectors.Table) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a BOM, so that Excel opens the accents correctly
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(str(header)) for header in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def _csv_cell(cell) -> str:
    """Figures as plain numbers (a dot for decimals, no grouping, money in whole euros as shown)."""
    if isinstance(cell, Figure):
        cell = cell.number
    return "" if cell is None else safe_cell(str(cell))


def _xlsx(table: selectors.Table) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=str(table.title)[:31].replace("/", "-"))
    sheet.append([safe_cell(str(header)) for header in table.headers])
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, cell):
    """Figures stay numeric cells, with the number format of their kind (`#,##0 "€"`, `0.0 "%"`)."""
    from openpyxl.cell import WriteOnlyCell

    figure = as_figure(cell)
    if isinstance(figure, Figure):
        if figure.number is None:
            return None
        written = WriteOnlyCell(sheet, value=figure.number)
        written.number_format = figure.xlsx_format()
        return written
    return None if cell is None else safe_cell(str(cell))


@role_required(*selectors.READER_ROLES)
def indicators_export(request: HttpRequest) -> HttpResponse:
    programme = _programme(request, request.GET.get("programme"))
    cohort = _cohort(programme, request.GET.get("cohort"))
    export_format = request.GET.get("format", "csv")
    table_key = request.GET.get("table", "funnel")
    if export_format not in EXPORT_FORMATS:
        messages.error(request, _("Format d'export inconnu : choisissez CSV ou XLSX."))
        return redirect(_page_url(programme, cohort))
    computed = compute_indicators(programme=programme, cohort=cohort)
    framework = (
        selectors.results_framework(programme=programme, cohort=cohort, indicators=computed) if table_key == "framework" else None
    )
    tables = selectors.indicator_tables(computed, framework)
    table = tables.get(table_key)
    if table is None:
        messages.error(request, _("Tableau inconnu."))
        return redirect(_page_url(programme, cohort))
    content = _csv(table) if export_format == "csv" else _xlsx(table)
    response = HttpResponse(content, content_type=EXPORT_FORMATS[export_format])
    scope = f"{programme.code}-c{cohort.number}" if cohort else programme.code
    response["Content-Disposition"] = (
        f'attachment; filename="indicateurs-{scope}-{table.key}-{timezone.localdate():%Y%m%d}.{export_format}"'
    )
    return response


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def indicator_value_add(request: HttpRequest, programme_pk: int) -> HttpResponse:
    programme = _programme(request, programme_pk)
    form = IndicatorValueForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicator_value_record(
                indicator=data["indicator"], period_end=data["period_end"], value=data["value"], evidence=data["evidence"],
                by=request.user, cohort=data["cohort"], dimension=data["dimension"], group=data["group"],
            )  # fmt: skip
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Valeur enregistrée pour %(indicator)s (période se terminant le %(date)s).")
                % {"indicator": data["indicator"].code, "date": date_format(data["period_end"], "SHORT_DATE_FORMAT")},
            )
            return redirect(_page_url(programme, data["cohort"]))
    return render(request, "reporting/indicators/value_form.html", {"programme": programme, "form": form})


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def indicators_freeze(request: HttpRequest, programme_pk: int) -> HttpResponse:
    programme = _programme(request, programme_pk)
    cohort = _cohort(programme, request.POST.get("cohort") if request.method == "POST" else request.GET.get("cohort"))
    form = SnapshotForm(request.POST or None, initial={"period_end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        period_end = form.cleaned_data["period_end"]
        try:
            written = indicator_snapshot_freeze(programme=programme, cohort=cohort, period_end=period_end, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)s valeurs figées pour la période se terminant le %(date)s.")
                % {"count": written, "date": date_format(period_end, "SHORT_DATE_FORMAT")},
            )
            return redirect(_page_url(programme, cohort))
    return render(request, "reporting/indicators/freeze_form.html", {"programme": programme, "cohort": cohort, "form": form})
