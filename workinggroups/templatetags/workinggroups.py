import zoneinfo

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from common.templatetags.isotime import isotime
from workinggroups.selectors import NETWORK_TIMEZONE

register = template.Library()


def _fmt(moment, tz) -> str:
    local = timezone.localtime(moment, tz)
    return formats.date_format(local, "DATETIME_FORMAT")


@register.simple_tag
def meeting_times(meeting, viewer_tz=None):
    """When a meeting is, in Istanbul time and — if different — in the viewer's time zone."""
    istanbul = zoneinfo.ZoneInfo(NETWORK_TIMEZONE)
    when = format_html(
        '<time datetime="{}"{}>{}</time> <span class="text-body-secondary">({})</span>',
        isotime(meeting.starts_at),
        # The browser adds the visitor's own time only when the server does not know it.
        "" if viewer_tz is not None else " data-meeting-start",  # escaping leaves it as is
        _fmt(meeting.starts_at, istanbul),
        _("Istanbul time"),
    )
    if viewer_tz is not None:
        own = timezone.localtime(meeting.starts_at, viewer_tz)
        if own.utcoffset() != timezone.localtime(meeting.starts_at, istanbul).utcoffset():
            when = format_html(
                '{} · {} <span class="text-body-secondary">({})</span>',
                when,
                _fmt(meeting.starts_at, viewer_tz),
                _("your time, %(zone)s") % {"zone": str(viewer_tz)},
            )
    return when
