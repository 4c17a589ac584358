from django.db import models
from django.utils.translation import pgettext_lazy


class MailState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("mail state", "Queued")
    SENT = "sent", pgettext_lazy("mail state", "Sent")
    FAILED = "failed", pgettext_lazy("mail state", "Failed")
