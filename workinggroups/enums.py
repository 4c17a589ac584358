from django.db import models
from django.utils.translation import pgettext_lazy


class GroupState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("working group state", "Proposed")
    ACTIVE = "active", pgettext_lazy("working group state", "Active")
    REFUSED = "refused", pgettext_lazy("working group state", "Refused")
    CLOSED = "closed", pgettext_lazy("working group state", "Closed")


class ApprovalKey(models.TextChoices):
    """The two keys of rule W5: both must turn before a new group becomes active."""

    PRESIDENCY = "presidency", pgettext_lazy("approval key", "Presidency")
    SECRETARIAT = "secretariat", pgettext_lazy("approval key", "Permanent Secretariat")


class MeetingKind(models.TextChoices):
    REGULAR = "regular", pgettext_lazy("meeting kind", "Regular (quarterly)")
    EXTRA = "extra", pgettext_lazy("meeting kind", "Extra session")


class MeetingState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting state", "Planned")
    HELD = "held", pgettext_lazy("meeting state", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting state", "Cancelled")


class MinutesVisibility(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("minutes visibility", "Public")
    MEMBERS = "members", pgettext_lazy("minutes visibility", "Member cities only")


class RequestState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("extra session request state", "Pending")
    CONVENED = "convened", pgettext_lazy("extra session request state", "Convened")
    DECLINED = "declined", pgettext_lazy("extra session request state", "Declined")
