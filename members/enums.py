from django.db import models
from django.utils.translation import pgettext_lazy


class CityStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("city status", "Active")
    WITHDRAWN = "withdrawn", pgettext_lazy("city status", "Withdrawn")


class FoundingSignatory(models.TextChoices):
    """Who signed the founding declaration for a founding city (fact F2)."""

    MAYOR = "mayor", pgettext_lazy("founding signatory", "Its mayor")
    DELEGATE = "delegate", pgettext_lazy("founding signatory", "A delegate of the municipality")


class PersonRole(models.TextChoices):
    MAYOR = "mayor", pgettext_lazy("person role", "Mayor")
    DELEGATE = "delegate", pgettext_lazy("person role", "City delegate")
    CONTACT = "contact", pgettext_lazy("person role", "Contact point")


class CityRole(models.TextChoices):
    """What a portal user may do for their city."""

    MAYOR = "mayor", pgettext_lazy("user role", "Mayor")
    DELEGATE = "delegate", pgettext_lazy("user role", "City delegate")


# The role inside a sentence ("… as its mayor."): a label starts with a capital, a word in
# the middle of a Bulgarian or English sentence does not.
CITY_ROLE_IN_SENTENCE = {
    CityRole.MAYOR: pgettext_lazy("user role, inside a sentence", "mayor"),
    CityRole.DELEGATE: pgettext_lazy("user role, inside a sentence", "city delegate"),
}
