"""Country names in the reader's language.

The network's countries are few and known, so their names are interface text, translated in
locale/ like any other. A country the secretariat adds later shows its stored name until a
translation is added here.
"""

from django.utils.translation import pgettext_lazy

COUNTRY_NAMES = {
    "AL": pgettext_lazy("country", "Albania"),
    "BA": pgettext_lazy("country", "Bosnia and Herzegovina"),
    "BG": pgettext_lazy("country", "Bulgaria"),
    "HR": pgettext_lazy("country", "Croatia"),
    "GR": pgettext_lazy("country", "Greece"),
    "XK": pgettext_lazy("country", "Kosovo"),
    "ME": pgettext_lazy("country", "Montenegro"),
    "MK": pgettext_lazy("country", "North Macedonia"),
    "RO": pgettext_lazy("country", "Romania"),
    "RS": pgettext_lazy("country", "Serbia"),
    "SI": pgettext_lazy("country", "Slovenia"),
    "TR": pgettext_lazy("country", "Türkiye"),
}
