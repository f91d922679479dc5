"""What the reports read besides the indicators is read once per data version too (core.data_version):
the evaluation with its grades, findings, questions, conclusions, recommendations and lessons, and the
comparison of participants with non-selected applicants. A report made after a write shows the write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.models import ApplicationStatus
from partners.tests.factories import OrganisationFactory
from reporting import rendering
from reporting.models import ReportJob
from reporting.selectors_impact import _outcomes_compared, outcomes_compared
from reporting.services.evaluation import criterion_grade_set
from reporting.tests.factories import CriterionGradeFactory, EvaluationFactory
from reporting.tests.factories_indicators import applicant
from reporting.tests.test_impact import answered, groups  # noqa: F401 - the comparison's fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    evaluation = EvaluationFactory(evaluator=OrganisationFactory(name="Cabinet Awa Ndiaye"))
    CriterionGradeFactory(evaluation=evaluation, criterion="relevance", grade="B", findings_fr="Constat de départ.")
    return evaluation


def dac_html(programme) -> str:
    job = ReportJob.objects.get_or_create(kind="dac", programme=programme, language="fr")[0]
    return rendering.report_html(job=job)


def test_an_edited_finding_is_in_the_next_report_and_an_unchanged_evaluation_is_not_read_again(evaluation):
    first = dac_html(evaluation.programme)
    assert "Constat de départ." in first
    with CaptureQueriesContext(connection) as unchanged:
        rendering._evaluation(evaluation.programme)
    assert not [q for q in unchanged.captured_queries if "reporting_evaluation" in q["sql"]]

    criterion_grade_set(evaluation=evaluation, criterion="relevance", grade="A", findings="Constat révisé par la mission.")

    second = dac_html(evaluation.programme)
    assert "Constat révisé par la mission." in second and "Constat de départ." not in second
    assert "Cabinet Awa Ndiaye" in second


def test_the_comparison_counts_a_new_answer_at_once(groups):  # noqa: F811
    before = outcomes_compared(groups.programme).comparison.at(6)
    other = applicant(groups, status=ApplicationStatus.REJECTED)
    other.follow_up_consent = True
    other.save(update_fields=["follow_up_consent"])
    answered(other, 6, partner=True, exports=True, jobs=5)

    after = outcomes_compared(groups.programme).comparison.at(6)
    assert (before.answered, before.jobs_total) == (6, 2)
    assert (after.answered, after.jobs_total) == (7, 7)
    assert after == _outcomes_compared(groups.programme, None).comparison.at(6)
