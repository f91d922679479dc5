"""Factories for the results framework, the DAC evaluation and report jobs."""

import datetime
from decimal import Decimal

import factory

from cohorts.tests.factories import ProgrammeFactory
from reporting.models import (
    Conclusion,
    CriterionFinding,
    CriterionGrade,
    Evaluation,
    EvaluationQuestion,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Lesson,
    ManagementResponse,
    Recommendation,
    ReportJob,
    ResultObjective,
)


class ResultObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResultObjective

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"OS{n}")
    title = factory.Sequence(lambda n: f"Objectif spécifique {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"I{n}")
    name = factory.Sequence(lambda n: f"Indicateur {n}")


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    period_label = "2024"
    period_end = datetime.date(2024, 9, 30)
    value = Decimal("50")


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    period_end = datetime.date(2024, 9, 30)
    value = Decimal("47")


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Évaluation finale {n}")
    period_start = datetime.date(2021, 10, 1)
    period_end = datetime.date(2024, 6, 30)


class CriterionGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionGrade

    evaluation = factory.SubFactory(EvaluationFactory)
    criterion = "relevance"
    grade = "B"


class CriterionFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionFinding

    grade = factory.SubFactory(CriterionGradeFactory)
    objective = "OS1"
    text = "Les entreprises jugent l'accompagnement pertinent."


class EvaluationQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationQuestion

    evaluation = factory.SubFactory(EvaluationFactory)
    code = factory.Sequence(lambda n: f"Q{n}")
    question = "Dans quelle mesure le programme répond-il aux besoins des PME ?"


class ConclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conclusion

    evaluation = factory.SubFactory(EvaluationFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    title = "Un modèle pertinent"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    evaluation = factory.SubFactory(EvaluationFactory)
    code = factory.Sequence(lambda n: f"R{n}")
    title = "Élargir la base territoriale"
    levels = factory.LazyFunction(lambda: [1, 2])
    priority = "short"
    type = "operational"


class ManagementResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagementResponse

    recommendation = factory.SubFactory(RecommendationFactory)
    decision = "accepted"
    action = "Ouvrir l'appel aux régions hors de l'axe Dakar–Thiès"


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    evaluation = factory.SubFactory(EvaluationFactory)
    code = factory.Sequence(lambda n: f"L{n}")
    title = "Le visa est un risque à anticiper"


class ReportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportJob

    kind = "cohort"
    programme = factory.SubFactory(ProgrammeFactory)
    status = "failed"
    error = "Délai dépassé"
