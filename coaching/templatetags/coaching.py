"""Display helpers of the coach portal."""

from django import template
from django.utils.translation import gettext as _

from coaching.models import CoachingTopic

register = template.Library()


@register.filter
def duration(minutes: int) -> str:
    """90 -> "1 h 30", 45 -> "45 min", 120 -> "2 h"."""
    hours, rest = divmod(int(minutes or 0), 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": rest}
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


@register.filter
def topic_labels(session) -> str:
    labels = dict(CoachingTopic.choices)
    return ", ".join(str(labels[tag]) for tag in session.topic_tags if tag in labels)


@register.filter
def getitem(form, name: str):
    """A form's bound field by name (for fields built in a loop)."""
    return form[name]


@register.filter
def getlist(data, key: str) -> list[str]:
    """The values of a query dict's key (a re-shown form's ticked boxes)."""
    return data.getlist(key) if hasattr(data, "getlist") else []
