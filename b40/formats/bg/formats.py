"""Bulgarian: Django's formats, with the year and the hour written as Bulgarians do."""

from django.conf.locale.bg.formats import *  # noqa: F403

DATE_FORMAT = "j F Y г."
DATETIME_FORMAT = "j F Y г., H:i ч."
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y г."
FIRST_DAY_OF_WEEK = 1  # понеделник
