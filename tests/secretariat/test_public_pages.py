"""Every public page renders, in the site's layout, with constant queries."""

import pytest
from django.urls import reverse

from members.models import City
from tests.factories import CityFactory

PUBLIC_PAGES = [
    ("secretariat:home", {}),
    ("secretariat:about", {}),
    ("secretariat:declaration", {}),
    ("secretariat:city-list", {}),
    ("secretariat:city-detail", {"slug": "durres"}),
    ("workinggroups:group-list", {}),
    ("workinggroups:group-detail", {"slug": "local-climate-action"}),
    ("presidency:timeline", {}),
    ("presidency:summit-detail", {"year": 2021}),
    ("login", {}),
    ("password_reset", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_public_page_renders(client, db, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!doctype html>")
    assert '<main id="main"' in html
    assert 'lang="en"' in html


def test_home_shows_motto_principles_and_numbers(client, db):
    html = client.get(reverse("secretariat:home")).content.decode()
    assert "Better cooperation – better future" in html
    assert "one city, one vote" in html
    assert '<p class="stat mb-0">25</p>' in html
    assert '<p class="stat mb-0">11</p>' in html


def test_city_list_groups_by_country_and_finds_without_diacritics(client, db):
    response = client.get(reverse("secretariat:city-list"), {"q": "durres"})
    html = response.content.decode()
    assert "Durrës" in html
    assert "Tirana" not in html
    assert response.context["total"] == 1


def test_city_page_shows_founding_and_membership(client, db):
    html = client.get(reverse("secretariat:city-detail", kwargs={"slug": "pristina"})).content
    html = html.decode()
    assert "Pristina" in html and "Kosovo" in html
    assert "a delegate of the municipality" in html


def test_unknown_city_is_404(client, db):
    assert client.get("/cities/atlantis/").status_code == 404


def test_member_list_queries_do_not_grow_with_cities(client, db, django_assert_num_queries):
    url = reverse("secretariat:city-list")
    # a page of cities, their count, the former members; the map: its cities, the presiding
    with django_assert_num_queries(5) as small:
        client.get(url)
    serbia = City.objects.get(slug="belgrade").country
    CityFactory.create_batch(475, country=serbia)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["total"] == 500


def test_markup_in_search_is_escaped(client, db):
    html = client.get(reverse("secretariat:city-list"), {"q": "<script>x</script>"}).content
    assert b"<script>x</script>" not in html


def test_dashboard_needs_login(client, db):
    response = client.get(reverse("secretariat:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_shows_the_users_own_city(mayor_client):
    response = mayor_client.get(reverse("secretariat:dashboard"))
    assert response.status_code == 200
    assert response.context["city"].slug == "tirana"


def test_language_links_switch_and_return_to_the_same_page(client, db):
    html = client.get("/cities/").content.decode()
    assert 'href="/language/tr/?next=/cities/"' in html
    response = client.get("/language/tr/", {"next": "/cities/?q=durres"})
    assert response.status_code == 302
    assert response["Location"] == "/cities/?q=durres"
    assert response.cookies["django_language"].value == "tr"


def test_language_switch_refuses_an_outside_redirect_and_an_unknown_language(client, db):
    response = client.get("/language/bg/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get("/language/xx/").status_code == 404


def test_anonymous_public_pages_carry_no_csrf_token(client, db):
    for url in ["/", "/cities/", "/cities/durres/", "/about/"]:
        assert b"csrfmiddlewaretoken" not in client.get(url).content, url


def test_member_list_comes_in_pages_that_keep_the_search(client, db, settings):
    from secretariat.views import public

    settings.PUBLIC_CACHE_SECONDS = 0
    first = client.get("/cities/")
    assert first.context["total"] == 25
    assert not first.context["page_obj"].has_other_pages()
    public.CITIES_PER_PAGE, saved = 10, public.CITIES_PER_PAGE
    try:
        page = client.get("/cities/?page=2")
        found = client.get("/cities/?q=a&page=2")
    finally:
        public.CITIES_PER_PAGE = saved
    assert sum(len(cities) for _, cities in page.context["countries"]) == 10
    assert page.context["total"] == 25
    assert "?page=1" in page.content.decode()
    assert "?page=3" in page.content.decode()
    assert "?q=a&amp;page=1" in found.content.decode()
