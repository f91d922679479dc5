"""Texts that people write, in French and English (django-modeltranslation keeps `<field>_fr` and
`<field>_en` side by side). One rule for every page, e-mail, export and PDF: show the reader's language;
where only the other language exists, show that text marked with its language, never a silent mix."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

#: How a text in the other language is marked, by the language the text is written in.
WRITTEN_IN = {"fr": _("en français"), "en": _("en anglais")}


@dataclass(frozen=True)
class Text:
    """A text to show: its words, and the language it is written in when that is not the reader's."""

    value: str
    other_language: str | None = None

    def __str__(self) -> str:
        return self.value


def language_name(code: str) -> str:
    """A language's name in the reader's language ("Anglais", "English"); never its code ("en")."""
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def text_in(obj, field: str, language: str | None = None) -> Text:
    """The `field` of `obj` in `language` (the active one by default); else the first other language that
    has it, flagged as such; else an empty text."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    value = getattr(obj, f"{field}_{language}", None)
    if value:
        return Text(str(value))
    for other in languages():
        if other != language:
            value = getattr(obj, f"{field}_{other}", None)
            if value:
                return Text(str(value), other)
    return Text("")


def plain_text_in(obj, field: str, language: str | None = None) -> str:
    """For plain text (e-mails, spreadsheets): the text, followed by its language when it is not the reader's."""
    text = text_in(obj, field, language)
    if text.other_language:
        from django.utils import translation

        with translation.override(language or get_language()):
            return f"{text.value} [{WRITTEN_IN[text.other_language]}]"
    return text.value


#: A text given to a service: both languages ({"fr": ..., "en": ...}), or one string for the default language.
BilingualText = str | dict[str, str]


def text_set(instance, field: str, value: BilingualText) -> None:
    """Write a text that people write into `<field>_fr` / `<field>_en` of `instance`. A plain string is the
    default language's (French) version and leaves the other language as it was."""
    if isinstance(value, dict):
        for language in languages():
            if language in value:
                setattr(instance, f"{field}_{language}", (value[language] or "").strip())
        return
    setattr(instance, f"{field}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}", value)


def text_pair(data: dict, field: str) -> dict[str, str]:
    """`{"fr": data["<field>_fr"], "en": data["<field>_en"]}` from a form's cleaned data."""
    return {language: data.get(f"{field}_{language}", "") or "" for language in languages()}


def text_any(value: BilingualText) -> str:
    """The text in whichever language it was given (for "is it empty?" checks)."""
    if isinstance(value, dict):
        return next((text.strip() for text in value.values() if text and text.strip()), "")
    return (value or "").strip()
