"""The secretariat's models, one module per concern; import them here so Django finds them."""

from secretariat.models.applications import Application, ApplicationEvent  # noqa: F401
from secretariat.models.workspace import (  # noqa: F401
    Announcement,
    AnnouncementDelivery,
    FollowUp,
    Goal,
    GoalProgress,
    Recommendation,
    RosterMember,
)
