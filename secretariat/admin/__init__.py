"""The secretariat app's admin, one module per concern; each is imported here to register."""

from secretariat.admin import (
    applications,  # noqa: F401
    cities,  # noqa: F401
    workspace,  # noqa: F401
)
