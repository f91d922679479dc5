"""Reads of the DAC evaluation: who may see or edit which evaluation, and the overview of one
evaluation (matrix, grades, questions, conclusions, recommendations with their management response
and its history, lessons) loaded in a fixed number of queries whatever its size."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import Role
from cohorts.models import Programme

from .models import (
    READING_ROLES,
    Conclusion,
    CriterionGrade,
    DacCriterion,
    DataSource,
    Evaluation,
    EvaluationQuestion,
    Indicator,
    Lesson,
    ManagementResponse,
    Recommendation,
    RecommendationLevel,
    readable_programmes,
)

#: Roles that read evaluations; evaluators (members in that role) and staff also write them.
READ_ROLES = READING_ROLES
EDIT_ROLES = (Role.STAFF, Role.EVALUATOR)


def programmes_readable(user) -> QuerySet[Programme]:
    """Programmes whose evaluations `user` may read (the rule of `Evaluation.objects.for_user`)."""
    return readable_programmes(user)


def programmes_editable(user) -> QuerySet[Programme]:
    """Programmes whose evaluations `user` may write: all for staff, else those where the user is an
    evaluator member and holds the evaluator role. Committee members only read."""
    return readable_programmes(user, roles=EDIT_ROLES)


def evaluations_editable(user) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(programme__in=programmes_editable(user)).select_related("programme", "evaluator")


def can_edit(user, evaluation: Evaluation) -> bool:
    if not user.has_role(*EDIT_ROLES):
        return False
    if user.has_role(Role.STAFF):
        return True
    return programmes_editable(user).filter(pk=evaluation.programme_id).exists()


def programmes_with_evaluations(user) -> QuerySet[Programme]:
    """The programmes the user may read, each with its evaluations (two queries)."""
    return (
        programmes_readable(user)
        .annotate(evaluation_count=Count("evaluations"))
        .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.select_related("evaluator")))
        .order_by("-starts_on", "name")
    )


def evaluations_of(programme: Programme) -> QuerySet[Evaluation]:
    return (
        programme.evaluations.select_related("evaluator")
        .annotate(
            grade_count=Count("grades", distinct=True),
            recommendation_count=Count("recommendations", distinct=True),
            response_count=Count("recommendations__management_response", distinct=True),
        )
        .order_by("-period_end")
    )


# --------------------------------------------------------------------------------------------------
# The overview of one evaluation
# --------------------------------------------------------------------------------------------------


@dataclass
class CriterionRow:
    """One DAC criterion: its grade (None while not graded), and the questions that address it."""

    criterion: str
    label: str
    grade: CriterionGrade | None
    questions: list[EvaluationQuestion] = field(default_factory=list)

    @property
    def objective_findings(self) -> list:
        return list(self.grade.objective_findings.all()) if self.grade else []


@dataclass
class QuestionNode:
    question: EvaluationQuestion
    sub_questions: list[EvaluationQuestion] = field(default_factory=list)


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    response: ManagementResponse | None
    history: list = field(default_factory=list)

    @property
    def level_labels(self) -> list[str]:
        labels = dict(RecommendationLevel.choices)
        return [labels.get(level, str(level)) for level in self.recommendation.levels]


@dataclass
class EvaluationOverview:
    evaluation: Evaluation
    criteria: list[CriterionRow]
    questions: list[QuestionNode]
    conclusions: list[Conclusion]
    recommendations: list[RecommendationRow]
    lessons: list[Lesson]

    @property
    def graded_count(self) -> int:
        return sum(1 for row in self.criteria if row.grade)


def criterion_labels(codes: list[str]) -> list[str]:
    labels = dict(DacCriterion.choices)
    return [labels.get(code, code) for code in codes]


def source_labels(codes: list[str]) -> list[str]:
    labels = dict(DataSource.choices)
    return [labels.get(code, code) for code in codes]


#: The fields of a management response whose changes the history shows.
RESPONSE_TRACKED_FIELDS = ("decision", "action", "owner", "deadline", "status")


def _version(record, name: str):
    if name == "action":
        return (record.action_fr or "", record.action_en or "")
    return getattr(record, name)


def _mark_changes(records: list) -> None:
    """Give each historical record (newest first) `changed`: the labels of the fields it changed
    compared with the record before it (none for the first one)."""
    for newer, older in zip(records, [*records[1:], None]):
        if older is None:  # the first version: nothing to compare with
            newer.changed = []
            continue
        # A text people write is compared in both languages (action_fr, action_en), shown under its one label.
        names = [name for name in RESPONSE_TRACKED_FIELDS if _version(newer, name) != _version(older, name)]
        newer.changed = [str(ManagementResponse._meta.get_field(name).verbose_name) for name in names]


def evaluation_overview(evaluation: Evaluation) -> EvaluationOverview:
    """Everything the overview page shows, in eight queries whatever the evaluation's size:
    grades, their per-objective findings, questions, their indicators, conclusions, recommendations
    with their response, their conclusions, the responses' history."""
    grades = {
        grade.criterion: grade
        for grade in CriterionGrade.objects.filter(evaluation=evaluation).prefetch_related("objective_findings")
    }
    questions = list(
        EvaluationQuestion.objects.filter(evaluation=evaluation)
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("order", "code")))
        .order_by("order", "code")
    )
    for question in questions:
        question.criterion_labels = criterion_labels(question.criteria)
        question.source_labels = source_labels(question.sources)
    nodes: dict[int, QuestionNode] = {}
    orphans: list[QuestionNode] = []
    for question in questions:
        if question.parent_id is None:
            nodes[question.pk] = QuestionNode(question)
    for question in questions:
        if question.parent_id is not None:
            parent = nodes.get(question.parent_id)
            if parent is None:  # a sub-question of a sub-question: shown at the top level
                orphans.append(QuestionNode(question))
            else:
                parent.sub_questions.append(question)

    criteria = [CriterionRow(code, label, grades.get(code)) for code, label in DacCriterion.choices]
    by_criterion = {row.criterion: row for row in criteria}
    for question in questions:
        for code in question.criteria:
            if code in by_criterion:
                by_criterion[code].questions.append(question)

    recommendations = list(
        Recommendation.objects.filter(evaluation=evaluation)
        .select_related("management_response")
        .prefetch_related(Prefetch("conclusions", queryset=Conclusion.objects.order_by("order", "code")))
        .order_by("order", "code")
    )
    responses = {}
    for recommendation in recommendations:
        try:
            responses[recommendation.pk] = recommendation.management_response
        except ManagementResponse.DoesNotExist:
            pass
    history: dict[int, list] = {}
    if responses:
        records = (
            ManagementResponse.history.filter(id__in=[response.pk for response in responses.values()])
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        for record in records:
            history.setdefault(record.id, []).append(record)
        for records_of_one in history.values():
            _mark_changes(records_of_one)
    rows = []
    for recommendation in recommendations:
        response = responses.get(recommendation.pk)
        rows.append(RecommendationRow(recommendation, response, history.get(response.pk, []) if response else []))

    return EvaluationOverview(
        evaluation=evaluation,
        criteria=criteria,
        questions=list(nodes.values()) + orphans,
        conclusions=list(Conclusion.objects.filter(evaluation=evaluation).order_by("order", "code")),
        recommendations=rows,
        lessons=list(Lesson.objects.filter(evaluation=evaluation).order_by("order", "code")),
    )
