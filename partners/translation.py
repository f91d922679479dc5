"""Fields of the partners app kept in both languages (django-modeltranslation adds name_fr, name_en)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Region, RegionGroup


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(RegionGroup)
class RegionGroupTranslationOptions(TranslationOptions):
    fields = ("name",)
