"""factory_boy factories for the whole portal, one module per app."""

from tests.factories.members import (  # noqa: F401
    CityFactory,
    CityUserFactory,
    CountryFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.presidency import ElectionFactory, SummitFactory  # noqa: F401
