from django.db import models
from django.utils.translation import pgettext_lazy


class ReportState(models.TextChoices):
    """Where the building of an annual report stands (the task records it on the row)."""

    QUEUED = "queued", pgettext_lazy("report state", "Queued")
    RUNNING = "running", pgettext_lazy("report state", "Running")
    DONE = "done", pgettext_lazy("report state", "Done")
    FAILED = "failed", pgettext_lazy("report state", "Failed")
