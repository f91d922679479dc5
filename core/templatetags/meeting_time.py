"""`{{ meeting.starts_at|meeting_time }}`: a meeting's time in Brussels with Dakar's beside it."""

from django import template
from django.utils import formats

from core.meeting_time import BRUSSELS
from core.meeting_time import meeting_span as _meeting_span
from core.meeting_time import meeting_time as _meeting_time

register = template.Library()


@register.filter
def meeting_time(value) -> str:
    return _meeting_time(value)


@register.filter
def meeting_span(meeting, with_date: bool = False) -> str:
    """`{{ meeting|meeting_span }}`: its start and end in Brussels, Dakar beside (any object with
    starts_at and ends_at)."""
    return _meeting_span(meeting.starts_at, meeting.ends_at, with_date=bool(with_date))


@register.filter
def brussels_time(value) -> str:
    """The time of day in Brussels, for the week grid's blocks."""
    return formats.time_format(value.astimezone(BRUSSELS), "TIME_FORMAT")
