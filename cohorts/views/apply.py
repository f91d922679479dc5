"""Pages of applicants: start an application from a call, the six-step wizard (each step saves the
draft in the database, so it can be resumed from any device), documents, submission and status."""

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import ModelForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_for_user_or_404, role_required
from accounts.models import Role
from core.bilingual import plain_text_in

from .. import selectors, selectors_apply
from ..forms import apply as forms
from ..models import Application, ApplicationDocument, ApplicationStatus, ConflictOfInterest, Review
from ..selectors import OUTCOME_STATUSES
from ..selectors_apply import APPLY_STEPS, LAST_STEP
from ..services import apply as services
from ..services.apply import EXTENSIONS, pdf_problem
from ..services.documents import document_access_record

STEP_FORMS = {1: forms.FounderForm, 2: forms.CompanyForm, 3: forms.PartnershipForm, 4: forms.CommitmentsForm}

entrepreneur_required = role_required(Role.ENTREPRENEUR)


def _own_application(request: HttpRequest, pk: int, queryset=None) -> Application:
    """The logged-in entrepreneur's application; anybody else's id is a 404."""
    queryset = queryset if queryset is not None else selectors_apply.application_for_owner(request.user)
    return get_object_or_404(queryset, pk=pk)


def _refuse_if_locked(request: HttpRequest, application: Application) -> HttpResponse | None:
    """A submitted application, or one whose call has closed, is read-only: send to its status page."""
    if application.is_editable:
        return None
    if application.status == ApplicationStatus.DRAFT:
        messages.error(request, _("L'appel est clos : cette candidature ne peut plus être modifiée ni soumise."))
    elif request.method == "POST":
        messages.warning(request, _("Cette candidature a déjà été soumise : elle ne peut plus être modifiée."))
    return redirect("cohorts:application_detail", pk=application.pk)


@entrepreneur_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = selectors_apply.applications_with_documents(request.user)
    return render(request, "cohorts/apply/list.html", {"applications": applications})


@entrepreneur_required
def application_start(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    """GET asks to confirm (or resumes an application already started); POST starts it, once."""
    existing = Application.objects.filter(cohort_id=cohort_pk, entrepreneur__user=request.user).first()
    if existing is not None:
        return redirect("cohorts:application_resume", pk=existing.pk)
    cohort = get_object_or_404(selectors.open_calls(), pk=cohort_pk)
    if request.method == "POST":
        try:
            application, _created = services.application_start(cohort=cohort, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cohorts:call_detail", pk=cohort.pk)
        return redirect("cohorts:application_step", pk=application.pk, step=application.current_step)
    return render(request, "cohorts/apply/start.html", {"cohort": cohort})


@entrepreneur_required
def application_resume(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    if application.is_editable:
        return redirect("cohorts:application_step", pk=application.pk, step=application.current_step)
    return redirect("cohorts:application_detail", pk=application.pk)


def _step_context(application: Application, step: int, **extra) -> dict:
    """What a step page shows. A step is ticked complete only once passed, with every required answer
    and every condition of the call on its answers met; a passed step that lacks either is flagged."""
    missing = selectors_apply.application_missing_fields(application)
    conditions = selectors_apply.call_conditions(application)
    unmet = selectors_apply.application_unmet_conditions(application, conditions=conditions)
    steps = []
    for number, title in APPLY_STEPS:
        passed = number < application.current_step
        flagged = passed and (number in missing or number in unmet)
        steps.append({"number": number, "title": title, "complete": passed and not flagged, "flagged": flagged})
    passed = step < application.current_step
    form = extra.get("form")
    step_missing = missing.get(step, []) if passed else []
    if step_missing and isinstance(form, ModelForm) and step in selectors_apply.REQUIRED_FIELDS:
        # Named as the form asks them ("Pourquoi souhaitez-vous participer ?"), not by the stored field's name.
        step_missing = [
            str(form.fields[name].label)
            for name in selectors_apply.REQUIRED_FIELDS[step]
            if name in form.fields and not getattr(form.instance, name, None)
        ] or step_missing
    return {
        "has_required": form is not None and any(field.required for field in form.fields.values()),
        "application": application,
        "cohort": application.cohort,
        "step": step,
        "step_title": dict(APPLY_STEPS)[step],
        "steps": steps,
        "last_step": LAST_STEP,
        "progress": round(100 * step / LAST_STEP),
        "missing": sorted(missing.items()),
        # This step, once saved: what it still lacks, and the call's conditions its answers do not meet;
        # before that, the call's conditions on its answers, to know them while filling it in.
        "step_missing": step_missing,
        "step_unmet": unmet.get(step, []) if passed else [],
        "step_conditions": conditions.get(step, []) if not passed else [],
        "unmet": sorted(unmet.items()),
        "partnership_labels": application.partnership_type_labels,
        "show_fictitious_banner": application.cohort.programme.is_fictitious,
        **extra,
    }


def _warn_unmet_conditions(request: HttpRequest, application: Application, step: int) -> None:
    """Leaving a step whose answers fail a condition of the call: say so now, not at the screening."""
    unmet = selectors_apply.application_unmet_conditions(application).get(step)
    if unmet:
        messages.warning(
            request,
            _(
                "Étape %(step)s : condition de l'appel non remplie (%(conditions)s). En l'état, votre candidature "
                "serait jugée non éligible."
            )
            % {
                "step": step,
                "conditions": ", ".join(_("« %(condition)s »") % {"condition": plain_text_in(c, "label")} for c in unmet),
            },
        )


def _step_form(application: Application, step: int, data=None):
    # Step 2 shows (and checks the NINEA against) the founder's current company, the row the service
    # edits or copies (see services.apply._company_to_edit).
    instance = {1: application.entrepreneur, 2: application.entrepreneur.company or application.company}.get(step, application)
    programme = application.cohort.programme  # its country's regions, and what "diaspora" means for it
    if step == 1:
        return STEP_FORMS[step](data, instance=instance, programme=programme)
    if step == 2:
        return STEP_FORMS[step](data, instance=instance, founder=application.entrepreneur, programme=programme)
    return STEP_FORMS[step](data, instance=instance)


def _after_save(application: Application, step: int, action: str) -> HttpResponse:
    if action == "back" and step > 1:
        return redirect("cohorts:application_step", pk=application.pk, step=step - 1)
    if action == "next" and step < LAST_STEP:
        return redirect("cohorts:application_step", pk=application.pk, step=step + 1)
    return redirect("cohorts:application_step", pk=application.pk, step=step)


@entrepreneur_required
def application_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    """One step of the wizard. Buttons: back, save, next; each saves the step first."""
    if not 1 <= step <= LAST_STEP:
        raise Http404
    application = _own_application(request, pk)
    refused = _refuse_if_locked(request, application)
    if refused:
        return refused
    action = request.POST.get("action", "save")
    if step in STEP_FORMS:
        form = _step_form(application, step, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            saved = services.application_save_step(application=application, step=step, data=form.cleaned_data, by=request.user)
            if action == "save":
                messages.success(
                    request, _("Brouillon enregistré. Vous pourrez le reprendre plus tard, depuis n'importe quel appareil.")
                )
            else:
                _warn_unmet_conditions(request, saved, step)
            return _after_save(application, step, action)
        if request.method == "POST" and action == "back" and not form.has_changed():
            return _after_save(application, step, action)  # nothing typed here: going back loses nothing
        if request.method == "POST":
            messages.error(request, _("Cette étape n'a pas été enregistrée : corrigez les erreurs signalées."))
        return render(request, "cohorts/apply/step.html", _step_context(application, step, form=form))
    if step == 5:
        return _documents_step(request, application, action)
    return _declaration_step(request, application, action)


def _documents_step(request: HttpRequest, application: Application, action: str) -> HttpResponse:
    """The documents step is one form: a file chosen there is added (and checked) whichever button is
    pressed, so that "Enregistrer et continuer" never drops it; a refused file keeps the page, with why."""
    form = forms.DocumentForm()
    if request.method == "POST":
        if action == "upload" or request.FILES.get("file") is not None:
            form = forms.DocumentForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    services.application_document_add(
                        application=application, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
                    )
                except ValidationError as error:
                    form.add_error("file", error)
                else:
                    messages.success(request, _("Document ajouté."))
                    if action == "upload":
                        return redirect("cohorts:application_step", pk=application.pk, step=5)
        if action != "upload" and not form.errors:
            services.application_save_step(application=application, step=5, data={}, by=request.user)
            return _after_save(application, 5, action)
        messages.error(request, _("Le document n'a pas été ajouté : corrigez les erreurs signalées."))
    documents = application.documents.all()
    return render(request, "cohorts/apply/step.html", _step_context(application, 5, form=form, documents=documents))


def _declaration_step(request: HttpRequest, application: Application, action: str) -> HttpResponse:
    form = forms.DeclarationForm(initial={"follow_up_consent": application.follow_up_consent})
    if request.method == "POST" and action == "back":
        return redirect("cohorts:application_step", pk=application.pk, step=LAST_STEP - 1)
    if request.method == "POST":
        form = forms.DeclarationForm(request.POST)
        accepted = form.is_valid()
        consent = form.cleaned_data.get("follow_up_consent", False)
        try:
            submitted = services.application_submit(
                application=application, by=request.user, declaration_accepted=accepted, follow_up_consent=consent
            )
        except services.ApplicationIncomplete as error:
            if accepted or set(error.missing) - {LAST_STEP}:
                messages.error(request, _("Votre candidature est incomplète : complétez les étapes signalées."))
            context = _step_context(application, LAST_STEP, form=form, documents=application.documents.all())
            context["missing"] = sorted(error.missing.items())
            return render(request, "cohorts/apply/step.html", context)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cohorts:application_detail", pk=application.pk)
        if submitted:
            messages.success(request, _("Votre candidature est soumise. Un e-mail de confirmation vous a été envoyé."))
        return redirect("cohorts:application_detail", pk=application.pk)
    context = _step_context(application, LAST_STEP, form=form, documents=application.documents.all())
    return render(request, "cohorts/apply/step.html", context)


@entrepreneur_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the application stands: status, dated history, documents, the decision once notified,
    and a read-only summary of the answers."""
    application = _own_application(request, pk, selectors_apply.application_status_page(request.user))
    decision = getattr(application, "decision", None)
    notified = decision is not None and decision.notified_at is not None
    context = {
        "application": application,
        "cohort": application.cohort,
        "outcome_hidden": application.status in OUTCOME_STATUSES and not notified,
        "decision": decision if notified else None,
        "documents": application.documents.all(),
        "transitions": application.visible_transitions,
        "missing": sorted(
            selectors_apply.application_missing_fields(application, documents_count=len(application.documents.all())).items()
        )
        if application.is_editable
        else [],
        "unmet": sorted(selectors_apply.application_unmet_conditions(application).items()) if application.is_editable else [],
        "partnership_labels": application.partnership_type_labels,
        "show_fictitious_banner": application.cohort.programme.is_fictitious,
    }
    return render(request, "cohorts/apply/detail.html", context)


@entrepreneur_required
@require_POST
def application_document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application)
    refused = _refuse_if_locked(request, application)
    if refused:
        return refused
    services.application_document_remove(document=document, by=request.user)
    messages.success(request, _("Document retiré."))
    return redirect("cohorts:application_step", pk=application.pk, step=5)


def download_filename(document: ApplicationDocument) -> str:
    """The original name made safe for a header and a file system, with the extension of what the file
    really is (a PDF sent as "photo.png" downloads as "photo.pdf")."""
    stem = os.path.splitext(os.path.basename(document.original_name.replace("\\", "/")))[0]
    try:
        stem = get_valid_filename(stem)[:100]
    except Exception:  # noqa: BLE001 - get_valid_filename refuses names like "." or ".."
        stem = ""
    return f"{stem or 'document'}.{EXTENSIONS.get(document.content_type, 'bin')}"


def _document_readers(user) -> Q:
    """The applications whose documents `user` may open: their own, and as a reviewer those assigned
    to them without a declared conflict of interest (staff: all, handled by the caller)."""
    visible = Q(entrepreneur__user=user)
    if user.has_role(Role.REVIEWER):
        visible |= Q(pk__in=Review.objects.filter(reviewer=user).values("application")) & ~Q(
            pk__in=ConflictOfInterest.objects.filter(reviewer=user).values("application")
        )
    return visible


@role_required(Role.STAFF, Role.ENTREPRENEUR, Role.REVIEWER)
def application_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A document of an application, for its owner, the reviewers assigned to it (no conflict of
    interest) and staff; anybody else gets a 404. Openings by staff and reviewers are recorded."""
    is_staff = request.user.has_role(Role.STAFF)
    application = get_for_user_or_404(
        Application.objects.all() if is_staff else Application.objects.filter(_document_readers(request.user)),
        request.user,
        pk=pk,
    )
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    # Inline (the browser's own viewer) only on request and only for a picture or a PDF that passes the
    # checks again now (documents stored before the checks existed included); anything else is an attachment.
    inline = request.GET.get("view") == "1" and (
        document.content_type in ("image/png", "image/jpeg")
        or (document.content_type == "application/pdf" and pdf_problem(handle) is None)
    )
    response = FileResponse(
        handle, as_attachment=not inline, filename=download_filename(document), content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOCUMENT_CSP
    if application.entrepreneur.user_id != request.user.pk:
        document_access_record(document=document, user=request.user, inline=inline)
    return response


#: A document is never a page of the site: no script, no form, no frame of it, nothing loaded from elsewhere;
#: `sandbox` without `allow-scripts` still lets Chromium's and Firefox's PDF viewers display it.
DOCUMENT_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'"
