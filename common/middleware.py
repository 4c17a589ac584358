"""Refusing, at the door, what the database would refuse later (RELIABILITY 27)."""

import logging

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.views.defaults import bad_request

from common.headers import security_headers

logger = logging.getLogger(__name__)

NUL = "\x00"


def carries_nul(request: HttpRequest) -> str | None:
    """Where the request carries a NUL character, or None.

    PostgreSQL refuses NUL in any text ("A string literal cannot contain NUL"), which SQLite
    stores: one slipping through to a query is a 500 on PostgreSQL only. No text a person
    means to send contains it, so the whole request is refused, whatever the view.
    """
    if NUL in request.path_info:
        return "path"
    # The raw query string, not request.GET: no parsing for the pages the cache answers. A NUL
    # decoded from it was sent as %00 or as the byte itself ("%2500" holds no "%00").
    query = request.META.get("QUERY_STRING", "")
    if NUL in query or "%00" in query:
        return "query string"
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return "header"  # a header we store (the user agent of a login attempt), a cookie
    if request.method == "POST":
        # Forms (url-encoded or multipart) only: the only bodies our views read.
        for key, values in request.POST.lists():
            if NUL in key or any(isinstance(value, str) and NUL in value for value in values):
                return "form"
        for key, files in request.FILES.lists():
            if NUL in key or any(NUL in (upload.name or "") for upload in files):
                return "file name"
    return None


class RejectNulMiddleware:
    """A 400 for a request with a NUL byte anywhere it carries text: path, query string,
    headers, form fields and file names. Placed early (right after SecurityMiddleware), so
    that the session, the cache and the views never see one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = carries_nul(request)
        if where is None:
            return self.get_response(request)
        logger.warning("Refused a request with a NUL byte in its %s: %r", where, request.path)
        response = bad_request(request, BadRequest(f"NUL byte in the {where}"))
        # The clickjacking and CSP middleware are further in, and this answer never gets there.
        for name, value in security_headers().items():
            response.headers.setdefault(name, value)
        return response
