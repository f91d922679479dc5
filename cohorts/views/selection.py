"""Staff pages of the selection stage: the ranked board, decisions one by one or in batches, the live
shares of women, diaspora and regions, and the notification of decisions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import get_for_user_or_404, role_required
from accounts.models import Role
from core.spreadsheets import parse_id

from .. import selectors_selection
from ..forms.selection import SHORTLIST, SelectionBatchForm
from ..models import Cohort, SelectionDecision
from ..selectors_review import DISAGREEMENT_THRESHOLD
from ..services.selection import application_shortlist_many, selection_decide_many, selection_notify

#: Rows per page of the board (as the staff lists); a batch decision applies to the rows ticked on the page.
PAGE_SIZE = 50


def _staff_cohort(request: HttpRequest, pk: int) -> Cohort:
    return get_for_user_or_404(Cohort.objects.select_related("programme__watched_region_group"), request.user, pk=pk)


def _ticked_ids(values: list[str]) -> list[int]:
    return [value for value in map(parse_id, values) if value is not None][:1000]


def _board(request: HttpRequest, cohort: Cohort, form: SelectionBatchForm, status: int = 200) -> HttpResponse:
    ticked = _ticked_ids(request.POST.getlist("applications")) if request.method == "POST" else []
    # The ranking is computed over the whole cohort (light), the rows of one page only (heavy).
    page = Paginator(selectors_selection.selection_ranking(cohort), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "cohort": cohort,
        "page": page,
        "applications": selectors_selection.selection_board_rows(cohort, page.object_list),
        "form": form,
        "ticked": set(ticked),
        "shares": selectors_selection.selection_shares_for(cohort, ticked),
        "region_group": cohort.programme.watched_region_group,
        "to_notify": SelectionDecision.objects.filter(application__cohort=cohort, notified_at__isnull=True).count(),
        "threshold": DISAGREEMENT_THRESHOLD,
        "show_fictitious_banner": cohort.programme.is_fictitious,
    }
    return render(request, "cohorts/selection/board.html", context, status=status)


@role_required(Role.STAFF)
def selection_board(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _staff_cohort(request, pk)
    return _board(request, cohort, SelectionBatchForm(cohort=cohort))


@role_required(Role.STAFF)
def selection_shares(request: HttpRequest, pk: int) -> HttpResponse:
    """The shares block alone, recomputed by htmx each time a box is ticked."""
    cohort = _staff_cohort(request, pk)
    shares = selectors_selection.selection_shares_for(cohort, _ticked_ids(request.GET.getlist("applications")))
    context = {"shares": shares, "region_group": cohort.programme.watched_region_group}
    return render(request, "cohorts/selection/_shares.html", context)


@role_required(Role.STAFF)
@require_POST
def selection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _staff_cohort(request, pk)
    form = SelectionBatchForm(request.POST, cohort=cohort)
    if not form.is_valid():
        # Shown again with the ticks and the reason typed: nothing is lost.
        return _board(request, cohort, form)
    selection_apply(request, form)
    return back_to_board_page(request, "cohorts:selection_board", cohort)


def back_to_board_page(request: HttpRequest, viewname: str, cohort: Cohort) -> HttpResponse:
    """A cohort's board (selection, reviews) on the page the form was sent from (a page number only,
    anything else is page 1)."""
    url = reverse(viewname, args=[cohort.pk])
    page = parse_id(request.GET.get("page", ""))
    return redirect(f"{url}?page={page}" if page and page > 1 else url)


def selection_apply(request: HttpRequest, form: SelectionBatchForm) -> None:
    """Run a valid batch form through the selection services (with their safeguards) and tell the user
    what was done and what was refused. Shared by the board and the staff page of one application."""
    applications = list(form.cleaned_data["applications"].order_by("pk"))
    action = form.cleaned_data["action"]
    override_reason = form.cleaned_data["override_reason"]
    if action == SHORTLIST:
        done, failed = application_shortlist_many(applications=applications, by=request.user, override_reason=override_reason)
    else:
        done, failed = selection_decide_many(
            applications=applications,
            outcome=action,
            reason={"fr": form.cleaned_data["reason"], "en": form.cleaned_data["reason_en"]},
            by=request.user,
            override_reason=override_reason,
        )
    if done:
        messages.success(
            request,
            ngettext("%(count)s candidature mise à jour.", "%(count)s candidatures mises à jour.", len(done))
            % {"count": len(done)},
        )
    for application, error in failed:
        messages.error(request, _("%(applicant)s : %(error)s") % {"applicant": application.entrepreneur, "error": error})


@role_required(Role.STAFF)
@require_POST
def selection_notify_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _staff_cohort(request, pk)
    count = selection_notify(cohort=cohort, by=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s e-mail de décision mis en file d'envoi.",
                "%(count)s e-mails de décision mis en file d'envoi.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Aucune nouvelle décision à notifier."))
    return redirect("cohorts:selection_board", pk=cohort.pk)
