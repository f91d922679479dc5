"""Who may open the evaluation pages; see tests/test_urls_access.py.

The users' fixture makes the committee and evaluator users members of a programme each (their own
programme); the objects below are built in those programmes so that members see them. Staff see all."""

from accounts.models import Role
from accounts.tests.url_access import only
from reporting.tests.factories import EvaluationQuestionFactory, ManagementResponseFactory


def _programme_of(user):
    return user.programme_memberships.get(role=Role.EVALUATOR).programme


def evaluation_of_the_evaluator(users: dict) -> dict:
    """An evaluation of the evaluator's programme: the evaluator edits it, the committee member (of
    another programme) does not see it."""
    response = ManagementResponseFactory(recommendation__evaluation__programme=_programme_of(users["evaluator"]))
    return {"pk": response.recommendation.evaluation_id}


def evaluation_of_the_committee(users: dict) -> dict:
    programme = users["committee"].programme_memberships.get(role=Role.COMMITTEE).programme
    response = ManagementResponseFactory(recommendation__evaluation__programme=programme)
    return {"pk": response.recommendation.evaluation_id}


def programme_of_the_evaluator(users: dict) -> dict:
    return {"programme_pk": _programme_of(users["evaluator"]).pk}


def question_of_the_evaluator(users: dict) -> dict:
    question = EvaluationQuestionFactory(evaluation__programme=_programme_of(users["evaluator"]))
    return {"pk": question.evaluation_id, "kind": "question", "item_pk": question.pk}


def criterion_of_the_evaluator(users: dict) -> dict:
    return {**evaluation_of_the_evaluator(users), "criterion": "relevance"}


def kind_of_the_evaluator(users: dict) -> dict:
    return {**evaluation_of_the_evaluator(users), "kind": "lesson"}


def response_of_the_committee(users: dict) -> dict:
    programme = users["committee"].programme_memberships.get(role=Role.COMMITTEE).programme
    response = ManagementResponseFactory(recommendation__evaluation__programme=programme)
    return {"pk": response.recommendation.evaluation_id, "recommendation_pk": response.recommendation_id}


ACCESS = {
    "reporting:evaluation_index": only("staff", "committee", "evaluator"),
    # Members see their programme's evaluations; the committee member belongs to another programme.
    "reporting:evaluation_list": {
        **only("staff", "evaluator", "committee"),
        "committee": 404,
        "kwargs": programme_of_the_evaluator,
    },
    "reporting:evaluation_detail": {**only("staff", "committee"), "kwargs": evaluation_of_the_committee},
    "reporting:evaluation_create": {**only("staff", "evaluator"), "kwargs": programme_of_the_evaluator},
    "reporting:evaluation_edit": {**only("staff", "evaluator"), "kwargs": evaluation_of_the_evaluator},
    "reporting:evaluation_criterion_edit": {**only("staff", "evaluator"), "kwargs": criterion_of_the_evaluator},
    "reporting:evaluation_item_create": {**only("staff", "evaluator"), "kwargs": kind_of_the_evaluator},
    "reporting:evaluation_item_edit": {**only("staff", "evaluator"), "kwargs": question_of_the_evaluator},
    "reporting:evaluation_item_delete": {**only("staff", "evaluator"), "kwargs": question_of_the_evaluator},
    # The programme team answers: staff only, even for the committee member of the programme.
    "reporting:evaluation_response_edit": {**only("staff"), "kwargs": response_of_the_committee},
}
