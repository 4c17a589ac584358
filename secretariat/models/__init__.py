"""The secretariat's models, one module per concern; import them here so Django finds them."""

from secretariat.models.applications import (  # noqa: F401
    Application,
    ApplicationEvent,
)
from secretariat.models.workspace import (  # noqa: F401
    Announcement,
    AnnouncementDelivery,
    FollowUp,
    Goal,
    GoalProgress,
    OpeningMeeting,
    Recommendation,
    RosterMember,
)
