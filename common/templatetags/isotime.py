"""Machine-readable times for ``<time datetime="…">``."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def isotime(value: datetime.datetime | datetime.date | None) -> str:
    """ISO 8601 as HTML accepts it: to the second, local offset (``date:"c"`` writes
    microseconds, and HTML allows at most three digits of a second)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    return value.isoformat()
