"""The evaluation pages: who reads, who edits, errors shown as form errors, the overview's queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ProgrammeMembershipFactory
from partners.tests.factories import EntrepreneurFactory
from reporting.models import CriterionGrade, Evaluation, ManagementResponse, Recommendation
from reporting.tests.factories import (
    ConclusionFactory,
    CriterionFindingFactory,
    CriterionGradeFactory,
    EvaluationFactory,
    EvaluationQuestionFactory,
    IndicatorFactory,
    LessonFactory,
    ManagementResponseFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


def member(programme, role: str):
    user = UserFactory(roles=[role])
    ProgrammeMembershipFactory(programme=programme, user=user, role=role)
    return user


@pytest.fixture
def evaluation():
    return EvaluationFactory(title="Évaluation finale du pilote")


@pytest.fixture
def people(evaluation):
    programme = evaluation.programme
    return {
        "staff": UserFactory(roles=[Role.STAFF]),
        "evaluator": member(programme, Role.EVALUATOR),
        "committee": member(programme, Role.COMMITTEE),
        "other_evaluator": member(EvaluationFactory().programme, Role.EVALUATOR),
        "entrepreneur": EntrepreneurFactory().user,
    }


def detail(evaluation) -> str:
    return reverse("reporting:evaluation_detail", kwargs={"pk": evaluation.pk})


def criterion_url(evaluation, criterion="relevance") -> str:
    return reverse("reporting:evaluation_criterion_edit", kwargs={"pk": evaluation.pk, "criterion": criterion})


def create_url(evaluation, kind) -> str:
    return reverse("reporting:evaluation_item_create", kwargs={"pk": evaluation.pk, "kind": kind})


# --------------------------------------------------------------------------------------------------
# Who reads, who writes
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("staff", 200), ("evaluator", 200), ("committee", 200), ("other_evaluator", 404), ("entrepreneur", 404)]
)
def test_who_reads_the_overview(client, evaluation, people, who, status):
    client.force_login(people[who])
    assert client.get(detail(evaluation)).status_code == status


def test_the_evaluator_member_grades_a_criterion(client, evaluation, people):
    client.force_login(people["evaluator"])
    assert client.get(criterion_url(evaluation)).status_code == 200

    response = client.post(
        criterion_url(evaluation),
        {
            "grade": "A",
            "findings_fr": "Très pertinent.",
            "findings_en": "Very relevant.",
            "findings_OS1_fr": "Répond aux besoins des PME",
            "findings_OS2_fr": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == detail(evaluation) + "#critere-relevance"
    grade = CriterionGrade.objects.get(evaluation=evaluation, criterion="relevance")
    assert (grade.grade, grade.findings) == ("A", "Très pertinent.")
    assert [f.text for f in grade.objective_findings.all()] == ["Répond aux besoins des PME"]
    page = client.get(detail(evaluation)).content.decode()
    assert "Répond aux besoins des PME" in page
    assert criterion_url(evaluation) in page  # the edit links show to editors


@pytest.mark.parametrize("who", ["other_evaluator", "entrepreneur"])
def test_outsiders_get_404_on_edit_pages(client, evaluation, people, who):
    client.force_login(people[who])
    assert client.get(criterion_url(evaluation)).status_code == 404
    assert client.post(criterion_url(evaluation), {"grade": "A"}).status_code == 404
    assert not CriterionGrade.objects.exists()


def test_the_committee_reads_but_cannot_write(client, evaluation, people):
    recommendation = RecommendationFactory(evaluation=evaluation)
    client.force_login(people["committee"])

    page = client.get(detail(evaluation))
    assert page.status_code == 200
    assert criterion_url(evaluation) not in page.content.decode()
    assert client.post(criterion_url(evaluation), {"grade": "A"}).status_code == 404
    assert client.post(create_url(evaluation, "lesson"), {"code": "L1", "title_fr": "T"}).status_code == 404
    response_url = reverse(
        "reporting:evaluation_response_edit", kwargs={"pk": evaluation.pk, "recommendation_pk": recommendation.pk}
    )
    assert client.post(response_url, {"decision": "accepted", "deadline": "2025-01-01", "status": "planned"}).status_code == 404
    assert not CriterionGrade.objects.exists()
    assert not ManagementResponse.objects.exists()


def test_the_evaluator_cannot_answer_a_recommendation(client, evaluation, people):
    recommendation = RecommendationFactory(evaluation=evaluation)
    client.force_login(people["evaluator"])
    url = reverse("reporting:evaluation_response_edit", kwargs={"pk": evaluation.pk, "recommendation_pk": recommendation.pk})
    assert client.post(url, {"decision": "accepted", "deadline": "2025-01-01", "status": "planned"}).status_code == 404
    assert not ManagementResponse.objects.exists()


def test_an_item_of_another_evaluation_is_not_found_through_this_one(client, evaluation, people):
    foreign = ConclusionFactory(evaluation=EvaluationFactory(programme=evaluation.programme))
    client.force_login(people["evaluator"])
    url = reverse("reporting:evaluation_item_edit", kwargs={"pk": evaluation.pk, "kind": "conclusion", "item_pk": foreign.pk})
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("reporting:evaluation_item_create", kwargs={"pk": evaluation.pk, "kind": "grade"})).status_code == 404
    )
    assert client.get(criterion_url(evaluation, "popularity")).status_code == 404


def test_an_evaluator_member_creates_an_evaluation_and_others_cannot(client, evaluation, people):
    url = reverse("reporting:evaluation_create", kwargs={"programme_pk": evaluation.programme_id})
    data = {
        "title_fr": "Revue à mi-parcours",
        "title_en": "Mid-term review",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
    }
    client.force_login(people["other_evaluator"])
    assert client.post(url, data).status_code == 404
    client.force_login(people["committee"])
    assert client.post(url, data).status_code == 404

    client.force_login(people["evaluator"])
    response = client.post(url, data)

    created = Evaluation.objects.get(title="Revue à mi-parcours")
    assert response["Location"] == detail(created)
    assert created.programme == evaluation.programme
    assert not created.grades.exists()


# --------------------------------------------------------------------------------------------------
# Bad input is a form error
# --------------------------------------------------------------------------------------------------


def test_a_grade_e_is_a_form_error(client, evaluation, people):
    client.force_login(people["evaluator"])
    response = client.post(criterion_url(evaluation), {"grade": "E", "findings_fr": "?"})

    assert response.status_code == 200
    assert response.context["form"].errors["grade"] == ["La note doit être A, B, C ou D."]
    assert not CriterionGrade.objects.exists()


def recommendation_data(**overrides) -> dict:
    return {
        "code": "R1",
        "title_fr": "Élargir la base territoriale",
        "text_fr": "",
        "targeted_actors_fr": "Enabel",
        "levels": ["1", "2"],
        "priority": "short",
        "type": "operational",
        "order": "",
        **overrides,
    }


def test_a_recommendation_without_level_is_a_form_error(client, evaluation, people):
    client.force_login(people["evaluator"])
    data = recommendation_data()
    del data["levels"]
    response = client.post(create_url(evaluation, "recommendation"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["levels"] == ["Cochez au moins un niveau (1 à 4)."]
    assert not Recommendation.objects.exists()


def test_a_conclusion_of_another_evaluation_is_a_form_error(client, evaluation, people):
    ours = ConclusionFactory(evaluation=evaluation, code="C1")
    theirs = ConclusionFactory(code="C2")
    client.force_login(people["evaluator"])

    response = client.post(create_url(evaluation, "recommendation"), recommendation_data(conclusions=[ours.pk, theirs.pk]))

    assert response.status_code == 200
    assert response.context["form"].errors["conclusions"] == ["Choisissez des conclusions de cette évaluation."]
    assert not Recommendation.objects.exists()

    response = client.post(create_url(evaluation, "recommendation"), recommendation_data(conclusions=[ours.pk]))
    recommendation = Recommendation.objects.get()
    assert response["Location"] == detail(evaluation) + f"#recommendation-{recommendation.pk}"
    assert list(recommendation.conclusions.all()) == [ours]
    assert recommendation.levels == [1, 2]


def test_a_duplicate_code_shows_beside_the_code(client, evaluation, people):
    LessonFactory(evaluation=evaluation, code="L1")
    client.force_login(people["evaluator"])
    response = client.post(create_url(evaluation, "lesson"), {"code": "L1", "title_fr": "Deuxième fois", "text_fr": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Ce code est déjà utilisé dans cette évaluation."]


def test_a_question_links_criteria_sources_and_the_programmes_indicators(client, evaluation, people):
    indicator = IndicatorFactory(programme=evaluation.programme, code="I3", name="Entreprises ayant voyagé")
    foreign = IndicatorFactory(code="X9")
    main = EvaluationQuestionFactory(evaluation=evaluation, code="QE3")
    client.force_login(people["evaluator"])
    data = {
        "code": "QE3.1",
        "parent": main.pk,
        "question_fr": "Les voyages ont-ils eu lieu ?",
        "answer_fr": "Oui, 47 entreprises.",
        "criteria": ["effectiveness"],
        "sources": ["platform", "interviews"],
        "indicators": [indicator.pk],
    }

    bad = client.post(create_url(evaluation, "question"), {**data, "indicators": [foreign.pk]})
    assert "indicators" in bad.context["form"].errors
    assert client.post(create_url(evaluation, "question"), data).status_code == 302

    question = main.sub_questions.get()
    assert (question.criteria, question.sources) == (["effectiveness"], ["platform", "interviews"])
    page = client.get(detail(evaluation)).content.decode()
    assert "Entreprises ayant voyagé" in page  # in the matrix, under Effectiveness
    assert "Données de la plateforme, Entretiens" in page


def test_management_response_rules_are_form_errors_and_each_change_is_in_the_history(client, evaluation, people):
    recommendation = RecommendationFactory(evaluation=evaluation, code="R3")
    url = reverse("reporting:evaluation_response_edit", kwargs={"pk": evaluation.pk, "recommendation_pk": recommendation.pk})
    client.force_login(people["staff"])

    response = client.post(url, {"decision": "accepted", "action_fr": "", "owner": "", "deadline": "", "status": "done"})
    errors = response.context["form"].errors
    assert set(errors) == {"deadline", "action_fr"}
    assert not ManagementResponse.objects.exists()

    data = {
        "decision": "accepted",
        "action_fr": "Ouvrir l'appel aux régions",
        "action_en": "Open the call to the regions",
        "owner": "Enabel",
        "deadline": "2025-03-31",
        "status": "planned",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "status": "in_progress", "deadline": "2025-06-30"}).status_code == 302

    saved = ManagementResponse.objects.get()
    assert [(r.status, r.deadline, r.history_user) for r in saved.history.order_by("history_date")] == [
        ("planned", datetime.date(2025, 3, 31), people["staff"]),
        ("in_progress", datetime.date(2025, 6, 30), people["staff"]),
    ]
    overview = client.get(detail(evaluation)).context["overview"]
    (row,) = overview.recommendations
    assert [record.status for record in row.history] == ["in_progress", "planned"]
    assert {"échéance", "avancement"} == set(row.history[0].changed)


def test_the_evaluator_deletes_a_lesson_after_confirming(client, evaluation, people):
    lesson = LessonFactory(evaluation=evaluation)
    url = reverse("reporting:evaluation_item_delete", kwargs={"pk": evaluation.pk, "kind": "lesson", "item_pk": lesson.pk})
    client.force_login(people["evaluator"])
    assert client.get(url).status_code == 200
    assert evaluation.lessons.exists()
    assert client.post(url).status_code == 302
    assert not evaluation.lessons.exists()


# --------------------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------------------


def fill(evaluation, size: int) -> None:
    """An evaluation with `size` recommendations (each answered, with conclusions) and questions."""
    for criterion in ("relevance", "coherence", "effectiveness"):
        CriterionFindingFactory(grade=CriterionGradeFactory(evaluation=evaluation, criterion=criterion))
    indicators = IndicatorFactory.create_batch(2, programme=evaluation.programme)
    for _n in range(size):
        conclusion = ConclusionFactory(evaluation=evaluation)
        question = EvaluationQuestionFactory(evaluation=evaluation, criteria=["relevance", "impact"], sources=["platform"])
        question.indicators.set(indicators)
        EvaluationQuestionFactory(evaluation=evaluation, parent=question, criteria=["impact"])
        response = ManagementResponseFactory(recommendation__evaluation=evaluation, deadline=datetime.date(2025, 1, 1))
        response.recommendation.conclusions.add(conclusion)
        response.status = "in_progress"
        response.save()
        LessonFactory(evaluation=evaluation)


@pytest.mark.parametrize("who", ["staff", "evaluator"])
def test_the_overview_costs_the_same_queries_at_3_and_at_30_recommendations(client, people, who, django_assert_num_queries):
    small, large = EvaluationFactory(), EvaluationFactory()
    fill(small, 3)
    fill(large, 30)
    user = people[who]
    for evaluation in (small, large):
        ProgrammeMembershipFactory(programme=evaluation.programme, user=people["evaluator"], role=Role.EVALUATOR)

    client.force_login(user)
    # 1 session, 2 user, 3 the user's groups, 4 the evaluation, (evaluator only: may they edit?),
    # 5 grades, 6 their findings, 7 questions, 8 their indicators, 9 recommendations with responses,
    # 10 their conclusions, 11 the responses' history, 12 conclusions, 13 lessons; plus the
    # SAVEPOINT / RELEASE pair of ATOMIC_REQUESTS.
    expected = 15 if who == "staff" else 16
    for evaluation in (small, large):
        with django_assert_num_queries(expected):
            response = client.get(detail(evaluation))
        assert len(response.context["overview"].recommendations) in (3, 30)
    large_page = response.content.decode()
    assert large_page.count('class="card mb-3 section-anchor"') == 30


def test_the_list_of_a_programmes_evaluations_costs_the_same_queries_at_3_and_at_30(client, people):
    staff = people["staff"]
    client.force_login(staff)
    counts = []
    for size in (3, 30):
        first = EvaluationFactory()
        EvaluationFactory.create_batch(size - 1, programme=first.programme)
        url = reverse("reporting:evaluation_list", kwargs={"programme_pk": first.programme_id})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["evaluations"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_index_lists_the_members_programmes_only_at_a_flat_cost(client, evaluation, people):
    evaluator = people["evaluator"]
    client.force_login(evaluator)
    counts = []
    for size in (3, 30):
        programme = EvaluationFactory().programme
        EvaluationFactory.create_batch(size - 1, programme=programme)
        ProgrammeMembershipFactory(programme=programme, user=evaluator, role=Role.EVALUATOR)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reporting:evaluation_index"))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    listed = {programme.pk for programme in response.context["programmes"]}
    assert evaluation.programme_id in listed
    assert Evaluation.objects.exclude(programme_id__in=listed).exists()  # the other evaluator's programme
    assert response.context["editable"] == listed


def test_sub_questions_are_shown_under_their_main_question(client, evaluation, people):
    main = EvaluationQuestionFactory(evaluation=evaluation, code="QE3", order=3)
    EvaluationQuestionFactory(evaluation=evaluation, code="QE3.2", parent=main, order=5)
    EvaluationQuestionFactory(evaluation=evaluation, code="QE3.1", parent=main, order=4)
    EvaluationQuestionFactory(evaluation=evaluation, code="QE1", order=1)
    client.force_login(people["committee"])

    nodes = client.get(detail(evaluation)).context["overview"].questions

    assert [(node.question.code, [sub.code for sub in node.sub_questions]) for node in nodes] == [
        ("QE1", []),
        ("QE3", ["QE3.1", "QE3.2"]),
    ]
