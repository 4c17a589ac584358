"""The network's map on the public pages: every member city a named link, drawn on the server."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from members.enums import CityStatus
from members.models import City
from presidency.models import Mandate
from tests.factories import CityFactory, GroupMembershipFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

DOT = re.compile(r'<a href="([^"]+)" class="map-city map-city--(\w+)[^"]*" aria-label="([^"]+)">')


def dots(html: str) -> dict[str, tuple[str, str]]:
    """href -> (kind, accessible name) of every dot on the page."""
    return {href: (kind, name) for href, kind, name in DOT.findall(html)}


def test_the_home_page_shows_every_founder_as_a_named_link(client):
    html = client.get(reverse("secretariat:home")).content.decode()
    found = dots(html)
    assert len(found) == 25
    assert found["/cities/kirklareli/"] == ("founder", "Kırklareli, founding member")
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="network-map"') == 1
    assert " style=" not in html and "<style" not in html  # the CSP forbids inline styles
    assert "http" not in html.split('class="network-map"')[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )  # nothing fetched from anywhere


def test_the_presiding_and_new_cities_are_marked_and_named_former_members_not_shown(client):
    year = timezone.localdate().year
    Mandate.objects.create(year=year, city=City.objects.get(slug="skopje"))
    CityFactory(
        name="Ohrid",
        slug="ohrid",
        country=City.objects.get(slug="skopje").country,
        joined_on=timezone.localdate() - datetime.timedelta(days=30),
        latitude=Decimal("41.11722"),
        longitude=Decimal("20.80194"),
    )
    CityFactory(name="Old member", slug="old", joined_on=datetime.date(2022, 11, 1))  # no coords
    City.objects.filter(slug="pula").update(
        status=CityStatus.WITHDRAWN, left_on=datetime.date(2025, 1, 1), withdrawal_reason="Left"
    )
    html = client.get(reverse("secretariat:home")).content.decode()
    found = dots(html)
    assert found["/cities/skopje/"] == ("highlight", "Skopje, presiding city")
    assert found["/cities/ohrid/"] == ("new", "Ohrid, new member")
    assert "/cities/pula/" not in found and "/cities/old/" not in found
    assert len(found) == 25  # 24 founders left + Ohrid
    labels = html.split('<g class="map-labels">')[1].split("</g>")[0]
    assert ">Skopje</text>" in labels and ">Ohrid</text>" in labels
    assert ">Athens</text>" not in labels  # the others on hover or focus only


def test_the_member_cities_page_keeps_its_list_and_links_its_data(client):
    html = client.get(reverse("secretariat:city-list")).content.decode()
    assert len(dots(html)) == 25
    assert 'href="/cities/durres/">Durrës</a>' in html  # the list stays
    for name in ("api:city-list", "api:city-csv", "api:docs"):
        assert f'href="{reverse(name)}"' in html
    # A search narrows the list, not the map: no map then.
    assert not dots(client.get(reverse("secretariat:city-list"), {"q": "dur"}).content.decode())


def test_the_presidency_page_links_its_data(client):
    html = client.get(reverse("presidency:timeline")).content.decode()
    for name in ("api:mandate-list", "api:mandate-csv", "api:summit-list"):
        assert f'href="{reverse(name)}"' in html


def test_a_working_group_page_maps_its_member_cities_only(client):
    group = WorkingGroupFactory()
    for slug in ("athens", "split"):
        GroupMembershipFactory(group=group, city=City.objects.get(slug=slug))
    html = client.get(group.get_absolute_url()).content.decode()
    assert set(dots(html)) == {"/cities/athens/", "/cities/split/"}


def test_the_home_page_queries_do_not_grow_with_the_cities(client):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("secretariat:home")).status_code == 200
        return len(queries)

    before = count()
    for n in range(30):
        CityFactory(latitude=Decimal("42.0") + Decimal(n) / 10, longitude=Decimal("22.0"))
    assert count() == before
    assert before <= 7  # the page's own (numbers, mandate, summit, meetings, news), the map


def test_the_pages_stylesheet_paints_each_kind_of_dot_as_the_pdf_does():
    """In a page the dots' colours come from b40.css (a fifth of the bytes at 1,000 cities);
    in the PDF from attributes. Both read the same colours."""
    from pathlib import Path

    from common import maps

    css = (Path(__file__).resolve().parents[2] / "static/css/b40.css").read_text()
    for kind, (fill, _radius) in maps.LOOKS.items():
        assert f".network-map .map-city--{kind} .map-dot {{ fill: {fill}; }}" in css
    assert f"stroke: {maps.STROKE};" in css
