"""PDF reports: ask for one (answered at once, rendered by a worker), follow it, download it.

Reports are private: they are streamed by `report_download` to staff and to the committee members and
evaluators of the programme, never through a public URL.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_for_user_or_404, role_required

from ..forms.reports import ReportRequestForm
from ..models import JobStatus, ReportJob
from ..selectors_reports import REPORT_ROLES, report_jobs_for_user
from ..services.reports import BROKER_UNREACHABLE, report_request, report_retry


def _list_page(request: HttpRequest, form: ReportRequestForm, *, status: int = 200) -> HttpResponse:
    context = {"form": form, "jobs": list(report_jobs_for_user(request.user)), "job_status": JobStatus}
    return render(request, "reporting/reports/report_list.html", context, status=status)


@role_required(*REPORT_ROLES)
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """The recent reports of the user's programmes, and the form to ask for one."""
    return _list_page(request, ReportRequestForm(user=request.user))


# Not wrapped in the request's transaction: the service commits its own, so that the job is handed to the
# broker (on commit) before this view answers, and a broker outage can be told to the user at once.
@transaction.non_atomic_requests
@role_required(*REPORT_ROLES)
@require_POST
def report_request_view(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    asked_at = timezone.now()
    try:
        job = report_request(**form.cleaned_data, by=request.user)
    except ValidationError as error:  # the evaluation was deleted between the form and the service...
        for message in error.messages:
            form.add_error(None, message)
        return _list_page(request, form, status=400)
    job.refresh_from_db()
    if job.requested_at < asked_at:
        messages.info(request, _("Ce rapport est déjà en préparation : vous suivez la même demande."))
    elif job.status == JobStatus.QUEUED and job.error:
        messages.warning(request, job.error_display)
    else:
        messages.success(request, _("Rapport demandé : il est préparé en arrière-plan."))
    return redirect("reporting:report_status", pk=job.pk)


@role_required(*REPORT_ROLES)
@require_GET
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a report stands; htmx asks again for the status block every 2 s until it is done or failed."""
    job = get_for_user_or_404(ReportJob.objects.select_related("programme", "cohort", "requested_by"), request.user, pk=pk)
    stale = job.is_stale
    context = {"job": job, "job_status": JobStatus, "stale": stale, "broker_unreachable": BROKER_UNREACHABLE}
    template = (
        "reporting/reports/_report_status.html"
        if request.headers.get("HX-Request") == "true"
        else "reporting/reports/report_status.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@role_required(*REPORT_ROLES)
@require_POST
def report_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The retry button: a failed report is asked again, a queued or stuck one is sent to a worker again."""
    job = get_for_user_or_404(ReportJob.objects.select_related("programme", "cohort"), request.user, pk=pk)
    if job.status == JobStatus.DONE:
        return redirect("reporting:report_status", pk=job.pk)
    job = report_retry(job=job, by=request.user)
    messages.info(request, _("Le rapport est relancé."))
    return redirect("reporting:report_status", pk=job.pk)


@role_required(*REPORT_ROLES)
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    """Stream the PDF as an attachment, only to the people who may read the programme's reports."""
    job = get_for_user_or_404(ReportJob.objects.select_related("programme", "cohort"), request.user, pk=pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    suffix = f"-c{job.cohort.number}" if job.cohort else ""
    filename = f"{job.programme.code}-{job.kind}{suffix}-{job.language}-{job.pk}.pdf"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
