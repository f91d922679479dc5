"""`{% load bilingual %}` then `{{ obj|tr:"title" }}`: the reader's language, or the other one marked
(`lang` attribute and a small badge), so that a page in one language never silently shows the other."""

from django import template
from django.utils.html import format_html, linebreaks

from core.bilingual import WRITTEN_IN, text_in

register = template.Library()


def marked(value: str, language: str | None, *, paragraphs: bool):
    if not language:
        return linebreaks(value, autoescape=True) if paragraphs else value
    badge = format_html('<span class="badge text-bg-light border lang-badge">{}</span>', WRITTEN_IN[language])
    if paragraphs:
        return format_html(
            '<div lang="{}" class="other-language">{}{}</div>', language, badge, linebreaks(value, autoescape=True)
        )
    return format_html('<span lang="{}" class="other-language">{}</span> {}', language, value, badge)


@register.filter
def tr(obj, field: str):
    """A short text (title, name, label) in the reader's language."""
    text = text_in(obj, field)
    return marked(text.value, text.other_language, paragraphs=False)


@register.filter
def tr_paragraphs(obj, field: str):
    """A long text (findings, answers) as paragraphs, in the reader's language."""
    text = text_in(obj, field)
    return marked(text.value, text.other_language, paragraphs=True)


@register.filter
def shown(text):
    """A core.bilingual.Text prepared in Python (e.g. a list of criteria), marked like `tr`."""
    return marked(text.value, text.other_language, paragraphs=False)
