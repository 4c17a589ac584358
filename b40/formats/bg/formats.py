"""Bulgarian: Django's formats, with the year and the hour written as Bulgarians do."""

from django.conf.locale.bg.formats import *  # noqa: F403

# E: the month in lower case, as in "30 ноември 2021 г." (b40/formats/__init__.py)
DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г., H:i ч."
MONTH_DAY_FORMAT = "j E"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y г."
FIRST_DAY_OF_WEEK = 1  # понеделник
NUMBER_GROUPING = 3  # 1 234,5 (the separator is a no-break space)
