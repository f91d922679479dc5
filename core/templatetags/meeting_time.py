"""`{{ meeting.starts_at|meeting_time }}`: a meeting's time in Brussels with Dakar's beside it."""

from django import template

from core.meeting_time import meeting_time as _meeting_time

register = template.Library()


@register.filter
def meeting_time(value) -> str:
    return _meeting_time(value)
