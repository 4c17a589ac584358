"""Dates and numbers as each language writes them (FORMAT_MODULE_PATH in the settings).

Month names inside a date ("30 ноември 2021 г.") come from the "alt. month" strings below,
which the date format letter ``E`` uses. Django's own Bulgarian catalogue capitalises them;
Bulgarian writes them in lower case, and our catalogue (locale/, first in LOCALE_PATHS) wins.
"""

from django.utils.translation import pgettext_lazy

MONTHS_IN_A_DATE = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
