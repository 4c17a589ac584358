"""Turkish: Django's formats, the day without a leading zero (28 Kasım 2026)."""

from django.conf.locale.tr.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
