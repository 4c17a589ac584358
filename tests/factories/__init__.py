"""factory_boy factories for the whole portal, one module per app."""

from tests.factories.applications import ApplicationFactory  # noqa: F401
from tests.factories.members import (  # noqa: F401
    CityFactory,
    CityUserFactory,
    CountryFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.presidency import ElectionFactory, SummitFactory  # noqa: F401
from tests.factories.workinggroups import (  # noqa: F401
    GroupMembershipFactory,
    MeetingFactory,
    WorkingGroupFactory,
)
from tests.factories.workspace import (  # noqa: F401
    AnnouncementFactory,
    GoalFactory,
    RecommendationFactory,
    RosterMemberFactory,
)
