"""Texts of the cohorts app that people write and others read, in French and English
(django-modeltranslation adds `<field>_fr` and `<field>_en`; pages show them through core.bilingual)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as history_register

from .models import Cohort, EligibilityCriterion, Programme, RubricCriterion, SelectionDecision


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    fields = ("description",)  # the name is a proper noun (PEM-WECCO), the same in both languages


@register(Cohort)
class CohortTranslationOptions(TranslationOptions):
    fields = ("name", "call_text")


@register(EligibilityCriterion)
class EligibilityCriterionTranslationOptions(TranslationOptions):
    fields = ("label",)


@register(RubricCriterion)
class RubricCriterionTranslationOptions(TranslationOptions):
    fields = ("label", "guidance")


@register(SelectionDecision)
class SelectionDecisionTranslationOptions(TranslationOptions):
    fields = ("reason",)


# The history of a decision holds both languages of its reason: registered once the fields exist.
history_register(SelectionDecision)
