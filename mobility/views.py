"""Personal data pages: a person's own data (export as a zip, the privacy notice), and staff's page for
the retention rule and anonymisation. Thin: selectors read, services write, workers build the zips."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_required
from core.jobs import JobStatus
from partners.models import Entrepreneur

from . import selectors_privacy as selectors
from . import services_privacy as services
from .forms import AnonymiseForm
from .models import PersonalDataExport


def _retention() -> dict[str, int]:
    return {"after_return": settings.RETENTION_DAYS_AFTER_RETURN, "after_refusal": settings.RETENTION_DAYS_AFTER_REFUSAL}


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "mobility/privacy/notice.html", {"retention": _retention()})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """What the platform holds on me: ask for an export, download the last ones."""
    if request.method == "POST":
        export = services.personal_data_export_request(user=request.user)
        messages.info(request, _("Votre export est en préparation ; il apparaît ci-dessous dès qu'il est prêt."))
        return redirect("mobility:my_data_export", pk=export.pk)
    return render(request, "mobility/privacy/my_data.html", {"exports": selectors.exports_of(user=request.user)})


def _own_export(request: HttpRequest, pk: int) -> PersonalDataExport:
    return get_object_or_404(PersonalDataExport, pk=pk, user=request.user)


@login_required
def my_data_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Where my export stands; htmx asks again every 2 s until it is ready or failed."""
    export = _own_export(request, pk)
    template = (
        "mobility/privacy/_export_status.html" if request.headers.get("HX-Request") == "true" else "mobility/privacy/export.html"
    )
    response = render(request, template, {"export": export, "job_status": JobStatus})
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def my_data_download(request: HttpRequest, pk: int) -> FileResponse:
    export = _own_export(request, pk)
    if export.status != JobStatus.DONE or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    stem = _("pem-mes-donnees")
    name = f"{stem}-{export.requested_at:%Y%m%d}.zip"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
def personal_data_staff(request: HttpRequest) -> HttpResponse:
    """Staff: find a person to anonymise; the retention rule and its last runs; past anonymisations."""
    query = request.GET.get("q", "")
    return render(
        request,
        "mobility/privacy/staff.html",
        {
            "query": query,
            "people": selectors.people_search(query=query),
            "runs": selectors.retention_runs(),
            "anonymisations": selectors.anonymisations(),
            "settings_retention": _retention(),
        },
    )


@staff_required
def person_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    entrepreneur = get_object_or_404(Entrepreneur.objects.select_related("user"), pk=pk)
    if hasattr(entrepreneur, "anonymisation"):
        messages.info(request, _("Cette personne est déjà anonymisée."))
        return redirect("mobility:personal_data_staff")
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.person_anonymise(entrepreneur=entrepreneur, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("La personne est anonymisée. Les indicateurs du programme sont inchangés."))
        return redirect("mobility:personal_data_staff")
    return render(
        request,
        "mobility/privacy/anonymise.html",
        {
            "entrepreneur": entrepreneur,
            "form": form,
            "applications": entrepreneur.applications.select_related("cohort__programme"),
        },
    )


@staff_required
@require_POST
def retention_run_now(request: HttpRequest) -> HttpResponse:
    """Apply the retention rule today (it also runs by itself every day)."""
    services.retention_schedule()
    messages.info(request, _("La règle de conservation est appliquée en arrière-plan."))
    return redirect("mobility:personal_data_staff")
