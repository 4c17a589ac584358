"""The client's address, for rate limits and login throttling (RELIABILITY 6, 13).

``X-Forwarded-For`` is anyone's to write. It is read only when the request comes from a
proxy listed in ``TRUSTED_PROXIES`` (addresses or networks), and then from the right:
each trusted hop is peeled off, and the first address not ours is the client. Whatever a
client writes to the left of that is ignored, so a forged header cannot pick the address
a limit is counted against. With no trusted proxies (the default) the address is
``REMOTE_ADDR``, full stop.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address a limit counts against (also ``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    peer = _parse(remote)
    if peer is None or not networks or not _trusted(peer, networks):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    client = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:  # garbage in the header: stop at the last address we believe
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def ratelimit_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit's ``key=`` callable."""
    return client_ip(request)
