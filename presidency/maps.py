"""The network's map: member cities as dots, the presiding city highlighted (common.maps draws).

Founders and later members are told apart; cities that joined recently (or, in an annual
report, during the mandate) are marked and always named, as is the presiding city; former
members are not shown. Other names appear on hover or focus, so a thousand cities do not
write over each other.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from common import maps
from members import selectors as member_selectors
from members.models import City
from presidency import selectors

# A city that joined within this time is "new" on the live map.
NEW_FOR = datetime.timedelta(days=366)


@dataclass(frozen=True)
class MapCity:
    """What the map needs of a city (from a City row or a report's snapshot)."""

    name: str
    url: str
    latitude: float
    longitude: float
    is_founding: bool
    country_code: str = ""
    is_new: bool = False

    @classmethod
    def of(cls, city: City, *, new_since: datetime.date | None = None) -> "MapCity":
        return cls(
            name=city.name,
            url=city.get_absolute_url(),
            latitude=float(city.latitude),
            longitude=float(city.longitude),
            is_founding=city.is_founding,
            country_code=city.country.code,
            is_new=bool(new_since and not city.is_founding and city.joined_on >= new_since),
        )


def dots(cities: Iterable[MapCity], *, presiding_url: str | None = None) -> list[maps.Dot]:
    result = []
    for city in cities:
        if presiding_url is not None and city.url == presiding_url:
            kind, description = maps.HIGHLIGHT, _("presiding city")
        elif city.is_new:
            kind, description = maps.NEW, _("new member")
        elif city.is_founding:
            kind, description = maps.FOUNDER, _("founding member")
        else:
            kind, description = maps.MEMBER, _("member city")
        result.append(
            maps.Dot(
                name=city.name,
                url=city.url,
                latitude=city.latitude,
                longitude=city.longitude,
                kind=kind,
                description=description,
                labelled=kind in (maps.HIGHLIGHT, maps.NEW),
            )
        )
    return result


def draw(
    cities: Iterable[MapCity],
    *,
    title: str,
    presiding_url: str | None = None,
    hover_labels: bool = True,
    id_prefix: str = "network-map",
) -> SafeString:
    cities = list(cities)
    return maps.draw_map(
        dots(cities, presiding_url=presiding_url),
        title=title,
        network_countries={city.country_code for city in cities},
        hover_labels=hover_labels,
        id_prefix=id_prefix,
    )


def live_map_context(
    cities: Iterable[City] | None = None, *, title: str, id_prefix: str = "network-map"
) -> dict:
    """The map of today's member cities (or of ``cities``, e.g. a group's), with the counts
    a page shows beside it."""
    today = timezone.localdate()
    if cities is None:
        cities = member_selectors.mapped_cities()
    rows = [city for city in cities if city.is_active and city.has_coordinates]
    mandate = selectors.current_mandate()
    presiding_url = mandate.city.get_absolute_url() if mandate else None
    map_cities = [MapCity.of(city, new_since=today - NEW_FOR) for city in rows]
    return {
        "svg": draw(map_cities, title=title, presiding_url=presiding_url, id_prefix=id_prefix),
        "shown": len(map_cities),
        "id_prefix": id_prefix,
        "has_presiding": any(c.url == presiding_url for c in map_cities),
        "has_new": any(c.is_new for c in map_cities),
        "has_members": any(not c.is_founding and not c.is_new for c in map_cities),
    }
