"""Every page of the site parses as valid HTML and keeps the accessibility basics: a
language, one main landmark, one h1, labelled form fields, unique ids, images with alt."""

import io

import html5lib
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

PUBLIC = [
    "/",
    "/about/",
    "/declaration/",
    "/cities/",
    "/cities/tirana/",
    "/working-groups/",
    "/working-groups/local-climate-action/",
    "/presidency/",
    "/presidency/summits/2025/",
    "/presidency/summits/2026/",
    "/apply/",
    "/news/",
    "/recommendations/",
    "/reports/",
    "/reports/2025/",
    "/accounts/login/",
    "/accounts/password_reset/",
]
CITY = [
    "/my-city/",
    "/my-city/people/add/",
    "/presidency/summits/2026/candidacy/",
    "/presidency/summits/2026/propose/",
    "/presidency/summits/2026/delegation/",
    "/working-groups/extra-session/",
]
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo network, loaded once for the module inside a transaction rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def check_page(html: bytes, url: str) -> None:
    parser = html5lib.HTMLParser(strict=False)
    tree = parser.parse(html)
    assert parser.errors == [], (url, parser.errors[:5])
    assert tree.get("lang"), url
    assert len(tree.findall(f".//{NS}main")) == 1, url
    assert len(tree.findall(f".//{NS}h1")) == 1, url
    ids = [el.get("id") for el in tree.iter() if el.get("id")]
    assert len(ids) == len(set(ids)), (url, sorted({i for i in ids if ids.count(i) > 1}))
    labelled = {el.get("for") for el in tree.iter(f"{NS}label")}
    for field in [*tree.iter(f"{NS}input"), *tree.iter(f"{NS}select"), *tree.iter(f"{NS}textarea")]:
        if field.get("type") in ("hidden", "submit", "button") or field.get("tabindex") == "-1":
            continue
        assert (
            field.get("id") in labelled or field.get("aria-label") or field.get("aria-labelledby")
        ), (url, field.get("name"))
    for image in tree.iter(f"{NS}img"):
        assert image.get("alt") is not None, url


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC)
def test_public_page_is_valid_and_accessible(demo, url):
    response = Client().get(url)
    assert response.status_code == 200, url
    check_page(response.content, url)


@pytest.mark.django_db
@pytest.mark.parametrize("url", CITY)
def test_city_page_is_valid_and_accessible(demo, url):
    from members.models import User

    client = Client()
    client.force_login(User.objects.get(username="mayor.tirana"))
    response = client.get(url)
    assert response.status_code == 200, url
    check_page(response.content, url)
