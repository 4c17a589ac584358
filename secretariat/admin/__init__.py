"""The secretariat app's admin, one module per concern; each is imported here to register."""

from secretariat.admin import workspace  # noqa: F401
