# The presidency's fixtures (a 2026 summit in Athens, its election, the secretariat user).
from tests.presidency.conftest import clock, election, staff, summit  # noqa: F401
