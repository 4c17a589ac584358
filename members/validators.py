"""Validators of the member-city registry."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The Balkans as a box of degrees (WGS 84): west, south, east, north. Generous on purpose:
# which countries are Balkan is the secretariat's call (rule M2, Country.eligible); the box
# only catches a swapped latitude and longitude, a sign lost or a city on another continent.
# The map's outlines (common/maps/balkans.json) cover at least this box.
BALKANS_WEST, BALKANS_SOUTH, BALKANS_EAST, BALKANS_NORTH = (
    Decimal("13.0"),
    Decimal("34.5"),
    Decimal("30.0"),
    Decimal("48.5"),
)

COORDINATES_MESSAGE = _(
    "Coordinates in the Balkans are between %(south)s and %(north)s degrees north and between "
    "%(west)s and %(east)s degrees east, e.g. 41.0082, 28.9784 for Istanbul."
)


def _params() -> dict:
    return {
        "south": BALKANS_SOUTH,
        "north": BALKANS_NORTH,
        "west": BALKANS_WEST,
        "east": BALKANS_EAST,
    }


def validate_balkan_latitude(value: Decimal | float | None) -> None:
    if value is not None and not BALKANS_SOUTH <= Decimal(str(value)) <= BALKANS_NORTH:
        raise ValidationError(COORDINATES_MESSAGE, code="outside_balkans", params=_params())


def validate_balkan_longitude(value: Decimal | float | None) -> None:
    if value is not None and not BALKANS_WEST <= Decimal(str(value)) <= BALKANS_EAST:
        raise ValidationError(COORDINATES_MESSAGE, code="outside_balkans", params=_params())


def coordinates_in_balkans() -> Q:
    """The same rule for a CHECK constraint: both coordinates or neither, inside the box."""
    # Both "not null" spelled out: a comparison with NULL is unknown, and a CHECK passes it.
    return Q(latitude__isnull=True, longitude__isnull=True) | Q(
        latitude__isnull=False,
        longitude__isnull=False,
        latitude__gte=BALKANS_SOUTH,
        latitude__lte=BALKANS_NORTH,
        longitude__gte=BALKANS_WEST,
        longitude__lte=BALKANS_EAST,
    )


COORDINATES_CONSTRAINT_MESSAGE = _(
    "Give both coordinates, or neither; they must lie in the Balkans (between 34.5 and 48.5 "
    "degrees north, 13 and 30 degrees east)."
)
