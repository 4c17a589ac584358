"""The public pages, kept for anonymous visitors under a data version: never stale.

One *data version* for the whole site lives in the cache. Every write to a model of the
project's own apps (save, delete, many-to-many change) bumps it, at once and again when the
transaction commits, so a page rendered from rows that were not committed yet is not kept.
A stored page is used only while the version it was rendered under is still current.

Which pages are public is said by the ``public_page`` decorator on the view; the
``PublicPageMiddleware`` (last in ``MIDDLEWARE``) answers them from the cache in
``process_view`` and stores them after the view, so every other middleware (language,
CSRF, CSP, X-Frame-Options) still does its work on each answer. Only what is the same for
everyone is stored: a GET without a session or messages cookie, answered 200 with no cookie,
no message and no session change. Answers carry an ETag (304 when it matches) and are
compressed once, when stored.

A form page is kept too when its view says which hidden inputs are per visitor
(``@public_page(fresh_inputs={"name": factory})``): they and the CSRF token are stored as
holes and filled in for each visitor (``get_token``: the cookie follows as usual). Such a
page is never compressed (a secret in a compressed page is open to BREACH) nor kept by a
browser or proxy.

The version must live in a cache every process shares (Redis: ``CACHE_URL``); with a
per-process memory cache, pages are kept only where ``PUBLIC_CACHE_SECONDS`` allows it.
"""

import functools
import hashlib
import re
import uuid
from collections.abc import Callable
from gzip import decompress
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.html import escape
from django.utils.text import compress_string
from django.utils.translation import get_language

VERSION_KEY = "b40:public:version"
PAGE_PREFIX = "b40:public:page:"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
GZIP_MIN_BYTES = 1024  # smaller pages gain nothing worth a header
# The view's own headers kept with the page; the middleware adds the rest on every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Content-Disposition")


def bump(**_kwargs) -> None:
    """A new data version: every stored page is out of date from now on."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def data_changed(sender, **_kwargs) -> None:
    """Receiver of every write: flush now, and again when the transaction commits."""
    if sender._meta.app_label not in project_apps():
        return
    bump()
    transaction.on_commit(bump, robust=True)


@functools.cache
def project_apps() -> frozenset[str]:
    """The apps of this repository, at its top level (not Django's, not a library's)."""
    base = Path(settings.BASE_DIR).resolve()
    return frozenset(
        app.label for app in apps.get_app_configs() if Path(app.path).resolve().parent == base
    )


def connect() -> None:
    """One receiver for every model of the project's apps (``CommonConfig.ready``)."""
    post_save.connect(data_changed, dispatch_uid="common.publicpages.save")
    post_delete.connect(data_changed, dispatch_uid="common.publicpages.delete")
    m2m_changed.connect(data_changed, dispatch_uid="common.publicpages.m2m")


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def public_page(view: Callable | None = None, *, fresh_inputs: dict | None = None):
    """Mark a view (a function or a class-based view) as the same for every anonymous
    visitor: ``PublicPageMiddleware`` may answer it from the cache. ``fresh_inputs`` maps
    the names of hidden inputs that differ per visitor to the function giving a new value."""

    def mark(view: Callable) -> Callable:
        view.public_page = fresh_inputs or {}
        return view

    return mark(view) if view is not None else mark


def fresh_inputs_of(view_func: Callable) -> dict | None:
    """The view's per-visitor inputs (``{}`` if none), or None if it is no public page."""
    # A class-based view's function names its class: Django's ``view_class``, DRF's ``cls``.
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    marked = getattr(view_func, "public_page", getattr(view_class, "public_page", None))
    return None if marked is None else marked


def _input(name: str) -> re.Pattern:
    return re.compile(rb'(name="' + re.escape(name.encode()) + rb'" value=")[^"]*(")')


def _hole(name: str) -> bytes:
    return f"\x00b40-hole:{name}\x00".encode()  # a template never writes a NUL


def _anonymous(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    raw = "|".join((request.get_host(), get_language() or "", request.get_full_path()))
    return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


class PublicPageMiddleware:
    """Answer an anonymous visitor's public page from the cache; keep it after a miss.

    Put it last in ``MIDDLEWARE``: it sees the view's answer before any other middleware
    adds cookies or headers, which they add again to every answer from the cache.
    """

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        miss = getattr(request, "public_page_miss", None)
        if miss is None or not self._same_for_everyone(request, response):
            return response
        key, version, fresh = miss
        content = response.content
        if fresh:
            for name in ("csrfmiddlewaretoken", *fresh):
                content = _input(name).sub(rb"\1" + _hole(name) + rb"\2", content)
        elif b"csrfmiddlewaretoken" in content:
            return response  # a form whose view did not say what is per visitor
        entry = self._entry(response, content, version=version, holes=bool(fresh))
        cache.set(key, entry, timeout=settings.PUBLIC_CACHE_SECONDS)
        return self._answer(request, entry, fresh)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if settings.PUBLIC_CACHE_SECONDS <= 0 or not _anonymous(request):
            return None
        fresh = fresh_inputs_of(view_func)
        if fresh is None:
            return None
        key = _key(request)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or current_version()
        entry = found.get(key)
        if entry is not None and entry["version"] == version:
            return self._answer(request, entry, fresh)
        # The version read before the view reads the rows: a write meanwhile makes the
        # page stored under it out of date at once.
        request.public_page_miss = (key, version, fresh)
        return None

    @staticmethod
    def _same_for_everyone(request: HttpRequest, response: HttpResponse) -> bool:
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Content-Encoding")
            and not len(messages.get_messages(request))
            and not (session is not None and session.modified)
        )

    @staticmethod
    def _entry(response: HttpResponse, content: bytes, *, version: str, holes: bool) -> dict:
        """What is kept: the page compressed when that makes it smaller (every browser asks
        for gzip; the rare client that does not gets it decompressed), so a hit reads the
        small copy only. A page with holes stays plain (BREACH)."""
        compressed = None
        if not holes and len(content) >= GZIP_MIN_BYTES:
            compressed = compress_string(content)
            if len(compressed) >= len(content):
                compressed = None
        return {
            "version": version,
            "holes": holes,
            "body": compressed if compressed is not None else content,
            "gzipped": compressed is not None,
            "etag": hashlib.md5(content, usedforsecurity=False).hexdigest(),
            "headers": [(name, response[name]) for name in KEPT_HEADERS if name in response],
        }

    @staticmethod
    def _answer(request: HttpRequest, entry: dict, fresh: dict) -> HttpResponse:
        if entry["holes"]:
            content = entry["body"].replace(
                _hole("csrfmiddlewaretoken"), get_token(request).encode()
            )
            for name, make in fresh.items():
                content = content.replace(_hole(name), escape(make()).encode())
            response = HttpResponse(content)
            for name, value in entry["headers"]:
                response[name] = value
            add_never_cache_headers(response)  # this visitor's own tokens: nobody keeps it
            patch_vary_headers(response, ("Cookie",))
            return response
        gzip = entry["gzipped"] and ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
        body = entry["body"]
        if entry["gzipped"] and not gzip:
            body = decompress(body)
        response = HttpResponse(body)
        for name, value in entry["headers"]:
            response[name] = value
        if gzip:  # the same page in another encoding: a weak ETag, as GZipMiddleware says
            response["Content-Encoding"] = "gzip"
            response["ETag"] = f'W/"{entry["etag"]}"'
        else:
            response["ETag"] = f'"{entry["etag"]}"'
        if entry["gzipped"]:
            patch_vary_headers(response, ("Accept-Encoding",))
        # Logged-in visitors see other content at the same address: caches must ask again.
        patch_vary_headers(response, ("Cookie",))
        patch_cache_control(response, no_cache=True)
        response["Content-Length"] = str(len(response.content))
        return get_conditional_response(request, etag=response["ETag"], response=response)
