"""iCalendar feeds of meetings (RFC 5545), for Outlook, Google and Apple calendars.

Times are written in UTC (``...Z``), which every client reads without a VTIMEZONE block;
each client then shows them in its user's own time zone.
"""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from workinggroups.models import Meeting

PRODID = "-//B40 Balkan Cities Network//Working groups//EN"


def _uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "b40.example"


def build_calendar(meetings: Iterable[Meeting], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT12H")
    domain = _uid_domain()
    now = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"b40-meeting-{meeting.pk}@{domain}")
        event.add("dtstamp", now.astimezone(datetime.UTC))
        event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
        event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
        event.add(
            "summary",
            _("%(group)s — %(kind)s")
            % {"group": meeting.group.name, "kind": meeting.get_kind_display()},
        )
        if meeting.agenda:
            event.add("description", meeting.agenda)
        event.add("location", _("Online"))
        event.add("url", f"{settings.SITE_URL}{meeting.group.get_absolute_url()}")
        # A cancelled meeting stays in the feed as CANCELLED, so calendars remove it.
        event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
