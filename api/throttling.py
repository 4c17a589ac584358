"""Rate limits per client, counted against the address members.client_ip trusts."""

from rest_framework.throttling import AnonRateThrottle

from members.client_ip import client_ip


class ClientRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, keyed by the client's address as the rest of the portal
    reads it: a forged ``X-Forwarded-For`` does not give a client a fresh allowance.

    An answer the public-page cache gives (``common.publicpages``) never reaches the view
    and is not counted: it costs the server next to nothing. What is limited is the work:
    every answer rendered, e.g. pages asked for with ever new query strings."""

    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"
