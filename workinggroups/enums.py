from django.db import models
from django.utils.translation import pgettext_lazy


class GroupState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("working group state", "Proposed")
    ACTIVE = "active", pgettext_lazy("working group state", "Active")
    CLOSED = "closed", pgettext_lazy("working group state", "Closed")
