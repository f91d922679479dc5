"""Texts of the results framework and the DAC evaluation, in French and English
(django-modeltranslation adds `<field>_fr` and `<field>_en`; pages and PDFs show them through core.bilingual)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as history_register

from .models import (
    Conclusion,
    CriterionFinding,
    CriterionGrade,
    Evaluation,
    EvaluationQuestion,
    Indicator,
    Lesson,
    ManagementResponse,
    Recommendation,
    ResultObjective,
)


@register(ResultObjective)
class ResultObjectiveTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Indicator)
class IndicatorTranslationOptions(TranslationOptions):
    fields = ("name", "definition")


@register(Evaluation)
class EvaluationTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "methodology")


@register(CriterionGrade)
class CriterionGradeTranslationOptions(TranslationOptions):
    fields = ("findings",)


@register(CriterionFinding)
class CriterionFindingTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(EvaluationQuestion)
class EvaluationQuestionTranslationOptions(TranslationOptions):
    fields = ("question", "answer")


@register(Conclusion)
class ConclusionTranslationOptions(TranslationOptions):
    fields = ("title", "text")


@register(Recommendation)
class RecommendationTranslationOptions(TranslationOptions):
    fields = ("title", "text", "targeted_actors")


@register(ManagementResponse)
class ManagementResponseTranslationOptions(TranslationOptions):
    fields = ("action",)


@register(Lesson)
class LessonTranslationOptions(TranslationOptions):
    fields = ("title", "text")


# The histories of grades and management responses hold both languages: registered once the fields exist.
history_register(CriterionGrade)
history_register(ManagementResponse)
