"""`{% load bilingual %}` then `{{ obj|tr:"title" }}`: the reader's language, or the other one marked
(`lang` attribute and a small badge), so that a page in one language never silently shows the other."""

from django import template
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe

from core.bilingual import WRITTEN_IN, text_in

register = template.Library()


def marked(value: str, language: str | None, *, paragraphs: bool):
    """`value` escaped (as paragraphs for long texts), wrapped with its language when it is not the reader's."""
    # django.utils.html.linebreaks escapes the text itself (autoescape=True) but returns a plain str.
    body = mark_safe(linebreaks(value, autoescape=True)) if paragraphs else value  # noqa: S308 - escaped above
    if not language:
        return body if paragraphs else conditional_escape(value)
    badge = format_html('<span class="badge text-bg-light border lang-badge">{}</span>', WRITTEN_IN[language])
    if paragraphs:
        return format_html('<div lang="{}" class="other-language">{}{}</div>', language, badge, body)
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
