"""Every URL pattern of the portal with hostile values in each of its parameters
(RELIABILITY 27): NUL, "%00", a name that grows when transliterated, CJK, combining marks,
"../", very long values and numbers past any integer column. Whatever comes back, it is
never a 5xx: a visitor, a mayor and the secretariat (the admin included) walk them all.

The walk reads the resolver, so a new URL is walked the day it is added. These matter
most on PostgreSQL (CI's second run), which refuses what SQLite forgives: a NUL byte in
a string, a value longer than its column.
"""

import re
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern

from members.models import City
from tests.factories import CityUserFactory, SecretariatUserFactory

# Each is put into the path percent-encoded, as a browser would send it; a value the
# parameter's converter refuses is not sent (the resolver answers 404 without a view).
HOSTILE = [
    "\x00",
    "a\x00b",
    "%00",  # the three characters, not a NUL (it arrives as %2500)
    "\x01\x1b\x7f",
    "Щ" * 200,  # folds to 800 Latin letters
    "北京市朝阳区" * 40,
    "e\u0301\u0308" * 60,
    "../../etc/passwd",
    "x" * 3000,
    "9" * 30,  # past bigint
]
# The admin's pages of every model share Django's code for their ids: the kinds of value
# that take different paths there (a NUL, not a number, "%00", past bigint, a path).
ADMIN_HOSTILE = ["\x00", "%00", "Щ" * 200, "9" * 30, "../../etc/passwd"]
# What a parameter holds while another one is hostile: a plain value every converter takes.
PLAIN = "1"
GROUP = re.compile(r"<(?:\w+:)?(\w+)>")


def route_of(pattern) -> str:
    """A pattern as a path template: ``summits/<year>/`` for routes and regexes alike."""
    text = str(pattern)
    if not isinstance(pattern, RegexPattern):
        return text
    # A regex (the admin's, django-simple-history's): its capturing groups become <names>.
    out, depth, start, count, i = [], 0, None, 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            if depth == 0:
                out.append(text[i + 1])
            i += 2
            continue
        if char == "(":
            if depth == 0:
                start = i
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                group = text[start : i + 1]
                named = re.match(r"\(\?P<(\w+)>", group)
                count += 1
                out.append(f"<{named.group(1) if named else f'g{count}'}>")
        elif depth == 0 and char not in "^$":
            out.append(char)
        i += 1
    return "".join(out)


def walk(patterns, prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + route_of(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + route_of(entry.pattern)


def every_route() -> list[str]:
    return sorted(set(walk(get_resolver().url_patterns)))


def hostile_paths(route: str) -> Iterator[str]:
    """The route with each hostile value in each parameter in turn (the others plain), as
    far as the resolver takes it to a view."""
    names = GROUP.findall(route)
    for name in names:
        for value in ADMIN_HOSTILE if route.startswith("admin/") else HOSTILE:

            def fill(match, name=name, value=value):
                return value if match.group(1) == name else PLAIN

            path = "/" + GROUP.sub(fill, route)
            if route.startswith("static/"):  # WhiteNoise's, not the resolver's
                yield quote(path)
                continue
            try:
                resolve(path)
            except Resolver404:
                continue
            yield quote(path)


def plain_path(route: str) -> str:
    return "/" + GROUP.sub(PLAIN, route)


HOSTILE_QUERY = urlencode(
    {
        "q": "Щ" * 200,
        "page": "9" * 30,
        "p": "-1",
        "o": "1.-9.x",
        "next": "//evil.example/%2e%2e",
        "e": "北京" * 100,
        "all": "\x01\u0301",
        "status__exact": "x" * 3000,
    }
)
NUL_QUERY = urlencode({"q": "a\x00b", "status__exact": "\x00"})
HOSTILE_BODY = {"q": "Щ" * 200, "name": "北" * 3000, "city_name": "Щ" * 30, "x": "e\u0301" * 99}
NUL_BODY = {"q": "\x00", "name": "a\x00b", "username": "\x00", "email": "a\x00@b.example"}


@pytest.fixture
def clients(db):
    """A visitor, the mayor of Tirana and the secretariat (no second factor in tests)."""
    # A 500 is an answer to count, not an exception to stop at.
    visitor, mayor, staff = (Client(raise_request_exception=False) for _ in range(3))
    mayor.force_login(CityUserFactory(city=City.objects.get(slug="tirana")))
    staff.force_login(SecretariatUserFactory())
    return {"visitor": visitor, "mayor": mayor, "staff": staff}


def every_route_and_static() -> list[str]:
    return [*every_route(), "static/<path:path>"]


def test_the_walk_finds_the_routes_we_know():
    routes = every_route()
    assert "apply/status/<str:token>/" in routes
    assert "admin/members/city/<path:object_id>/change/" in routes
    assert "admin/members/city/<g1>/history/<g2>/" in routes  # a regex: django-simple-history's
    assert "admin/<app_label>/" in routes
    assert len(routes) > 250  # the admin's pages of every model
    paths = list(hostile_paths("presidency/candidacies/<int:pk>/<str:action>/"))
    assert "/presidency/candidacies/999999999999999999999999999999/1/" in paths
    assert "/presidency/candidacies/1/a%00b/" in paths
    assert "/presidency/candidacies/%00/1/" not in paths  # not an int: the resolver's 404


def requests_for(route: str) -> Iterator[tuple[str, str, dict | None]]:
    """(method, path, body): hostile path values with a hostile query string, then the plain
    path with NUL in the query string and hostile bodies."""
    for path in hostile_paths(route):
        yield "get", f"{path}?{HOSTILE_QUERY}", None
    plain = quote(plain_path(route))
    yield "get", f"{plain}?{NUL_QUERY}", None
    yield "post", plain, HOSTILE_BODY
    yield "post", plain, NUL_BODY


@pytest.mark.parametrize("route", every_route_and_static())
def test_no_hostile_value_in_any_parameter_gives_a_server_error(clients, route):
    failures = []
    for who, client in clients.items():
        if who != "staff" and route.startswith("admin/") and route != "admin/login/":
            continue  # the admin sends everyone else to its login page: staff walk it
        for method, path, body in requests_for(route):
            response = getattr(client, method)(path, body)
            if response.status_code >= 500:
                failures.append((who, method, path[:120], response.status_code))
    assert failures == []
