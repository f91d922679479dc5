"""The partnership pipeline: staff move cards on a board per cohort (a plain form per card, htmx when
available), follow each partnership on its page (history, transactions, jobs, documents, support needs
and referrals); the entrepreneur and their coach read their partnerships. Thin views over
mobility.services and mobility.selectors."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required, staff_required
from accounts.models import Role
from cohorts.models import Cohort, PartnershipType
from cohorts.views.apply import DOCUMENT_CSP, download_filename
from core.forms import form_add_validation_error
from core.spreadsheets import parse_id
from partners.models import Sector

from . import services
from .forms_partnerships import (
    AgreementUploadForm,
    DocumentForm,
    JobsForm,
    OutcomeForm,
    PartnershipCreateForm,
    ReferralForm,
    StageMoveForm,
    SupportNeedForm,
    TransactionForm,
)
from .models import Partnership, PartnershipDocument, PartnershipDocumentKind, PartnershipStage, SupportNeed
from .selectors import (
    partnership_counts,
    partnership_page,
    partnership_stage_totals,
    partnership_transactions_total,
    partnerships_readable_by,
    pipeline_partnerships,
)
from .selectors_follow_up import pending_stage_proposals


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --------------------------------------------------------------------------------------------------
# The board
# --------------------------------------------------------------------------------------------------


def _filters(params) -> dict:
    """The board's filters from a query string or the hidden fields of a card's form; unknown values
    are ignored (never an error)."""
    cohorts = Cohort.objects.select_related("programme").order_by("-programme__pk", "-number")
    # By default the latest cohort that has partnerships (a cohort still in selection has none).
    cohort = (
        cohorts.filter(pk=parse_id(params.get("cohort")) or 0).first()
        or cohorts.filter(pk__in=Partnership.objects.values("application__cohort")).first()
        or cohorts.first()
    )
    kind = params.get("type") if params.get("type") in PartnershipType.values else ""
    sector = params.get("sector") if params.get("sector") in Sector.values else ""
    return {"cohorts": cohorts, "cohort": cohort, "type": kind, "sector": sector}


def _query(filters: dict) -> str:
    values = {"cohort": filters["cohort"].pk if filters["cohort"] else "", "type": filters["type"], "sector": filters["sector"]}
    return urlencode({k: v for k, v in values.items() if v})


def _board_context(filters: dict, *, bound: StageMoveForm | None = None, bound_pk: int | None = None) -> dict:
    """Columns per stage with their cards (four queries: cohort, counts, transactions, cards)."""
    partnerships = Partnership.objects.none()
    if filters["cohort"] is not None:
        partnerships = Partnership.objects.filter(application__cohort=filters["cohort"])
        if filters["type"]:
            partnerships = partnerships.filter(type=filters["type"])
        if filters["sector"]:
            partnerships = partnerships.filter(application__company__sector=filters["sector"])
    stage_counts = partnership_stage_totals(partnership_counts(partnerships))
    transactions, transactions_eur = partnership_transactions_total(partnerships)
    today = timezone.localdate()
    columns = {
        stage: {"key": stage, "label": label, "count": stage_counts.get(stage, 0), "cards": []}
        for stage, label in PartnershipStage.choices
    }
    for partnership in pipeline_partnerships(partnerships):
        partnership.days_in_stage = (today - partnership.stage_changed_on).days
        partnership.move_form = (
            bound if bound is not None and partnership.pk == bound_pk else StageMoveForm(partnership=partnership)
        )
        columns[partnership.stage]["cards"].append(partnership)
    return {
        **filters,
        "columns": list(columns.values()),
        "total": sum(stage_counts.values()),
        "transactions": transactions,
        "transactions_eur": transactions_eur,
        "query": _query(filters),
        "types": PartnershipType.choices,
        "sectors": Sector.choices,
    }


@staff_required
def pipeline_board(request: HttpRequest) -> HttpResponse:
    context = _board_context(_filters(request.GET))
    # Stage changes that check-in answers propose ("we signed") wait for staff on the follow-up page.
    context["pending_proposals"] = pending_stage_proposals().count()
    template = "mobility/partnerships/_board.html" if _is_htmx(request) else "mobility/partnerships/board.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_required
@require_POST
def partnership_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a card. Without JavaScript: redirect back to the board (or the partnership's page); with
    htmx: the board again, swapped in place. A refused move keeps what was typed and says why."""
    partnership = get_object_or_404(Partnership.objects.select_related("application__entrepreneur", "organisation"), pk=pk)
    form = StageMoveForm(request.POST, partnership=partnership)
    from_detail = request.POST.get("return_to") == "detail"
    moved = False
    if form.is_valid():
        try:
            services.partnership_stage_change(
                partnership=partnership,
                to_stage=form.cleaned_data["to_stage"],
                by=request.user,
                on=form.cleaned_data["changed_on"],
                note=form.cleaned_data["note"],
            )
            moved = True
        except ValidationError as error:
            form_add_validation_error(form, error)
    notice = (
        _("« %(partnership)s » : étape « %(stage)s ».") % {"partnership": partnership, "stage": partnership.get_stage_display()}
        if moved
        else ""
    )
    if from_detail:
        if moved:
            messages.success(request, notice)
            return redirect("mobility:partnership_detail", pk=partnership.pk)
        return _detail_render(request, partnership.pk, move_form=form)
    filters = _filters(request.POST)
    if _is_htmx(request):
        context = _board_context(filters, bound=None if moved else form, bound_pk=partnership.pk)
        return render(request, "mobility/partnerships/_board.html", {**context, "notice": notice})
    if moved:
        messages.success(request, notice)
        return redirect(f"{reverse('mobility:pipeline_board')}?{_query(filters)}#p{partnership.pk}")
    context = _board_context(filters, bound=form, bound_pk=partnership.pk)
    return render(request, "mobility/partnerships/board.html", context)


@staff_required
def partnership_new(request: HttpRequest) -> HttpResponse:
    """Open a partnership from a B2B meeting (`?meeting=`) or from scratch."""
    cohort = Cohort.objects.filter(pk=parse_id(request.GET.get("cohort")) or 0).first()
    initial = {}
    if meeting_pk := parse_id(request.GET.get("meeting")):
        initial["meeting"] = meeting_pk
    form = PartnershipCreateForm(request.POST or None, cohort=cohort, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partnership = services.partnership_create(
                application=data["application"],
                organisation=data["organisation"],
                type=data["type"],
                started_on=data["started_on"],
                by=request.user,
                description=data["description"],
                meeting=data["meeting"],
            )
        except ValidationError as error:
            if "__all__" in getattr(error, "message_dict", {}):
                error = ValidationError(_("Ce partenariat existe déjà (même entrepreneur·e, même entreprise, même type)."))
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Partenariat créé."))
            return redirect("mobility:partnership_detail", pk=partnership.pk)
    return render(request, "mobility/partnerships/new.html", {"form": form, "cohort": cohort})


# --------------------------------------------------------------------------------------------------
# A partnership's page
# --------------------------------------------------------------------------------------------------


def _detail_render(request: HttpRequest, pk: int, *, mode: str = "staff", **bound) -> HttpResponse:
    readable = partnerships_readable_by(request.user)
    if mode == "entrepreneur":
        readable = readable.filter(application__entrepreneur__user=request.user)
    partnership = partnership_page(pk, readable)
    editable = mode == "staff"
    context = {"partnership": partnership, "editable": editable, "mode": mode}
    if editable:
        context.update(
            move_form=bound.get("move_form") or StageMoveForm(partnership=partnership),
            transaction_form=bound.get("transaction_form") or TransactionForm(),
            jobs_form=bound.get("jobs_form") or JobsForm(initial={"jobs_created": partnership.jobs_created}),
            document_form=bound.get("document_form") or DocumentForm(),
            need_form=bound.get("need_form") or SupportNeedForm(),
        )
        for need in partnership.support_needs.all():
            need.referral_form = (
                bound.get("referral_form")
                if bound.get("need_pk") == need.pk and bound.get("referral_form")
                else ReferralForm(need=need)
            )
            need.outcome_form = (
                bound.get("outcome_form")
                if bound.get("need_pk") == need.pk and bound.get("outcome_form")
                else OutcomeForm(need=need)
            )
    if mode == "entrepreneur":
        context["upload_form"] = bound.get("upload_form") or AgreementUploadForm()
    context["back_url"] = {
        "staff": f"{reverse('mobility:pipeline_board')}?cohort={partnership.application.cohort_id}",
        "entrepreneur": reverse("mobility:my_partnerships"),
        "coach": reverse("mobility:coach_partnerships"),
    }[mode]
    return render(request, "mobility/partnerships/detail.html", context)


@staff_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_render(request, pk)


def _staff_write(request: HttpRequest, pk: int, form, form_name: str, write, success: str, **extra) -> HttpResponse:
    """Validate `form`, call `write(partnership, data)`; back to the page with a message, or the page
    again with the form and its errors (nothing typed is lost)."""
    partnership = get_object_or_404(Partnership, pk=pk)
    if form.is_valid():
        try:
            write(partnership, form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, success)
            return redirect("mobility:partnership_detail", pk=partnership.pk)
    return _detail_render(request, partnership.pk, **{form_name: form}, **extra)


@staff_required
@require_POST
def partnership_transaction_add(request: HttpRequest, pk: int) -> HttpResponse:
    def write(partnership, data):
        services.partnership_transaction_add(partnership=partnership, by=request.user, **data)

    return _staff_write(request, pk, TransactionForm(request.POST), "transaction_form", write, _("Transaction enregistrée."))


@staff_required
@require_POST
def partnership_jobs(request: HttpRequest, pk: int) -> HttpResponse:
    def write(partnership, data):
        services.partnership_jobs_set(partnership=partnership, jobs_created=data["jobs_created"], by=request.user)

    return _staff_write(request, pk, JobsForm(request.POST), "jobs_form", write, _("Emplois créés enregistrés."))


@staff_required
@require_POST
def partnership_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    def write(partnership, data):
        services.partnership_document_add(
            partnership=partnership, kind=data["kind"], title=data["title"], upload=data["file"], by=request.user
        )

    form = DocumentForm(request.POST, request.FILES)
    return _staff_write(request, pk, form, "document_form", write, _("Document ajouté."))


@staff_required
@require_POST
def partnership_document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = get_object_or_404(PartnershipDocument, pk=document_pk, partnership_id=pk)
    services.partnership_document_remove(document=document, by=request.user)
    messages.success(request, _("Document supprimé."))
    return redirect("mobility:partnership_detail", pk=pk)


@staff_required
@require_POST
def support_need_add(request: HttpRequest, pk: int) -> HttpResponse:
    def write(partnership, data):
        services.support_need_record(partnership=partnership, by=request.user, **data)

    return _staff_write(request, pk, SupportNeedForm(request.POST), "need_form", write, _("Besoin d'appui enregistré."))


def _need(pk: int, need_pk: int) -> SupportNeed:
    return get_object_or_404(SupportNeed, pk=need_pk, partnership_id=pk)


@staff_required
@require_POST
def support_need_refer(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    need = _need(pk, need_pk)

    def write(partnership, data):
        services.support_need_refer(need=need, organisation=data["organisation"], on=data["referred_on"], by=request.user)

    form = ReferralForm(request.POST, need=need)
    return _staff_write(request, pk, form, "referral_form", write, _("Besoin orienté."), need_pk=need.pk)


@staff_required
@require_POST
def support_need_outcome(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    need = _need(pk, need_pk)

    def write(partnership, data):
        services.support_need_outcome_record(
            need=need, outcome=data["outcome"], note=data["note"], on=data["outcome_on"], by=request.user
        )

    form = OutcomeForm(request.POST, need=need)
    return _staff_write(request, pk, form, "outcome_form", write, _("Résultat de l'orientation enregistré."), need_pk=need.pk)


# --------------------------------------------------------------------------------------------------
# The entrepreneur and their coach: read-only
# --------------------------------------------------------------------------------------------------


def _list_render(request: HttpRequest, partnerships, mode: str) -> HttpResponse:
    today = timezone.localdate()
    rows = list(pipeline_partnerships(partnerships).order_by("application__entrepreneur__last_name", "-stage_changed_on", "pk"))
    for partnership in rows:
        partnership.days_in_stage = (today - partnership.stage_changed_on).days
    return render(request, "mobility/partnerships/list.html", {"partnerships": rows, "mode": mode})


@role_required(Role.ENTREPRENEUR)
def my_partnerships(request: HttpRequest) -> HttpResponse:
    return _list_render(request, Partnership.objects.filter(application__entrepreneur__user=request.user), "entrepreneur")


@role_required(Role.ENTREPRENEUR)
def my_partnership(request: HttpRequest, pk: int) -> HttpResponse:
    """Read-only, except the signed agreement, which the entrepreneur may add."""
    if request.method == "POST":
        partnership = get_object_or_404(Partnership, pk=pk, application__entrepreneur__user=request.user)
        form = AgreementUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.partnership_document_add(
                    partnership=partnership,
                    kind=PartnershipDocumentKind.AGREEMENT,
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"],
                    by=request.user,
                )
            except ValidationError as error:
                form_add_validation_error(form, error)
            else:
                messages.success(request, _("Document ajouté."))
                return redirect("mobility:my_partnership", pk=pk)
        return _detail_render(request, pk, mode="entrepreneur", upload_form=form)
    return _detail_render(request, pk, mode="entrepreneur")


@role_required(Role.COACH)
def coach_partnerships(request: HttpRequest) -> HttpResponse:
    readable = partnerships_readable_by(request.user).exclude(application__entrepreneur__user=request.user)
    return _list_render(request, readable, "coach")


@role_required(Role.COACH)
def coach_partnership(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_render(request, pk, mode="coach")


@role_required(Role.STAFF, Role.ENTREPRENEUR, Role.COACH)
def partnership_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A partnership's document, as an attachment, for staff, the entrepreneur and their coach; anybody
    else gets a 404."""
    partnership = get_object_or_404(partnerships_readable_by(request.user), pk=pk)
    document = get_object_or_404(PartnershipDocument, pk=document_pk, partnership=partnership)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=download_filename(document), content_type=document.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOCUMENT_CSP
    return response
