"""``{% network_map %}``: the map of the network's member cities (presidency.maps)."""

from django import template
from django.utils.translation import gettext as _

from presidency import maps

register = template.Library()


@register.inclusion_tag("presidency/_network_map.html")
def network_map(cities=None, title: str = "", id_prefix: str = "network-map") -> dict:
    """Today's member cities, or ``cities`` (e.g. a working group's members)."""
    return maps.live_map_context(
        cities, title=title or _("Map of the member cities"), id_prefix=id_prefix
    )
