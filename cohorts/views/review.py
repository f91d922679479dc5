"""Pages of the review stage. Reviewers: their list, the scoring page, the conflict declaration — only
their own reviews, never another reviewer's scores. Staff: the cohort's review board and assignments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import get_for_user_or_404, role_required
from accounts.models import Role

from .. import selectors_review
from ..forms.review import (
    SUBMIT_REVIEW,
    ConflictForm,
    ReviewAssignBalancedForm,
    ReviewAssignForm,
    ReviewScoreForm,
    criterion_label,
)
from ..models import Cohort
from ..selectors_review import DISAGREEMENT_THRESHOLD
from ..services.review import (
    conflict_declare,
    review_assign,
    review_assign_balanced,
    review_closed,
    review_save_draft,
    review_submit,
    reviews_closed_message,
)
from .selection import back_to_board_page


def _messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


# --- Reviewers ------------------------------------------------------------------------------------


@role_required(Role.REVIEWER)
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = selectors_review.reviews_assigned_list(request.user)
    return render(request, "cohorts/review/list.html", {"reviews": reviews})


@role_required(Role.REVIEWER)
def review_score(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(selectors_review.review_for_scoring(request.user, pk))
    application = review.application
    rubric = list(application.cohort.rubric.all())
    closed = review_closed(application)
    if closed:
        if request.method == "POST":
            messages.error(request, reviews_closed_message())
            return redirect("cohorts:review_score", pk=review.pk)
        form = None
    elif review.submitted_at is not None:
        if request.method == "POST":
            messages.error(request, _("Cette évaluation a déjà été soumise : elle ne peut plus être modifiée."))
            return redirect("cohorts:review_score", pk=review.pk)
        form = None
    else:
        form = ReviewScoreForm(request.POST or None, rubric=rubric, review=review)
        if request.method == "POST" and form.is_valid():
            submit = SUBMIT_REVIEW in request.POST
            service = review_submit if submit else review_save_draft
            try:
                service(
                    review=review,
                    scores=form.scores(),
                    comments=form.comments(),
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if submit:
                    messages.success(request, _("Évaluation soumise. Merci !"))
                    return redirect("cohorts:review_list")
                messages.success(request, _("Brouillon enregistré."))
                return redirect("cohorts:review_score", pk=review.pk)
    scores = {score.criterion_id: score for score in review.scores.all()}
    criteria = [{"criterion": c, "label": criterion_label(c), "score": scores.get(c.pk)} for c in rubric]
    # The reviewer opens the documents (each opening is recorded); a conflict of interest hides the page.
    documents = list(application.documents.all())
    context = {
        "review": review,
        "application": application,
        "form": form,
        "closed": closed,
        "criteria": criteria,
        "documents": documents,
        "show_fictitious_banner": application.cohort.programme.is_fictitious,
    }
    return render(request, "cohorts/review/score.html", context)


@role_required(Role.REVIEWER)
def review_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        selectors_review.reviews_for_user(request.user).select_related(
            "application__cohort", "application__entrepreneur", "application__company"
        ),
        pk=pk,
    )
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conflict_declare(application=review.application, reviewer=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                messages.error(request, " ".join(_messages_of(error)))
                return redirect("cohorts:review_score", pk=review.pk)
        else:
            messages.success(
                request,
                _("Conflit d'intérêts enregistré. L'équipe du programme désignera un·e autre évaluateur·rice."),
            )
            return redirect("cohorts:review_list")
    return render(request, "cohorts/review/conflict.html", {"review": review, "form": form})


# --- Staff ----------------------------------------------------------------------------------------


#: Rows per page of the staff board (as the staff lists).
PAGE_SIZE = 50


def _staff_cohort(request: HttpRequest, pk: int) -> Cohort:
    return get_for_user_or_404(Cohort.objects.select_related("programme"), request.user, pk=pk)


@role_required(Role.STAFF)
def review_board(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _staff_cohort(request, pk)
    page = Paginator(selectors_review.review_board_applications(cohort), PAGE_SIZE).get_page(request.GET.get("page"))
    applications = selectors_review.applications_with_scores(page.object_list, cohort.min_reviews)
    context = {
        "cohort": cohort,
        "page": page,
        "applications": applications,
        "reviewers": selectors_review.reviewers_with_load(cohort),
        "assign_form": ReviewAssignForm(cohort=cohort, listed=[application.pk for application in applications]),
        "balanced_form": ReviewAssignBalancedForm(cohort=cohort),
        "threshold": DISAGREEMENT_THRESHOLD,
        "show_fictitious_banner": cohort.programme.is_fictitious,
    }
    return render(request, "cohorts/review/board.html", context)


def _form_errors(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@role_required(Role.STAFF)
@require_POST
def review_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _staff_cohort(request, pk)
    form = ReviewAssignForm(request.POST, cohort=cohort)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return back_to_board_page(request, "cohorts:review_board", cohort)
    try:
        review_assign(application=form.cleaned_data["application"], reviewer=form.cleaned_data["reviewer"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        messages.success(
            request,
            _("%(reviewer)s évaluera la candidature de %(applicant)s.")
            % {"reviewer": form.cleaned_data["reviewer"], "applicant": form.cleaned_data["application"].entrepreneur},
        )
    return back_to_board_page(request, "cohorts:review_board", cohort)


@role_required(Role.STAFF)
@require_POST
def review_assign_balanced_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _staff_cohort(request, pk)
    form = ReviewAssignBalancedForm(request.POST, cohort=cohort)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return back_to_board_page(request, "cohorts:review_board", cohort)
    try:
        created = review_assign_balanced(
            cohort=cohort,
            reviewers=form.cleaned_data["reviewers"],
            per_application=form.cleaned_data["per_application"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        count = len(created)
        messages.success(
            request,
            ngettext("%(count)s affectation créée.", "%(count)s affectations créées.", count) % {"count": count},
        )
    return back_to_board_page(request, "cohorts:review_board", cohort)
