"""Whole-page caching of the public site for anonymous visitors — never stale.

One *data version* for the whole site lives in the cache. Every write to a model of ours
(save, delete, many-to-many change) bumps it: at once and again after the commit, so a page
rendered from rows that were not yet committed is never kept. A public page is stored
together with the version it was rendered under; a visitor gets the stored page only while
that version is still current, so a member list is never stale after an admission.

The receivers here do nothing but bump the version (STYLE: signals only flush caches). Each
app connects its own models in ``AppConfig.ready()`` with ``watch(self)``.

Only what is the same for every anonymous visitor is stored: GET requests without a session
or messages cookie, 200 answers that set no cookie, used no CSRF token or CSP nonce, left no
message and touched no session. Pages are keyed by host, language and full path (query string
included), carry an ``ETag`` and a ``Last-Modified`` date, and a matching conditional request
gets 304. A page is compressed once when it is stored (never one with a CSRF token in it).

Two halves: the ``public_page`` decorator marks a view and says whether its answer may be
kept; ``PublicPageMiddleware``, right after WhiteNoise, looks the page up (one round trip:
the version and the one encoding this browser takes, plain or gzip, each stored on its own)
and answers a hit before the rest of the middleware runs, with the headers the inner
middleware gave the first answer (language, Vary, X-Frame-Options, the CSP). A form page's
holes (its CSRF token, ``fresh_inputs``) are refilled per visitor, the CSRF cookie set as
``CsrfViewMiddleware`` would. Only addresses of marked views pay the look-up.

The data version must live in a cache every worker shares (Redis in production:
``CACHE_URL``); with the default per-process memory cache each worker has its own version
and would not see another worker's writes.
"""

import datetime
import hashlib
import math
import re
import time
import uuid
from collections.abc import Callable
from functools import lru_cache, partial, wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token, get_token
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import compress_string

T = TypeVar("T")

VERSION_KEY = "b40:public:version"
PAGE_PREFIX = "b40:public:page2:"  # 2: each encoding stored on its own
GZIP_SUFFIX = ":gz"
FRAGMENT_PREFIX = "b40:fragment:"


def seconds() -> int:
    """How long a page is kept at most (also bounds pages that depend on the clock)."""
    return getattr(settings, "PUBLIC_CACHE_SECONDS", 300)


def bump(**_kwargs) -> None:
    """A new data version: every stored page is out of date from now on."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def data_changed(**kwargs) -> None:
    """Receiver for our models' writes: flush now, and once more when the transaction commits
    (once per transaction, however many rows it writes; a savepoint rolled back takes its
    flush with it, so the next write schedules one again)."""
    bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not scheduled_on_commit(bump, connection):
        transaction.on_commit(bump, robust=True)


def scheduled_on_commit(func: Callable, connection) -> bool:
    """Whether ``func`` already waits for the connection's transaction to commit."""
    return any(pending is func for _savepoints, pending, _robust in connection.run_on_commit)


def watch(app_config, *, exclude: tuple[str, ...] = ()) -> None:
    """Connect the flush to every model of an app (call from its ``AppConfig.ready()``)."""
    for model in app_config.get_models():
        if model.__name__ in exclude:
            continue
        uid = f"publiccache:{model._meta.label}"
        post_save.connect(data_changed, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                data_changed, sender=through, dispatch_uid=f"{uid}:{field.name}", weak=False
            )


def _page_key(request: HttpRequest) -> str:
    raw = "|".join((request.get_host(), translation.get_language() or "", request.get_full_path()))
    return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _anonymous_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def same_for_everyone(
    request: HttpRequest, response: HttpResponse, *, holes: bool, csrf_cookie: bool = False
) -> bool:
    """A CSRF token is allowed only on pages that ask for holes (refilled per visitor).

    ``csrf_cookie``: the view may have set the CSRF cookie itself (a ``csrf_protect`` view
    does on render); refilling the holes sets it again for each visitor.
    """
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    cookies = set(response.cookies) - ({settings.CSRF_COOKIE_NAME} if csrf_cookie else set())
    return (
        response.status_code == 200
        and not response.streaming
        and not cookies
        and (holes or not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        and not getattr(messages, "_queued_messages", None)
        and not (session is not None and session.modified)
    )


ACCEPTS_GZIP = re.compile(r"\bgzip\b")
GZIP_MIN_BYTES = 1024  # smaller pages gain nothing worth a header
# Set per answer by _finish (as are cookies, which are no header): not kept with the page.
# Cache-Control and Vary are kept as the view and the inner middleware left them: _finish
# only adds to them, on the first answer as on every other.
PER_ANSWER_HEADERS = frozenset(("etag", "last-modified", "content-encoding", "content-length"))
# What a 304 leaves out of the headers of the page.
BODY_HEADERS = frozenset(
    ("content-type", "content-length", "content-encoding", "content-disposition")
)


def _gzipped(content: bytes, holes: bool) -> bytes | None:
    """The page compressed once, when it is stored, or None. Never a page with holes: a
    compressed page carrying a secret (a CSRF token) would open it to BREACH."""
    if holes or len(content) < GZIP_MIN_BYTES:
        return None
    compressed = compress_string(content)
    return compressed if len(compressed) < len(content) else None


def _finish(request: HttpRequest, response: HttpResponse, entry: dict) -> HttpResponse:
    """What every answer from the cache gets, the first one too."""
    # Logged-in visitors see other content at the same address: caches must ask us again.
    patch_vary_headers(response, ("Cookie",))
    if entry["holes"]:  # a form with this visitor's own tokens: nobody keeps it
        add_never_cache_headers(response)
        response["Content-Length"] = str(len(response.content))
        return response
    patch_cache_control(response, no_cache=True)
    if entry["variants"]:
        patch_vary_headers(response, ("Accept-Encoding",))
    if entry["gzip"]:
        # Stored compressed, sent as it is (GZipMiddleware would compress every time).
        response.content = entry["content"]
        response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(response.content))
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["modified"])
    answer = get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["modified"], response=response
    )
    if answer is not response:  # a 304 carries what every answer does (X-Frame-Options, CSP…)
        for name, value in response.items():
            if name.lower() not in BODY_HEADERS and name not in answer:
                answer[name] = value
    return answer


def _input(name: str) -> re.Pattern:
    return re.compile(rb'(name="' + re.escape(name.encode()) + rb'" value=")([^"]*)(")')


CSRF_INPUT = _input("csrfmiddlewaretoken")


def _hole(name: str) -> bytes:
    return f"\x00b40-hole:{name}\x00".encode()  # a NUL never comes out of a template


def punch_holes(
    request: HttpRequest, content: bytes, fresh: dict, *, csrf: bool | None = None
) -> bytes | None:
    """The page with its per-visitor hidden values replaced by holes, or None if it has a
    CSRF token anywhere but in the hidden inputs we know how to refill.

    ``csrf``: whether the page used the CSRF token; by default, whether the request still
    has to set the CSRF cookie (true after ``get_token`` until a ``csrf_protect`` view sets it).
    """
    for name in fresh:
        content = _input(name).sub(rb"\1" + _hole(name) + rb"\3", content)
    if csrf is None:
        csrf = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
    if csrf:
        secret = request.META.get("CSRF_COOKIE", "")
        values = [m.group(2).decode() for m in CSRF_INPUT.finditer(content)]
        if not values or any(_unmask_cipher_token(v) != secret for v in values):
            return None
        content = CSRF_INPUT.sub(rb"\1" + _hole("csrf") + rb"\3", content)
        if secret.encode() in content:
            return None
    return content


def fill_holes(request: HttpRequest, content: bytes, fresh: dict) -> bytes:
    if _hole("csrf") in content:
        content = content.replace(_hole("csrf"), get_token(request).encode())
    for name, make in fresh.items():
        content = content.replace(_hole(name), escape(make()).encode())
    return content


def current_version(found: dict, key: str = VERSION_KEY) -> str:
    """The data version under ``key`` as read by ``get_many``; a new one if none is set."""
    version = found.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, timeout=None):
            version = cache.get(key)
    return version


def kept_per_version(load: Callable[[], T]) -> Callable[[], T]:
    """``load()``'s answer kept in this process for as long as the data version stands (any
    write to a watched model ends it): for small tables read on every request. The version
    is read before the rows, so a write meanwhile leaves the copy unused. Without a version
    (the cache down) or with the cache off, the rows are read each time."""
    kept: tuple[str, T] | None = None

    @wraps(load)
    def get() -> T:
        nonlocal kept
        if seconds() <= 0:
            return load()
        version = current_version(cache.get_many([VERSION_KEY]))
        if version is None:
            return load()
        if kept is None or kept[0] != version:
            kept = (version, load())  # one assignment: a thread sees an old pair or a new one
        return kept[1]

    return get


def _rendered(result) -> tuple[str, datetime.datetime | None]:
    """A fragment's render: its HTML, and when it stops being true by the clock (or None)."""
    html, changes_at = result if isinstance(result, tuple) else (result, None)
    return str(html), changes_at


def cached_fragment(
    request: HttpRequest,
    *,
    name: str,
    parts: tuple,
    render: Callable[[str], str | tuple[str, datetime.datetime | None]],
) -> SafeString:
    """The HTML of a part of a logged-in page, kept under the data version: never stale.

    ``parts`` must name everything the part depends on besides our models' rows (e.g. the
    city, the user and their role, the day); the language is added here. ``render`` gets
    the CSRF token to put in its forms: on a miss it is a hole, stored as such, and every
    answer fills it with this visitor's own token. It returns the HTML, or the HTML and the
    moment it stops being true by the clock alone (a deadline it shows), when it is rendered
    again. A write to any watched model makes every stored part out of date at once, as
    for the public pages.
    """
    if seconds() <= 0:
        html, _changes_at = _rendered(render(get_token(request)))
        return mark_safe(html)  # noqa: S308  # nosec B308, B703
    hole = _hole("csrf").decode()
    raw = "|".join((name, translation.get_language() or "", *(str(part) for part in parts)))
    key = FRAGMENT_PREFIX + hashlib.sha256(raw.encode()).hexdigest()
    found = cache.get_many([VERSION_KEY, key])
    version = current_version(found)
    entry = found.get(key)
    now = time.time()
    if entry is not None and entry["version"] == version and now < entry["until"]:
        html = entry["html"]
    else:
        # The version was read before the rows: a write meanwhile leaves this entry unused.
        html, changes_at = _rendered(render(hole))
        until = now + seconds()
        if changes_at is not None:
            until = min(until, changes_at.timestamp())
        if until > now:
            timeout = math.ceil(until - now)
            cache.set(key, {"version": version, "html": html, "until": until}, timeout=timeout)
    if hole in html:
        html = html.replace(hole, get_token(request))
    return mark_safe(html)  # noqa: S308  # nosec B308, B703


def _cached_view(view: Callable, fresh: dict | None = None) -> Callable:
    fresh = fresh or {}

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not getattr(request, "_public_page", False):  # no PublicPageMiddleware: uncached
            return response
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response = response.render()
        if not same_for_everyone(request, response, holes=bool(fresh)):
            return response
        content = response.content
        holes = bool(fresh) or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        if holes:
            content = punch_holes(request, content, fresh)
            if content is None:
                return response
        # The middleware completes it with the headers and stores it (the version it read
        # before the view read the rows: a write meanwhile leaves this entry unused).
        response._public_page = {
            "content": content,
            "holes": holes,
            "modified": int(timezone.now().timestamp()),  # HTTP dates have whole seconds
        }
        return response

    wrapper.public_page = fresh  # what PublicPageMiddleware refills on a hit
    return wrapper


def public_page(view=None, *, fresh_inputs: dict[str, Callable[[], str]] | None = None):
    """Cache a public view (a function or a class-based view) for anonymous visitors.

    ``fresh_inputs`` names hidden inputs that get a new value on every answer (e.g. a signed
    form token); with it, a form page is cached too: its CSRF token and those inputs are
    refilled for each visitor, and such a page carries no ETag. The view decides what may be
    kept; ``PublicPageMiddleware`` looks it up and stores it.
    """

    def decorate(view):
        decorator = partial(_cached_view, fresh=fresh_inputs)
        if isinstance(view, type):
            return method_decorator(decorator, name="dispatch")(view)
        return decorator(view)

    return decorate(view) if view is not None else decorate


@lru_cache(maxsize=4096)
def _public_view(urlconf: str, path: str) -> dict | None:
    """The fresh inputs of the public page at ``path`` (``{}`` if none), or None if the path
    is no public page: only those pay a look-up (never ``/healthz``)."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "public_page", None)


@receiver(setting_changed)
def _forget_urls(*, setting: str, **_kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _public_view.cache_clear()


def _entries(prepared: dict, *, version: str, headers: list) -> tuple[dict, dict]:
    """The page as stored: plain, and as sent to browsers that accept gzip (the plain entry
    again when it is not compressed)."""
    content, holes = prepared["content"], prepared["holes"]
    compressed = _gzipped(content, holes)
    plain = {
        "version": version,
        "etag": None if holes else f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"',
        "modified": prepared["modified"],
        "headers": headers,
        "content": content,
        "holes": holes,
        "gzip": False,  # this content is compressed
        "variants": compressed is not None,  # a compressed copy exists: Vary: Accept-Encoding
    }
    if compressed is None:
        return plain, plain
    # The same page, another encoding: a weak ETag (as GZipMiddleware says).
    packed = {**plain, "content": compressed, "gzip": True, "etag": f"W/{plain['etag']}"}
    return plain, packed


class PublicPageMiddleware:
    """Answers an anonymous GET of a public page from the cache, before the rest of the
    middleware runs (sessions, users, messages… have nothing to say to such a visitor).

    Put it right after WhiteNoise. On a miss the view renders as usual, the ``public_page``
    decorator says what may be kept, and it is stored here with the headers every inner
    middleware added (language, Vary, X-Frame-Options, the CSP), to be sent as they are.
    """

    def __init__(self, get_response: Callable):
        self.get_response = get_response
        # The language as LocaleMiddleware picks it (it does again, harmlessly, on a miss);
        # the CSRF token and cookie of a page with holes as CsrfViewMiddleware gives them.
        self.locale = LocaleMiddleware(get_response)
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if seconds() <= 0 or not _anonymous_request(request):
            return self.get_response(request)
        fresh = _public_view(settings.ROOT_URLCONF, request.path_info)
        if fresh is None:
            return self.get_response(request)
        self.locale.process_request(request)
        key = _page_key(request)  # DisallowedHost for a bad Host: a 400, as anywhere
        gzip_ok = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        wanted = key + GZIP_SUFFIX if gzip_ok else key
        found = cache.get_many([VERSION_KEY, wanted])
        version = current_version(found)
        entry = found.get(wanted)
        if entry is not None and entry["version"] == version:
            return self._answer(request, entry, fresh)

        request._public_page = True  # the decorator prepares what may be stored
        response = self.get_response(request)
        prepared = getattr(response, "_public_page", None)
        if prepared is None or not self._storable(request, response, holes=prepared["holes"]):
            return response
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in PER_ANSWER_HEADERS
        ]
        plain, packed = _entries(prepared, version=version, headers=headers)
        cache.set_many({key: plain, key + GZIP_SUFFIX: packed}, timeout=seconds())
        return _finish(request, response, packed if gzip_ok else plain)

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse, *, holes: bool) -> bool:
        # What an inner middleware did after the view: a cookie (but the CSRF one of a page
        # with holes), or a CSP nonce that every visitor would then share; and a body already
        # encoded by someone else, which we would not know how to send.
        allowed = {settings.CSRF_COOKIE_NAME} if holes else set()
        return (
            response.status_code == 200
            and set(response.cookies) <= allowed
            and getattr(request, "_csp_nonce", None) is None
            and not response.has_header("Content-Encoding")
        )

    def _answer(self, request: HttpRequest, entry: dict, fresh: dict) -> HttpResponse:
        content = entry["content"]
        if entry["holes"]:
            self.csrf.process_request(request)
            content = fill_holes(request, content, fresh)
        response = HttpResponse(content)
        for name, value in entry["headers"]:
            response[name] = value
        if entry["holes"]:
            response = self.csrf.process_response(request, response)  # the cookie, if due
        return _finish(request, response, entry)
