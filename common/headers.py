"""The security headers of answers that the middleware inside never sees (RELIABILITY 2).

WhiteNoise serves static files before the clickjacking and CSP middleware run, and an
answer refused at the door (common.middleware) is made before them too: both get the same
``X-Frame-Options`` and Content Security Policy as every page, from the same settings.
"""

from csp.constants import HEADER
from csp.utils import build_policy
from django.conf import settings


def security_headers() -> dict[str, str]:
    """The clickjacking and CSP headers every page carries, as settings define them."""
    headers = {"X-Frame-Options": settings.X_FRAME_OPTIONS}
    if settings.CONTENT_SECURITY_POLICY:
        headers[HEADER] = build_policy()
    return headers


def add_static_headers(headers, path: str, url: str) -> None:
    """``WHITENOISE_ADD_HEADERS_FUNCTION``: a static file is framed and scripted no more than
    a page (an SVG opened on its own is a document that could run script)."""
    for name, value in security_headers().items():
        headers[name] = value
