"""Writes of the DAC evaluation: validation rules and the management response's history."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from accounts.tests.factories import UserFactory
from reporting.models import CriterionFinding, CriterionGrade, ManagementResponse
from reporting.services.evaluation import (
    criterion_grade_set,
    evaluation_create,
    management_response_set,
    question_create,
    question_delete,
    recommendation_create,
    recommendation_delete,
)
from reporting.tests.factories import (
    ConclusionFactory,
    EvaluationFactory,
    EvaluationQuestionFactory,
    IndicatorFactory,
    ManagementResponseFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


def test_a_new_evaluation_has_no_criterion_rows_until_graded():
    evaluation = EvaluationFactory()
    created = evaluation_create(
        programme=evaluation.programme, title="Revue à mi-parcours",
        period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 12, 31),
    )  # fmt: skip

    assert created.programme == evaluation.programme
    assert not CriterionGrade.objects.filter(evaluation=created).exists()


def test_an_evaluation_period_out_of_order_is_an_error_on_its_end():
    evaluation = EvaluationFactory()
    with pytest.raises(ValidationError) as error:
        evaluation_create(
            programme=evaluation.programme, title="X",
            period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2024, 1, 1),
        )  # fmt: skip
    assert "period_end" in error.value.message_dict


def test_grading_a_criterion_twice_updates_one_row_and_its_objective_findings():
    evaluation = EvaluationFactory()
    criterion_grade_set(
        evaluation=evaluation,
        criterion="impact",
        grade="C",
        findings="Peu d'effets.",
        objective_findings={"OS1": "Effets limités", "OS2": ""},
    )
    grade = criterion_grade_set(
        evaluation=evaluation,
        criterion="impact",
        grade="B",
        findings="Des effets.",
        objective_findings={"OS1": "", "OS2": "Réseaux durables"},
    )

    assert CriterionGrade.objects.filter(evaluation=evaluation).count() == 1
    assert (grade.grade, grade.findings) == ("B", "Des effets.")
    assert list(CriterionFinding.objects.filter(grade=grade).values_list("objective", "text")) == [("OS2", "Réseaux durables")]


def test_a_grade_outside_a_to_d_is_refused():
    with pytest.raises(ValidationError) as error:
        criterion_grade_set(evaluation=EvaluationFactory(), criterion="relevance", grade="E")
    assert "grade" in error.value.message_dict
    assert not CriterionGrade.objects.exists()


def test_a_question_links_only_indicators_of_the_evaluated_programme():
    evaluation = EvaluationFactory()
    ours = IndicatorFactory(programme=evaluation.programme)
    theirs = IndicatorFactory()

    question = question_create(
        evaluation=evaluation, code="QE1", text="Pertinent ?", criteria=["relevance"], sources=["platform"], indicators=[ours]
    )
    assert list(question.indicators.all()) == [ours]
    with pytest.raises(ValidationError) as error:
        question_create(evaluation=evaluation, code="QE2", text="Efficace ?", indicators=[theirs])
    assert "indicators" in error.value.message_dict


def test_a_sub_question_hangs_under_a_main_question_of_the_same_evaluation():
    main = EvaluationQuestionFactory(code="QE3")
    sub = question_create(evaluation=main.evaluation, code="QE3.1", text="?", parent=main)
    assert sub.parent == main

    with pytest.raises(ValidationError) as error:
        question_create(evaluation=main.evaluation, code="QE3.1.1", text="?", parent=sub)
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        question_create(evaluation=EvaluationFactory(), code="QE9", text="?", parent=main)
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        question_delete(question=main)  # its sub-questions would vanish with it


def test_a_duplicate_code_is_an_error_on_the_code():
    question = EvaluationQuestionFactory(code="QE1")
    with pytest.raises(ValidationError) as error:
        question_create(evaluation=question.evaluation, code="QE1", text="?")
    assert "code" in error.value.message_dict


def test_a_recommendation_needs_a_level_and_conclusions_of_its_own_evaluation():
    evaluation = EvaluationFactory()
    ours = ConclusionFactory(evaluation=evaluation)
    theirs = ConclusionFactory()

    with pytest.raises(ValidationError) as error:
        recommendation_create(evaluation=evaluation, code="R1", title="T", levels=[], priority="short", type="strategic")
    assert "levels" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        recommendation_create(
            evaluation=evaluation, code="R1", title="T", levels=[1], priority="short", type="strategic", conclusions=[theirs]
        )
    assert "conclusions" in error.value.message_dict

    recommendation = recommendation_create(
        evaluation=evaluation, code="R1", title="T", levels=[4, 1, 1], priority="medium", type="strategic", conclusions=[ours]
    )
    assert recommendation.levels == [1, 4]
    assert list(recommendation.conclusions.all()) == [ours]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"decision": "accepted", "action": "Ouvrir l'appel", "deadline": None, "status": "planned"}, "deadline"),
        ({"decision": "partly", "action": "", "deadline": datetime.date(2025, 6, 30), "status": "done"}, "action"),
    ],
)
def test_management_response_rules(values, field):
    with pytest.raises(ValidationError) as error:
        management_response_set(recommendation=RecommendationFactory(), **values)
    assert list(error.value.message_dict) == [field]
    assert not ManagementResponse.objects.exists()


def test_a_rejected_recommendation_needs_no_deadline():
    response = management_response_set(
        recommendation=RecommendationFactory(), decision="rejected", action="", deadline=None, status="dropped"
    )
    assert response.pk


def test_each_change_of_the_management_response_is_kept_with_its_author():
    staff = UserFactory(roles=[Role.STAFF])
    recommendation = RecommendationFactory()
    management_response_set(
        recommendation=recommendation,
        decision="accepted",
        action="Ouvrir l'appel aux régions",
        owner="Enabel",
        deadline=datetime.date(2025, 3, 31),
        by=staff,
    )
    management_response_set(
        recommendation=recommendation,
        decision="accepted",
        action="Ouvrir l'appel aux régions",
        owner="Enabel",
        deadline=datetime.date(2025, 3, 31),
        by=staff,
    )  # the same: nothing new
    response = management_response_set(
        recommendation=recommendation,
        decision="accepted",
        action="Ouvrir l'appel aux régions",
        owner="Enabel",
        deadline=datetime.date(2025, 3, 31),
        status="done",
        by=staff,
    )

    history = list(response.history.order_by("history_date"))
    assert [record.status for record in history] == ["planned", "done"]
    assert [record.history_type for record in history] == ["+", "~"]
    assert all(record.history_user == staff for record in history)


def test_an_evaluator_cannot_delete_an_answered_recommendation_but_staff_can():
    response = ManagementResponseFactory(deadline=datetime.date(2025, 1, 1))
    evaluator = UserFactory(roles=[Role.EVALUATOR])
    with pytest.raises(ValidationError):
        recommendation_delete(recommendation=response.recommendation, by=evaluator)

    recommendation_delete(recommendation=response.recommendation, by=UserFactory(roles=[Role.STAFF]))
    assert not ManagementResponse.objects.exists()
