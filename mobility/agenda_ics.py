"""A trip's agenda as an iCalendar file (RFC 5545), for any calendar application: one event per meeting,
its times in Brussels time (TZID=Europe/Brussels, with the zone's definition in the file) and a stable
UID per meeting, so that importing the file again updates the events instead of doubling them."""

import datetime
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.meeting_time import BRUSSELS, meeting_time

from .models import B2BMeeting, Trip


def _domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "pem.local"


def meeting_uid(meeting: B2BMeeting) -> str:
    return f"b2b-meeting-{meeting.pk}@{_domain()}"


def trip_agenda_ics(trip: Trip, meetings: list[B2BMeeting]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//PEM//Agenda du voyage//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Rendez-vous B2B – %(person)s") % {"person": trip.application.entrepreneur})
    calendar.add("x-wr-timezone", "Europe/Brussels")
    stamp = timezone.now().astimezone(datetime.UTC)
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at.astimezone(BRUSSELS))
        event.add("dtend", meeting.ends_at.astimezone(BRUSSELS))
        event.add("summary", _("Rendez-vous B2B : %(company)s") % {"company": meeting.organisation.name})
        location = ", ".join(part for part in (meeting.place, meeting.city) if part)
        if location:
            event.add("location", location)
        lines = [meeting_time(meeting.starts_at)]
        if meeting.contact_id:
            lines.append(_("Contact : %(name)s") % {"name": meeting.contact.full_name})
        if meeting.attendees:
            lines.append(_("Participants : %(names)s") % {"names": meeting.attendees})
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
