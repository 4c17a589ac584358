from django.db import models
from django.utils.translation import pgettext_lazy


class SummitState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("summit state", "Planned")
    OPEN = "open", pgettext_lazy("summit state", "Open")
    CLOSED = "closed", pgettext_lazy("summit state", "Closed")
