"""Visa files: the staff board of a cohort and a file's page, the entrepreneur's own page, and the one
permission-checked door to a visa document. Thin views over selectors_visa and services_visa."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.access import get_for_user_or_404, role_required, staff_required
from accounts.models import Role
from cohorts.models import Application, ApplicationStatus, Cohort
from cohorts.views.apply import DOCUMENT_CSP, download_filename
from core.forms import form_add_validation_error
from core.jobs import JobStatus
from core.spreadsheets import parse_id

from . import selectors_visa as selectors
from . import services_visa as services
from .forms import VisaDocumentForm, VisaPassportForm, VisaStatusForm
from .models import VisaDocument, VisaDocumentKind, VisaFile, VisaStatus


def _kinds(checklist) -> list[tuple[str, str]]:
    listed = [(item.kind, item.label) for item in checklist]
    seen = {kind for kind, _label in listed}
    return listed + [(kind, label) for kind, label in VisaDocumentKind.choices if kind not in seen]


def _timeline(visa_file: VisaFile):
    return visa_file.status_changes.select_related("by").order_by("changed_on", "pk")


# --------------------------------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------------------------------


@staff_required
def visa_board(request: HttpRequest) -> HttpResponse:
    cohorts = Cohort.objects.select_related("programme").order_by("-programme__pk", "-number")
    # By default the latest cohort that has someone to follow: a selected entrepreneur or a visa file.
    busy = cohorts.filter(Q(applications__status=ApplicationStatus.SELECTED) | Q(applications__visa_file__isnull=False))
    cohort = cohorts.filter(pk=parse_id(request.GET.get("cohort")) or 0).first() or busy.distinct().first() or cohorts.first()
    board = selectors.visa_board(cohort=cohort, today=timezone.localdate()) if cohort is not None else None
    return render(request, "mobility/visa/board.html", {"cohorts": cohorts, "cohort": cohort, "board": board})


@staff_required
@require_POST
def visa_file_open(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=application_pk)
    visa_file, created = services.visa_file_open(application=application, by=request.user)
    if created:
        messages.success(request, _("Dossier visa ouvert."))
    return redirect("mobility:visa_file", pk=visa_file.pk)


def _file_context(request: HttpRequest, visa_file: VisaFile, **forms) -> dict:
    checklist = selectors.visa_checklist(visa_file=visa_file)
    context = {
        "visa_file": visa_file,
        "checklist": checklist,
        "missing": [item for item in checklist if item.is_missing],
        "timeline": _timeline(visa_file),
        "upload_form": forms.get("upload_form") or VisaDocumentForm(kinds=_kinds(checklist)),
        "job_status": JobStatus,
    }
    if request.user.has_role(Role.STAFF):
        context.update(
            passport_form=forms.get("passport_form") or VisaPassportForm(),
            status_form=forms.get("status_form") or VisaStatusForm(visa_file=visa_file, initial={"on": timezone.localdate()}),
            letters=selectors.visa_letters(visa_file=visa_file),
            accepted=services.accepted_invitations(visa_file=visa_file),
        )
    return context


@staff_required
def visa_file(request: HttpRequest, pk: int) -> HttpResponse:
    visa_file = selectors.visa_file_for_page(pk=pk, user=request.user)
    return render(request, "mobility/visa/file_staff.html", _file_context(request, visa_file))


@sensitive_post_parameters("number")
@staff_required
@require_POST
def visa_passport_set(request: HttpRequest, pk: int) -> HttpResponse:
    visa_file = selectors.visa_file_for_page(pk=pk, user=request.user)
    form = VisaPassportForm(request.POST)
    if form.is_valid():
        try:
            services.visa_passport_set(
                visa_file=visa_file,
                number=form.cleaned_data["number"],
                expires_on=form.cleaned_data["expires_on"],
                by=request.user,
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Numéro de passeport enregistré."))
            return redirect("mobility:visa_file", pk=visa_file.pk)
    # The number typed is never sent back to the browser, even when refused.
    form.data = form.data.copy()
    form.data["number"] = ""
    return render(request, "mobility/visa/file_staff.html", _file_context(request, visa_file, passport_form=form), status=400)


@staff_required
@require_POST
def visa_status_change(request: HttpRequest, pk: int) -> HttpResponse:
    visa_file = selectors.visa_file_for_page(pk=pk, user=request.user)
    form = VisaStatusForm(request.POST, visa_file=visa_file)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visa_status_change(
                visa_file=visa_file,
                to_status=data["to_status"],
                on=data["on"],
                by=request.user,
                refusal_reason=data["refusal_reason"],
                refusal_details=data["refusal_details"],
                note=data["note"],
                appointment_on=data["appointment_on"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                consulate=data["consulate"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Étape enregistrée : %(status)s.") % {"status": VisaStatus(data["to_status"]).label})
            return redirect("mobility:visa_file", pk=visa_file.pk)
    return render(request, "mobility/visa/file_staff.html", _file_context(request, visa_file, status_form=form), status=400)


@staff_required
@require_POST
def visa_letters_request(request: HttpRequest, pk: int) -> HttpResponse:
    visa_file = selectors.visa_file_for_page(pk=pk, user=request.user)
    try:
        letters = services.invitation_letters_request(visa_file=visa_file, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("mobility:visa_file", pk=visa_file.pk)
    if letters:
        messages.info(request, _("Lettres en préparation : elles s'ajoutent au dossier dès qu'elles sont prêtes."))
    else:
        messages.info(request, _("Aucune nouvelle invitation acceptée : pas de nouvelle lettre."))
    return redirect("mobility:visa_file", pk=visa_file.pk)


# --------------------------------------------------------------------------------------------------
# The entrepreneur
# --------------------------------------------------------------------------------------------------


@role_required(Role.ENTREPRENEUR)
def my_visa(request: HttpRequest) -> HttpResponse:
    visa_files = list(
        VisaFile.objects.filter(application__entrepreneur__user=request.user)
        .select_related("application__cohort__programme", "application__entrepreneur", "consulate")
        .order_by("-application__cohort__call_opens_at", "-pk")
    )
    visa_file = visa_files[0] if visa_files else None
    context = _file_context(request, visa_file) if visa_file else {"visa_file": None}
    context["editable"] = (
        visa_file is not None and visa_file.status in services.OWNER_EDITABLE and not visa_file.documents_purged_on
    )
    return render(request, "mobility/visa/mine.html", context)


# --------------------------------------------------------------------------------------------------
# Documents: staff and the file's entrepreneur
# --------------------------------------------------------------------------------------------------


def _back(request: HttpRequest, visa_file: VisaFile):
    if request.user.has_role(Role.STAFF):
        return redirect("mobility:visa_file", pk=visa_file.pk)
    return redirect("mobility:my_visa")


@login_required
@require_POST
def visa_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    visa_file = selectors.visa_file_for_page(pk=pk, user=request.user)
    checklist = selectors.visa_checklist(visa_file=visa_file)
    form = VisaDocumentForm(request.POST, request.FILES, kinds=_kinds(checklist))
    if form.is_valid():
        try:
            services.visa_document_upload(
                visa_file=visa_file, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        except PermissionDenied as denied:
            raise Http404 from denied
        else:
            messages.success(request, _("Pièce ajoutée au dossier."))
            return _back(request, visa_file)
    template = "mobility/visa/file_staff.html" if request.user.has_role(Role.STAFF) else "mobility/visa/mine.html"
    context = _file_context(request, visa_file, upload_form=form)
    context["editable"] = True
    return render(request, template, context, status=400)


@login_required
@require_POST
def visa_document_remove(request: HttpRequest, document_pk: int) -> HttpResponse:
    document = get_for_user_or_404(
        VisaDocument.objects.select_related("visa_file__application__entrepreneur"), request.user, pk=document_pk
    )
    try:
        services.visa_document_remove(document=document, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as denied:
        raise Http404 from denied
    else:
        messages.success(request, _("Pièce retirée du dossier."))
    return _back(request, document.visa_file)


@login_required
def visa_document_download(request: HttpRequest, document_pk: int) -> FileResponse:
    """A visa document, for staff and the file's entrepreneur; anybody else (their coach too) gets a 404.
    Always an attachment: a document is never shown as a page of the site."""
    document = get_for_user_or_404(VisaDocument, request.user, pk=document_pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_filename(document),
        content_type=document.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOCUMENT_CSP
    return response
