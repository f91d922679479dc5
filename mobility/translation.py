"""Texts of the mobility app that staff write and entrepreneurs read, in French and English
(django-modeltranslation adds `<field>_fr` and `<field>_en`; pages show them through core.bilingual)."""

from modeltranslation.translator import TranslationOptions, register

from .models import EconomicMission, VisaRequirement


@register(VisaRequirement)
class VisaRequirementTranslationOptions(TranslationOptions):
    fields = ("instructions",)


@register(EconomicMission)
class EconomicMissionTranslationOptions(TranslationOptions):
    fields = ("title",)
