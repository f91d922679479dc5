"""Pages of the DAC evaluation: the overview (matrix, grades, questions, conclusions,
recommendations with their management response and its history, lessons) read by staff and by the
programme's committee and evaluator members; one edit page per object for evaluator members and
staff; the management response for staff only.

Outsiders get a 404: evaluations are fetched through `Evaluation.objects.for_user` (reading) or
`selectors_evaluation.evaluations_editable` (writing), and every object inside an evaluation through
that evaluation, so an id taken from another evaluation is not found."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import get_for_user_or_404, role_required
from accounts.models import Role

from .. import selectors_evaluation as selectors
from ..forms.evaluation import (
    ConclusionForm,
    CriterionGradeForm,
    EvaluationForm,
    LessonForm,
    ManagementResponseForm,
    QuestionForm,
    RecommendationForm,
)
from ..models import DacCriterion, Evaluation, ManagementResponse
from ..services import evaluation as services

READ_ROLES = selectors.READ_ROLES
EDIT_ROLES = selectors.EDIT_ROLES


def _readable(request: HttpRequest, pk: int) -> Evaluation:
    return get_for_user_or_404(Evaluation.objects.select_related("programme", "evaluator"), request.user, pk=pk)


def _editable(request: HttpRequest, pk: int) -> Evaluation:
    return get_object_or_404(selectors.evaluations_editable(request.user), pk=pk)


def _detail_url(evaluation: Evaluation, anchor: str = "") -> str:
    url = reverse("reporting:evaluation_detail", kwargs={"pk": evaluation.pk})
    return f"{url}#{anchor}" if anchor else url


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names when the form has that
    field (after the form's own renaming, e.g. `text` -> `question`), above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    renames = getattr(form, "service_field_names", {})
    for name, errors in error.error_dict.items():
        name = renames.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def _form_page(
    request: HttpRequest,
    *,
    evaluation: Evaluation | None,
    form,
    save: Callable[[], object],
    title: str,
    success: Callable[[object], str],
    next_url: Callable[[object], str],
    back_url: str,
    delete_url: str | None = None,
    extra: dict | None = None,
) -> HttpResponse:
    """The common shape of the edit pages: validate, call the service, show its errors beside the fields."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success(saved))
            return redirect(next_url(saved))
    context = {
        "evaluation": evaluation,
        "form": form,
        "title": title,
        "back_url": back_url,
        "delete_url": delete_url,
        "show_fictitious_banner": evaluation.programme.is_fictitious if evaluation else False,
        **(extra or {}),
    }
    return render(request, "reporting/evaluation/form.html", context)


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


@role_required(*READ_ROLES)
def evaluation_index(request: HttpRequest) -> HttpResponse:
    programmes = list(selectors.programmes_with_evaluations(request.user))
    editable = set(
        selectors.programmes_editable(request.user).filter(pk__in=[p.pk for p in programmes]).values_list("pk", flat=True)
    )
    return render(request, "reporting/evaluation/index.html", {"programmes": programmes, "editable": editable})


@role_required(*READ_ROLES)
def evaluation_list(request: HttpRequest, programme_pk: int) -> HttpResponse:
    programme = get_object_or_404(selectors.programmes_readable(request.user), pk=programme_pk)
    context = {
        "programme": programme,
        "evaluations": selectors.evaluations_of(programme),
        "can_create": selectors.programmes_editable(request.user).filter(pk=programme.pk).exists(),
        "show_fictitious_banner": programme.is_fictitious,
    }
    return render(request, "reporting/evaluation/list.html", context)


@role_required(*READ_ROLES)
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _readable(request, pk)
    context = {
        "evaluation": evaluation,
        "overview": selectors.evaluation_overview(evaluation),
        "can_edit": selectors.can_edit(request.user, evaluation),
        "can_respond": request.user.has_role(Role.STAFF),
        "show_fictitious_banner": evaluation.programme.is_fictitious,
    }
    return render(request, "reporting/evaluation/detail.html", context)


# --------------------------------------------------------------------------------------------------
# The evaluation header
# --------------------------------------------------------------------------------------------------


@role_required(*EDIT_ROLES)
def evaluation_create(request: HttpRequest, programme_pk: int) -> HttpResponse:
    programme = get_object_or_404(selectors.programmes_editable(request.user), pk=programme_pk)
    form = EvaluationForm(request.POST or None)
    return _form_page(
        request,
        evaluation=None,
        form=form,
        save=lambda: services.evaluation_create(programme=programme, **form.service_kwargs()),
        title=_("Nouvelle évaluation – %(programme)s") % {"programme": programme.name},
        success=lambda saved: _("Évaluation créée. Notez maintenant les critères CAD et ajoutez les questions."),
        next_url=lambda evaluation: _detail_url(evaluation),
        back_url=reverse("reporting:evaluation_list", kwargs={"programme_pk": programme.pk}),
        extra={"programme": programme, "show_fictitious_banner": programme.is_fictitious},
    )


@role_required(*EDIT_ROLES)
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _editable(request, pk)
    form = EvaluationForm(request.POST or None, instance=evaluation)
    return _form_page(
        request,
        evaluation=evaluation,
        form=form,
        save=lambda: services.evaluation_update(evaluation=evaluation, **form.service_kwargs()),
        title=_("Modifier l'évaluation"),
        success=lambda saved: _("Évaluation enregistrée."),
        next_url=lambda saved: _detail_url(saved),
        back_url=_detail_url(evaluation),
    )


# --------------------------------------------------------------------------------------------------
# Criteria
# --------------------------------------------------------------------------------------------------


@role_required(*EDIT_ROLES)
def criterion_edit(request: HttpRequest, pk: int, criterion: str) -> HttpResponse:
    evaluation = _editable(request, pk)
    if criterion not in DacCriterion.values:
        raise Http404
    grade = evaluation.grades.prefetch_related("objective_findings").filter(criterion=criterion).first()
    form = CriterionGradeForm(request.POST or None, initial=CriterionGradeForm.initial_for(grade))
    label = DacCriterion(criterion).label
    return _form_page(
        request,
        evaluation=evaluation,
        form=form,
        save=lambda: services.criterion_grade_set(
            evaluation=evaluation, criterion=criterion, by=request.user, **form.service_kwargs()
        ),
        title=_("Critère « %(criterion)s » : note et constats") % {"criterion": label},
        success=lambda saved: _("Critère « %(criterion)s » enregistré.") % {"criterion": label},
        next_url=lambda saved: _detail_url(evaluation, f"critere-{criterion}"),
        back_url=_detail_url(evaluation, f"critere-{criterion}"),
    )


# --------------------------------------------------------------------------------------------------
# Questions, conclusions, recommendations, lessons: create, edit, delete
# --------------------------------------------------------------------------------------------------


#: The objects of an evaluation edited on their own page, by the <kind> of their URLs: the related
#: name on Evaluation, the form (and whether it needs the evaluation), the services (which take the
#: object under the kind's name), the overview's section anchor and the messages.
KINDS = {
    "question": {
        "related": "questions",
        "form": QuestionForm,
        "needs_evaluation": True,
        "create": services.question_create,
        "update": services.question_update,
        "delete": services.question_delete,
        "anchor": "questions",
        "new": gettext_lazy("Nouvelle question d'évaluation"),
        "edit": gettext_lazy("Question %(code)s"),
        "saved": gettext_lazy("Question %(code)s enregistrée."),
        "deleted": gettext_lazy("Question %(code)s supprimée."),
    },
    "conclusion": {
        "related": "conclusions",
        "form": ConclusionForm,
        "needs_evaluation": False,
        "create": services.conclusion_create,
        "update": services.conclusion_update,
        "delete": services.conclusion_delete,
        "anchor": "conclusions",
        "new": gettext_lazy("Nouvelle conclusion"),
        "edit": gettext_lazy("Conclusion %(code)s"),
        "saved": gettext_lazy("Conclusion %(code)s enregistrée."),
        "deleted": gettext_lazy("Conclusion %(code)s supprimée."),
    },
    "recommendation": {
        "related": "recommendations",
        "form": RecommendationForm,
        "needs_evaluation": True,
        "create": services.recommendation_create,
        "update": services.recommendation_update,
        "delete": services.recommendation_delete,
        "anchor": "recommandations",
        "new": gettext_lazy("Nouvelle recommandation"),
        "edit": gettext_lazy("Recommandation %(code)s"),
        "saved": gettext_lazy("Recommandation %(code)s enregistrée."),
        "deleted": gettext_lazy("Recommandation %(code)s supprimée."),
    },
    "lesson": {
        "related": "lessons",
        "form": LessonForm,
        "needs_evaluation": False,
        "create": services.lesson_create,
        "update": services.lesson_update,
        "delete": services.lesson_delete,
        "anchor": "lecons",
        "new": gettext_lazy("Nouvelle leçon apprise"),
        "edit": gettext_lazy("Leçon %(code)s"),
        "saved": gettext_lazy("Leçon %(code)s enregistrée."),
        "deleted": gettext_lazy("Leçon %(code)s supprimée."),
    },
}


def _kind(kind: str) -> dict:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _item_form(spec: dict, evaluation: Evaluation, data, instance=None):
    kwargs = {"instance": instance}
    if spec["needs_evaluation"]:
        kwargs["evaluation"] = evaluation
    return spec["form"](data, **kwargs)


@role_required(*EDIT_ROLES)
def item_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    spec = _kind(kind)
    evaluation = _editable(request, pk)
    form = _item_form(spec, evaluation, request.POST or None)
    return _form_page(
        request,
        evaluation=evaluation,
        form=form,
        save=lambda: spec["create"](evaluation=evaluation, **form.service_kwargs()),
        title=str(spec["new"]),
        success=lambda saved: str(spec["saved"]) % {"code": saved.code},
        next_url=lambda saved: _detail_url(evaluation, f"{kind}-{saved.pk}"),
        back_url=_detail_url(evaluation, spec["anchor"]),
    )


@role_required(*EDIT_ROLES)
def item_edit(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    spec = _kind(kind)
    evaluation = _editable(request, pk)
    item = get_object_or_404(getattr(evaluation, spec["related"]).all(), pk=item_pk)
    code = item.code
    form = _item_form(spec, evaluation, request.POST or None, instance=item)
    return _form_page(
        request,
        evaluation=evaluation,
        form=form,
        save=lambda: spec["update"](**{kind: item}, **form.service_kwargs()),
        title=str(spec["edit"]) % {"code": code},
        success=lambda saved: str(spec["saved"]) % {"code": saved.code},
        next_url=lambda saved: _detail_url(evaluation, f"{kind}-{saved.pk}"),
        back_url=_detail_url(evaluation, f"{kind}-{item.pk}"),
        delete_url=reverse("reporting:evaluation_item_delete", kwargs={"pk": evaluation.pk, "kind": kind, "item_pk": item.pk}),
    )


@role_required(*EDIT_ROLES)
def item_delete(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    spec = _kind(kind)
    evaluation = _editable(request, pk)
    item = get_object_or_404(getattr(evaluation, spec["related"]).all(), pk=item_pk)
    if request.method == "POST":
        kwargs = {kind: item}
        if kind == "recommendation":
            kwargs["by"] = request.user
        code = item.code
        try:
            spec["delete"](**kwargs)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(_detail_url(evaluation, f"{kind}-{item.pk}"))
        messages.success(request, str(spec["deleted"]) % {"code": code})
        return redirect(_detail_url(evaluation, spec["anchor"]))
    context = {
        "evaluation": evaluation,
        "item": item,
        "title": str(spec["edit"]) % {"code": item.code},
        "back_url": _detail_url(evaluation, f"{kind}-{item.pk}"),
        "show_fictitious_banner": evaluation.programme.is_fictitious,
    }
    return render(request, "reporting/evaluation/confirm_delete.html", context)


# --------------------------------------------------------------------------------------------------
# Management response (staff)
# --------------------------------------------------------------------------------------------------


@role_required(Role.STAFF)
def response_edit(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    evaluation = _readable(request, pk)
    recommendation = get_object_or_404(evaluation.recommendations.all(), pk=recommendation_pk)
    response = ManagementResponse.objects.filter(recommendation=recommendation).first()
    form = ManagementResponseForm(request.POST or None, instance=response)
    return _form_page(
        request,
        evaluation=evaluation,
        form=form,
        save=lambda: services.management_response_set(recommendation=recommendation, by=request.user, **form.service_kwargs()),
        title=_("Réponse managériale – %(code)s") % {"code": recommendation.code},
        success=lambda saved: _("Réponse managériale à %(code)s enregistrée.") % {"code": recommendation.code},
        next_url=lambda saved: _detail_url(evaluation, f"recommendation-{recommendation.pk}"),
        back_url=_detail_url(evaluation, f"recommendation-{recommendation.pk}"),
        extra={"recommendation": recommendation},
    )
