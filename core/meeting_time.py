"""Meeting times in the two time zones of the programme: B2B meetings happen in Belgium, most people who
read them are in Senegal. A time is always shown with its zone, Brussels first, Dakar beside it."""

import datetime
import zoneinfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")


def meeting_time(value: datetime.datetime | None) -> str:
    """ "12 juin 2024, 09:00 heure de Bruxelles (07:00 à Dakar)"; the Dakar date is added when it differs.
    Empty for None; a naive datetime is taken as in the site's time zone."""
    if value is None:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    brussels, dakar = value.astimezone(BRUSSELS), value.astimezone(DAKAR)
    dakar_time = formats.time_format(dakar, "TIME_FORMAT")
    if dakar.date() != brussels.date():
        dakar_time = f"{formats.date_format(dakar, 'MONTH_DAY_FORMAT')} {dakar_time}"
    return _("%(date)s, %(time)s heure de Bruxelles (%(dakar)s à Dakar)") % {
        "date": formats.date_format(brussels, "DATE_FORMAT"),
        "time": formats.time_format(brussels, "TIME_FORMAT"),
        "dakar": dakar_time,
    }


def meeting_span(starts: datetime.datetime, ends: datetime.datetime, *, with_date: bool = False) -> str:
    """ "09:00–10:00 heure de Bruxelles (07:00–08:00 à Dakar)", the date first when asked; for agendas
    whose rows are already grouped by day."""
    brussels_start, brussels_end = starts.astimezone(BRUSSELS), ends.astimezone(BRUSSELS)
    dakar_start, dakar_end = starts.astimezone(DAKAR), ends.astimezone(DAKAR)
    text = _("%(start)s–%(end)s heure de Bruxelles (%(dakar_start)s–%(dakar_end)s à Dakar)") % {
        "start": formats.time_format(brussels_start, "TIME_FORMAT"),
        "end": formats.time_format(brussels_end, "TIME_FORMAT"),
        "dakar_start": formats.time_format(dakar_start, "TIME_FORMAT"),
        "dakar_end": formats.time_format(dakar_end, "TIME_FORMAT"),
    }
    if with_date:
        return f"{formats.date_format(brussels_start, 'DATE_FORMAT')}, {text}"
    return text
