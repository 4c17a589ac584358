"""The public pages' cache (common/publicpages.py): kept for anonymous visitors, never stale."""

import gzip
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common import publicpages
from secretariat.models import Application
from tests.factories import CityFactory
from tests.secretariat.test_applications_views import form_data

CITIES = "/cities/"


@pytest.fixture
def kept(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def test_a_public_page_is_answered_from_the_cache_the_second_time(client, db, kept):
    first, _ = _queries(client, CITIES)
    again, queries = _queries(client, CITIES)
    assert first.status_code == again.status_code == 200
    assert queries == 0
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_write_to_any_model_of_ours_shows_at_once(client, db, kept):
    client.get(CITIES)
    CityFactory(name="Novigrad")
    response, queries = _queries(client, CITIES)
    assert "Novigrad" in response.content.decode()
    assert queries > 0


def test_a_write_bumps_the_version_again_when_it_commits(db, django_capture_on_commit_callbacks):
    # A page another visitor renders before the commit, from the old rows, is not kept.
    with django_capture_on_commit_callbacks() as callbacks:
        CityFactory()
    before = cache.get(publicpages.VERSION_KEY)
    for callback in callbacks:
        callback()
    assert cache.get(publicpages.VERSION_KEY) != before


def test_a_write_outside_our_apps_keeps_the_pages(client, db, kept):
    client.get(CITIES)
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    _response, queries = _queries(client, CITIES)
    assert queries == 0


def test_a_matching_etag_gets_304_with_the_security_headers(client, db, kept):
    etag = client.get(CITIES)["ETag"]
    response = client.get(CITIES, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_every_answer_carries_the_security_headers_and_vary(client, db, kept):
    client.get(CITIES)
    response = client.get(CITIES)
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "Cookie" in response["Vary"]
    assert response["Cache-Control"] == "no-cache"


def test_a_browser_that_takes_gzip_gets_the_page_compressed_once(client, db, kept):
    plain = client.get(CITIES).content
    response = client.get(CITIES, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain
    assert response["ETag"].startswith('W/"')
    assert "Accept-Encoding" in response["Vary"]
    # The page is kept compressed only; a client without gzip gets it decompressed, whole.
    again = client.get(CITIES)
    assert again.content == plain and not again.has_header("Content-Encoding")
    assert not again["ETag"].startswith("W/")


def test_each_language_is_kept_apart(client, db, kept):
    english = client.get(CITIES, HTTP_ACCEPT_LANGUAGE="en").content
    bulgarian = client.get(CITIES, HTTP_ACCEPT_LANGUAGE="bg").content
    assert english != bulgarian
    assert client.get(CITIES, HTTP_ACCEPT_LANGUAGE="en").content == english


def test_a_logged_in_visitor_is_never_answered_from_the_cache(client, mayor, kept):
    client.get(CITIES)
    client.force_login(mayor)
    response, queries = _queries(client, CITIES)
    assert queries > 0
    assert reverse("secretariat:dashboard") in response.content.decode()


def test_a_form_page_is_kept_with_each_visitors_own_tokens(db, kept, settings):
    settings.APPLICATION_MIN_FILL_SECONDS = 0
    url = reverse("secretariat:application-create")
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        page = visitor.get(url)
    assert len(queries) == 0  # from the cache
    html = page.content.decode()
    assert "b40-hole" not in html
    assert "no-store" in page["Cache-Control"] and "Content-Encoding" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form_token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    other = Client().get(url).content.decode()
    assert form_token not in other  # every visitor's form has its own submission key
    data = {**form_data(city_name="Cachegrad"), "csrfmiddlewaretoken": token}
    data["form_token"] = form_token
    assert visitor.post(url, data).status_code == 302  # the CSRF check passes
    assert Application.objects.filter(city_name="Cachegrad").exists()


def test_a_page_not_marked_public_is_not_kept(client, db, kept):
    client.get("/readyz")
    _response, queries = _queries(client, "/readyz")
    assert queries > 0


def test_nothing_is_kept_when_the_setting_says_zero(client, db, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    client.get(CITIES)
    _response, queries = _queries(client, CITIES)
    assert queries > 0


def test_only_the_project_apps_are_watched():
    apps = publicpages.project_apps()
    assert {"members", "presidency", "workinggroups", "secretariat", "reports", "outbox"} <= apps
    assert not {"sessions", "auth", "axes", "admin", "django_celery_beat"} & apps
