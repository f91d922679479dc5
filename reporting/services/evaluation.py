"""Writes of the DAC evaluation: the evaluators' text (header, grades and findings, the matrix of
questions, conclusions, recommendations, lessons) and the programme team's management response.

Every function validates what it writes (`full_clean()` plus the cross-object rules a model cannot
check alone: a related conclusion of the same evaluation, an indicator of the same programme) and
raises `ValidationError` keyed by the form field it concerns, so that views show it beside the field."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role
from cohorts.models import Programme
from core.bilingual import BilingualText, text_any, text_set
from partners.models import Organisation

from ..models import (
    Conclusion,
    CriterionFinding,
    CriterionGrade,
    DacCriterion,
    DataSource,
    Evaluation,
    EvaluationQuestion,
    Indicator,
    Lesson,
    ManagementResponse,
    Recommendation,
    ResponseDecision,
    ResponseStatus,
)

#: The specific objectives whose findings a criterion may split (CriterionFinding.objective).
OBJECTIVES = ("OS1", "OS2")


def _check_code_free(queryset: QuerySet, *, code: str, instance: Model | None) -> None:
    others = queryset.filter(code=code)
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise ValidationError({"code": _("Ce code est déjà utilisé dans cette évaluation.")}, code="duplicate_code")


def _history_by(instance: Model, by) -> None:
    """Name the author in simple-history's record (the request middleware does it for web requests)."""
    if by is not None:
        instance._history_user = by


# --------------------------------------------------------------------------------------------------
# The evaluation header
# --------------------------------------------------------------------------------------------------


def _evaluation_write(
    evaluation: Evaluation,
    *,
    title: BilingualText,
    period_start: datetime.date,
    period_end: datetime.date,
    evaluator: Organisation | None,
    field_mission_start: datetime.date | None,
    field_mission_end: datetime.date | None,
    report_date: datetime.date | None,
    summary: BilingualText,
    methodology: BilingualText,
) -> Evaluation:
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": _("La fin de la période évaluée précède son début.")})
    if field_mission_start and field_mission_end and field_mission_end < field_mission_start:
        raise ValidationError({"field_mission_end": _("La fin de la mission de terrain précède son début.")})
    text_set(evaluation, "title", title)
    evaluation.period_start = period_start
    evaluation.period_end = period_end
    evaluation.evaluator = evaluator
    evaluation.field_mission_start = field_mission_start
    evaluation.field_mission_end = field_mission_end
    evaluation.report_date = report_date
    text_set(evaluation, "summary", summary)
    text_set(evaluation, "methodology", methodology)
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_create(
    *,
    programme: Programme,
    title: BilingualText,
    period_start: datetime.date,
    period_end: datetime.date,
    evaluator: Organisation | None = None,
    field_mission_start: datetime.date | None = None,
    field_mission_end: datetime.date | None = None,
    report_date: datetime.date | None = None,
    summary: BilingualText = "",
    methodology: BilingualText = "",
) -> Evaluation:
    """A new, empty evaluation: criteria rows are created only when the evaluator grades them."""
    return _evaluation_write(
        Evaluation(programme=programme),
        title=title, period_start=period_start, period_end=period_end, evaluator=evaluator,
        field_mission_start=field_mission_start, field_mission_end=field_mission_end, report_date=report_date,
        summary=summary, methodology=methodology,
    )  # fmt: skip


@transaction.atomic
def evaluation_update(
    *,
    evaluation: Evaluation,
    title: BilingualText,
    period_start: datetime.date,
    period_end: datetime.date,
    evaluator: Organisation | None = None,
    field_mission_start: datetime.date | None = None,
    field_mission_end: datetime.date | None = None,
    report_date: datetime.date | None = None,
    summary: BilingualText = "",
    methodology: BilingualText = "",
) -> Evaluation:
    return _evaluation_write(
        evaluation,
        title=title, period_start=period_start, period_end=period_end, evaluator=evaluator,
        field_mission_start=field_mission_start, field_mission_end=field_mission_end, report_date=report_date,
        summary=summary, methodology=methodology,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Criteria: grade, findings, findings per specific objective
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def criterion_grade_set(
    *,
    evaluation: Evaluation,
    criterion: str,
    grade: str,
    findings: BilingualText = "",
    objective_findings: dict[str, str] | None = None,
    by=None,
) -> CriterionGrade:
    """Grade one DAC criterion (A–D) with its findings; `objective_findings` {"OS1": text, ...}
    replaces the findings per specific objective (an empty text removes that objective's findings)."""
    if criterion not in DacCriterion.values:
        raise ValidationError(_("Critère CAD inconnu."), code="criterion")
    row = CriterionGrade.objects.select_for_update().filter(evaluation=evaluation, criterion=criterion).first()
    if row is None:
        row = CriterionGrade(evaluation=evaluation, criterion=criterion)
    old_findings = {"fr": row.findings_fr or "", "en": row.findings_en or ""}
    new_findings = findings if isinstance(findings, dict) else {**old_findings, "fr": findings}
    changed = row.pk is None or (row.grade, old_findings) != (grade, {k: (v or "").strip() for k, v in new_findings.items()})
    row.grade = grade
    text_set(row, "findings", findings)
    row.full_clean()
    if changed:
        _history_by(row, by)
        row.save()
    wanted = dict(objective_findings or {})
    unknown = set(wanted) - set(OBJECTIVES)
    if unknown:
        raise ValidationError(_("Objectif spécifique inconnu : %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    existing = {finding.objective: finding for finding in row.objective_findings.all()}
    for objective, text in wanted.items():
        finding = existing.get(objective)
        if not text_any(text):
            if finding is not None:
                finding.delete()
            continue
        if finding is None:
            finding = CriterionFinding(grade=row, objective=objective)
        text_set(finding, "text", text)
        finding.full_clean()
        finding.save()
    return row


# --------------------------------------------------------------------------------------------------
# The matrix: evaluation questions
# --------------------------------------------------------------------------------------------------


def _question_write(
    question: EvaluationQuestion,
    *,
    code: str,
    text: BilingualText,
    answer: BilingualText,
    parent: EvaluationQuestion | None,
    criteria: Iterable[str],
    sources: Iterable[str],
    indicators: Iterable[Indicator],
    order: int,
) -> EvaluationQuestion:
    evaluation = question.evaluation
    _check_code_free(evaluation.questions.all(), code=code, instance=question)
    if parent is not None:
        if parent.evaluation_id != evaluation.pk:
            raise ValidationError({"parent": _("Choisissez une question de cette évaluation.")})
        if question.pk and parent.pk == question.pk:
            raise ValidationError({"parent": _("Une question ne peut pas être sa propre question principale.")})
        if parent.parent_id is not None:
            raise ValidationError({"parent": _("Choisissez une question principale, pas une sous-question.")})
        if question.pk and question.sub_questions.exists():
            raise ValidationError({"parent": _("Cette question a des sous-questions : elle reste une question principale.")})
    criteria = list(dict.fromkeys(criteria))
    sources = list(dict.fromkeys(sources))
    if set(criteria) - set(DacCriterion.values):
        raise ValidationError({"criteria": _("Critère CAD inconnu.")})
    if set(sources) - set(DataSource.values):
        raise ValidationError({"sources": _("Source de données inconnue.")})
    indicators = list(indicators)
    if any(indicator.programme_id != evaluation.programme_id for indicator in indicators):
        raise ValidationError({"indicators": _("Choisissez des indicateurs du programme évalué.")})
    question.code = code
    text_set(question, "question", text)
    text_set(question, "answer", answer)
    question.parent = parent
    question.criteria = criteria
    question.sources = sources
    question.order = order
    question.full_clean()
    question.save()
    question.indicators.set(indicators)
    return question


@transaction.atomic
def question_create(
    *,
    evaluation: Evaluation,
    code: str,
    text: BilingualText,
    answer: BilingualText = "",
    parent: EvaluationQuestion | None = None,
    criteria: Iterable[str] = (),
    sources: Iterable[str] = (),
    indicators: Iterable[Indicator] = (),
    order: int = 0,
) -> EvaluationQuestion:
    return _question_write(
        EvaluationQuestion(evaluation=evaluation),
        code=code, text=text, answer=answer, parent=parent, criteria=criteria, sources=sources,
        indicators=indicators, order=order,
    )  # fmt: skip


@transaction.atomic
def question_update(
    *,
    question: EvaluationQuestion,
    code: str,
    text: BilingualText,
    answer: BilingualText = "",
    parent: EvaluationQuestion | None = None,
    criteria: Iterable[str] = (),
    sources: Iterable[str] = (),
    indicators: Iterable[Indicator] = (),
    order: int = 0,
) -> EvaluationQuestion:
    return _question_write(
        question,
        code=code, text=text, answer=answer, parent=parent, criteria=criteria, sources=sources,
        indicators=indicators, order=order,
    )  # fmt: skip


@transaction.atomic
def question_delete(*, question: EvaluationQuestion) -> None:
    if question.sub_questions.exists():
        raise ValidationError(_("Supprimez ou déplacez d'abord les sous-questions de cette question."), code="has_sub_questions")
    question.delete()


# --------------------------------------------------------------------------------------------------
# Conclusions and lessons
# --------------------------------------------------------------------------------------------------


def _coded_text_write(instance: Conclusion | Lesson, *, code: str, title: BilingualText, text: BilingualText, order: int):
    _check_code_free(type(instance).objects.filter(evaluation=instance.evaluation), code=code, instance=instance)
    instance.code = code
    text_set(instance, "title", title)
    text_set(instance, "text", text)
    instance.order = order
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def conclusion_create(
    *, evaluation: Evaluation, code: str, title: BilingualText, text: BilingualText = "", order: int = 0
) -> Conclusion:
    return _coded_text_write(Conclusion(evaluation=evaluation), code=code, title=title, text=text, order=order)


@transaction.atomic
def conclusion_update(
    *, conclusion: Conclusion, code: str, title: BilingualText, text: BilingualText = "", order: int = 0
) -> Conclusion:
    return _coded_text_write(conclusion, code=code, title=title, text=text, order=order)


@transaction.atomic
def conclusion_delete(*, conclusion: Conclusion) -> None:
    conclusion.delete()


@transaction.atomic
def lesson_create(*, evaluation: Evaluation, code: str, title: BilingualText, text: BilingualText = "", order: int = 0) -> Lesson:
    return _coded_text_write(Lesson(evaluation=evaluation), code=code, title=title, text=text, order=order)


@transaction.atomic
def lesson_update(*, lesson: Lesson, code: str, title: BilingualText, text: BilingualText = "", order: int = 0) -> Lesson:
    return _coded_text_write(lesson, code=code, title=title, text=text, order=order)


@transaction.atomic
def lesson_delete(*, lesson: Lesson) -> None:
    lesson.delete()


# --------------------------------------------------------------------------------------------------
# Recommendations
# --------------------------------------------------------------------------------------------------


def _recommendation_write(
    recommendation: Recommendation,
    *,
    code: str,
    title: BilingualText,
    text: BilingualText,
    conclusions: Iterable[Conclusion],
    targeted_actors: BilingualText,
    levels: Iterable[int],
    priority: str,
    type: str,
    order: int,
) -> Recommendation:
    evaluation = recommendation.evaluation
    _check_code_free(evaluation.recommendations.all(), code=code, instance=recommendation)
    conclusions = list(conclusions)
    if any(conclusion.evaluation_id != evaluation.pk for conclusion in conclusions):
        raise ValidationError({"conclusions": _("Choisissez des conclusions de cette évaluation.")})
    recommendation.code = code
    text_set(recommendation, "title", title)
    text_set(recommendation, "text", text)
    text_set(recommendation, "targeted_actors", targeted_actors)
    recommendation.levels = sorted({int(level) for level in levels})
    recommendation.priority = priority
    recommendation.type = type
    recommendation.order = order
    recommendation.full_clean()
    recommendation.save()
    recommendation.conclusions.set(conclusions)
    return recommendation


@transaction.atomic
def recommendation_create(
    *,
    evaluation: Evaluation,
    code: str,
    title: BilingualText,
    levels: Iterable[int],
    priority: str,
    type: str,
    text: BilingualText = "",
    conclusions: Iterable[Conclusion] = (),
    targeted_actors: BilingualText = "",
    order: int = 0,
) -> Recommendation:
    return _recommendation_write(
        Recommendation(evaluation=evaluation),
        code=code, title=title, text=text, conclusions=conclusions, targeted_actors=targeted_actors,
        levels=levels, priority=priority, type=type, order=order,
    )  # fmt: skip


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    code: str,
    title: BilingualText,
    levels: Iterable[int],
    priority: str,
    type: str,
    text: BilingualText = "",
    conclusions: Iterable[Conclusion] = (),
    targeted_actors: BilingualText = "",
    order: int = 0,
) -> Recommendation:
    return _recommendation_write(
        recommendation,
        code=code, title=title, text=text, conclusions=conclusions, targeted_actors=targeted_actors,
        levels=levels, priority=priority, type=type, order=order,
    )  # fmt: skip


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, by) -> None:
    """Evaluators may withdraw a recommendation until the programme team has answered it."""
    answered = ManagementResponse.objects.filter(recommendation=recommendation).exists()
    if answered and not by.has_role(Role.STAFF):
        raise ValidationError(
            _("La réponse managériale de cette recommandation est déjà saisie : seule l'équipe du programme peut la supprimer."),
            code="answered",
        )
    recommendation.delete()


# --------------------------------------------------------------------------------------------------
# Management response (the programme team)
# --------------------------------------------------------------------------------------------------


def management_response_errors(
    *, decision: str, action: BilingualText, deadline: datetime.date | None, status: str
) -> dict[str, str]:
    """The rules of a management response, by field: a deadline unless the recommendation is rejected,
    an action before it can be marked done."""
    errors = {}
    if decision != ResponseDecision.REJECTED and deadline is None:
        errors["deadline"] = _("Indiquez une échéance (seule une recommandation rejetée peut s'en passer).")
    if status == ResponseStatus.DONE and not text_any(action):
        errors["action"] = _("Décrivez l'action menée avant de la marquer comme réalisée.")
    return errors


@transaction.atomic
def management_response_set(
    *,
    recommendation: Recommendation,
    decision: str,
    action: BilingualText = "",
    owner: str = "",
    deadline: datetime.date | None = None,
    status: str = ResponseStatus.PLANNED,
    by=None,
) -> ManagementResponse:
    """Record or update the programme's answer to a recommendation. Each change is kept in the
    response's history (simple-history); saving the same values again records nothing."""
    errors = management_response_errors(decision=decision, action=action, deadline=deadline, status=status)
    if errors:
        raise ValidationError(errors)
    response = ManagementResponse.objects.select_for_update().filter(recommendation=recommendation).first()
    if response is None:
        response = ManagementResponse(recommendation=recommendation)
    elif (response.decision, response.owner, response.deadline, response.status) == (decision, owner, deadline, status) and (
        action == {"fr": response.action_fr, "en": response.action_en}
        if isinstance(action, dict)
        else action == response.action_fr
    ):
        return response
    response.decision = decision
    text_set(response, "action", action)
    response.owner = owner
    response.deadline = deadline
    response.status = status
    response.full_clean()
    _history_by(response, by)
    response.save()
    return response
