"""The public pages' cache: served to anonymous visitors, never stale, never personal."""

import pytest
from django.contrib.messages import add_message, constants
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from django.views.decorators.cache import cache_control

from members import publiccache
from members.enums import PersonRole
from members.models import City, Country, Person
from secretariat.enums.applications import ApplicationState as S
from secretariat.models import Announcement, Application
from secretariat.services import applications as application_services
from tests.factories import (
    AnnouncementFactory,
    ApplicationFactory,
    CityFactory,
    SecretariatUserFactory,
)
from tests.factories.applications import SummitFactory


def _version() -> str | None:
    return cache.get(publiccache.VERSION_KEY)


def test_public_page_is_served_from_the_cache_without_queries(
    db, client, django_assert_num_queries
):
    first = client.get("/cities/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get("/cities/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "no-cache" in second["Cache-Control"]


def test_conditional_request_gets_304(db, client):
    page = client.get("/cities/")
    assert client.get("/cities/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    since = page["Last-Modified"]
    assert client.get("/cities/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    assert client.get("/cities/", HTTP_IF_NONE_MATCH='"other"').status_code == 200
    not_modified = client.get("/cities/", HTTP_IF_NONE_MATCH=page["ETag"])
    for header in ("Content-Security-Policy", "X-Frame-Options", "Vary", "Content-Language"):
        assert not_modified[header] == page[header]  # RELIABILITY 2: every answer
    assert "Content-Type" not in not_modified and not not_modified.content


def test_admission_shows_the_new_city_at_once(db, client, django_capture_on_commit_callbacks):
    assert "Novo Mesto Admitted" not in client.get("/cities/").content.decode()
    application = ApplicationFactory(city_name="Novo Mesto Admitted")
    staff = SecretariatUserFactory()
    summit = SummitFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for step in (S.UNDER_REVIEW, S.PROPOSED, S.ADMITTED):
            application_services.transition_application(
                application=application, to_state=step, by=staff, summit=summit
            )
    assert "Novo Mesto Admitted" in client.get("/cities/").content.decode()


def test_edit_of_a_city_or_its_people_refreshes_its_pages(db, client):
    city = City.objects.get(slug="tirana")
    assert "Tirana" in client.get("/cities/").content.decode()
    client.get(city.get_absolute_url())
    city.name = "Tiranë Renamed"
    city.save()
    assert "Tiranë Renamed" in client.get("/cities/").content.decode()
    Person.objects.create(city=city, role=PersonRole.MAYOR, name="Elira Newmayor")
    assert "Elira Newmayor" in client.get(city.get_absolute_url()).content.decode()


def test_deletion_and_many_to_many_changes_bump_the_version(db):
    city = CityFactory()
    before = _version()
    city.delete()
    after_delete = _version()
    assert after_delete != before
    announcement = AnnouncementFactory()
    assert isinstance(announcement, Announcement)
    bumped = _version()
    announcement.cities.add(City.objects.get(slug="tirana"))
    assert _version() != bumped


def test_write_bumps_again_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        CityFactory()
    at_write = _version()
    for callback in callbacks:
        callback()
    assert _version() != at_write


def test_logged_in_visitor_never_gets_nor_leaves_a_cached_page(db, mayor_client):
    visitor = Client()
    anonymous = visitor.get("/").content
    personal = mayor_client.get("/").content
    assert personal != anonymous
    assert b"csrfmiddlewaretoken" in personal  # the log-out form: not for anyone else
    assert b"csrfmiddlewaretoken" not in anonymous
    assert visitor.get("/").content == anonymous


def test_pages_are_kept_per_language(db, client):
    english = client.get("/about/")
    client.cookies["django_language"] = "bg"
    bulgarian = client.get("/about/")
    assert english.content != bulgarian.content
    assert b'lang="bg"' in bulgarian.content


def test_query_string_is_part_of_the_key(db, client):
    everyone = client.get("/cities/").content.decode()
    found = client.get("/cities/?q=tirana").content.decode()
    assert found != everyone
    assert "Skopje" in everyone
    assert "Skopje" not in found


# A few views of this module's own, at addresses of their own (``pytest.mark.urls``).
CALLS: list = []


@publiccache.public_page
def personal_view(request, kind):
    CALLS.append(request)
    response = HttpResponse("hello")
    if kind == "csrf":
        get_token(request)
    elif kind == "cookie":
        response.set_cookie("choice", "1")
    elif kind == "message":
        add_message(request, constants.INFO, "saved")
    elif kind == "session":
        request.session["seen"] = True
    elif kind == "error":
        response.status_code = 404
    return response


@publiccache.public_page(fresh_inputs={"form_token": lambda: "new"})
def token_in_a_meta_tag_view(request):
    return HttpResponse(f'<meta name="csrf" content="{get_token(request)}">')


@publiccache.public_page
@cache_control(max_age=60)
def kept_a_minute_view(request):
    return HttpResponse("x" * 2000)


@publiccache.public_page
def nonce_view(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}" src="/s.js"></script>')


@publiccache.public_page
def already_compressed_view(request):
    import gzip

    response = HttpResponse(gzip.compress(b"x" * 2000))
    response["Content-Encoding"] = "gzip"
    return response


urlpatterns = [
    path("somewhere/<str:kind>/", personal_view),
    path("compressed/", already_compressed_view),
    path("nonce/", nonce_view),
    path("a-minute/", kept_a_minute_view),
    path("form/", token_in_a_meta_tag_view),
]


def _stored(path: str) -> bool:
    request = RequestFactory().get(path)
    with translation.override("en"):
        return cache.get(publiccache._page_key(request)) is not None


@pytest.fixture
def calls():
    CALLS.clear()
    yield CALLS
    CALLS.clear()


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "personal",
    ["csrf", "cookie", "message", "session", "error"],
)
def test_personal_or_failed_answer_is_not_stored(client, db, calls, personal):
    client.get(f"/somewhere/{personal}/")
    assert calls
    assert not _stored(f"/somewhere/{personal}/")


@pytest.mark.urls(__name__)
def test_plain_answer_is_stored_and_visitors_with_a_session_bypass_it(db, calls):
    Client().get("/somewhere/plain/")
    Client().get("/somewhere/plain/")
    assert len(calls) == 1
    assert _stored("/somewhere/plain/")
    with_session = Client()
    with_session.cookies["sessionid"] = "abc"
    with_session.get("/somewhere/plain/")
    Client().post("/somewhere/plain/")
    Client().head("/somewhere/plain/")
    assert len(calls) == 4


@pytest.mark.urls(__name__)
def test_switched_off_with_zero_seconds(client, db, settings, calls):
    settings.PUBLIC_CACHE_SECONDS = 0
    client.get("/somewhere/plain/")
    client.get("/somewhere/plain/")
    assert len(calls) == 2
    assert not _stored("/somewhere/plain/")


@pytest.mark.urls(__name__)
def test_a_page_with_a_csp_nonce_or_already_compressed_is_not_stored(client, db):
    assert b"nonce=" in client.get("/nonce/").content
    assert not _stored("/nonce/")
    assert client.get("/compressed/")["Content-Encoding"] == "gzip"
    assert not _stored("/compressed/")


@pytest.mark.urls(__name__)
def test_a_views_own_cache_control_is_kept_on_every_answer(db):
    for encoding in ("", "gzip"):
        cache.clear()
        miss = Client().get("/a-minute/", HTTP_ACCEPT_ENCODING=encoding)
        hit = Client().get("/a-minute/", HTTP_ACCEPT_ENCODING=encoding)
        assert dict(hit.items()) == dict(miss.items())
        assert set(hit["Cache-Control"].split(", ")) == {"max-age=60", "no-cache"}


def test_a_view_called_without_the_middleware_renders_uncached(rf, db, calls):
    personal_view(rf.get("/somewhere/plain/"), kind="plain")
    response = personal_view(rf.get("/somewhere/plain/"), kind="plain")
    assert len(calls) == 2
    assert response.content == b"hello"
    assert not hasattr(response, "_public_page")
    assert not _stored("/somewhere/plain/")


def _hidden(content: bytes, name: str) -> str:
    import re

    return re.search(rf'name="{name}" value="([^"]*)"'.encode(), content).group(1).decode()


def test_form_page_is_cached_with_fresh_tokens_for_each_visitor(
    db, settings, django_assert_num_queries
):
    settings.APPLICATION_MIN_FILL_SECONDS = 0
    first_visitor, second_visitor = (
        Client(enforce_csrf_checks=True),
        Client(enforce_csrf_checks=True),
    )
    first = first_visitor.get("/apply/")
    with django_assert_num_queries(0):
        second = second_visitor.get("/apply/")
    assert b"b40-hole" not in second.content
    assert "ETag" not in second
    assert "no-store" in second["Cache-Control"]
    assert _hidden(first.content, "form_token") != _hidden(second.content, "form_token")
    assert second_visitor.cookies["csrftoken"].value
    data = {
        "csrfmiddlewaretoken": _hidden(second.content, "csrfmiddlewaretoken"),
        "form_token": _hidden(second.content, "form_token"),
        "city_name": "Kranj",
        "country": Country.objects.get(code="SI").pk,
        "mayor_name": "A Mayor",
        "contact_name": "A Contact",
        "contact_position": "Head of relations",
        "contact_email": "kranj@example.org",
        "contact_phone": "+386 4 237 31 00",
        "website": "https://kranj.example",
        "motivation": "We want to join.",
        "consent": "on",
        "homepage": "",
    }
    response = second_visitor.post("/apply/", data)
    assert response.status_code == 302
    assert Application.objects.get(city_name="Kranj")


@pytest.mark.urls(__name__)
def test_page_with_a_csrf_token_outside_hidden_inputs_is_not_stored(client, db):
    assert client.get("/form/").status_code == 200
    assert not _stored("/form/")


def test_an_application_alone_does_not_flush_the_public_pages(db):
    publiccache.bump()
    before = _version()
    ApplicationFactory()
    assert _version() == before


def test_the_redis_backend_keeps_one_client_per_process():
    from b40.cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/9", {})
    assert backend._cache.get_client() is backend._cache.get_client()  # no connection needed
    assert backend._cache.get_client(write=True) is backend._cache.get_client()


def test_a_transaction_flushes_once_more_at_its_commit_however_many_rows_it_writes(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    original = publiccache.bump
    monkeypatch.setattr(publiccache, "bump", lambda **kw: (calls.append(1), original()))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for code in ("X1", "X2", "X3"):
            Country.objects.create(code=code, name=f"Country {code}")
        at_writes = len(calls)
        assert at_writes >= 3  # at each write (a country's history row is one more)
    assert len(calls) == at_writes + 1  # and once more at the commit


def test_a_stored_page_is_sent_compressed_to_a_browser_that_accepts_it(db, client):
    import gzip

    plain = client.get("/cities/")  # stored now
    assert plain.get("Content-Encoding") is None
    packed = client.get("/cities/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert packed["ETag"] == f"W/{plain['ETag']}"
    again = client.get("/cities/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304


def test_a_form_page_with_a_csrf_token_is_never_compressed(db, client):
    client.get("/apply/")
    page = client.get("/apply/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.get("Content-Encoding") is None  # a secret in a compressed page: BREACH
    assert b"csrfmiddlewaretoken" in page.content


def test_a_hit_skips_the_middleware_behind_it_and_sends_the_same_headers(
    db, monkeypatch, django_assert_num_queries
):
    from django.contrib.sessions.middleware import SessionMiddleware

    sessions = []
    original = SessionMiddleware.process_request
    monkeypatch.setattr(
        SessionMiddleware,
        "process_request",
        lambda self, request: (sessions.append(request), original(self, request))[1],
    )
    for encoding in ("", "gzip"):
        cache.clear()
        miss = Client().get("/cities/", HTTP_ACCEPT_ENCODING=encoding)
        assert len(sessions) == 1
        with django_assert_num_queries(0):
            hit = Client().get("/cities/", HTTP_ACCEPT_ENCODING=encoding)
        assert len(sessions) == 1  # the session, users, messages… never asked
        assert hit.content == miss.content
        assert dict(hit.items()) == dict(miss.items())
        assert "default-src 'self'" in hit["Content-Security-Policy"]
        assert hit["X-Frame-Options"] == "DENY"
        assert hit["Content-Language"] == "en"
        assert {"Accept-Language", "Cookie", "Accept-Encoding"} <= set(hit["Vary"].split(", "))
        assert hit["Content-Length"] == str(len(hit.content))
        sessions.clear()
    feed = Client().get("/working-groups/calendar.ics")
    with django_assert_num_queries(0):
        feed_hit = Client().get("/working-groups/calendar.ics")
    assert dict(feed_hit.items()) == dict(feed.items())
    assert feed_hit["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed_hit["Content-Disposition"] == 'inline; filename="b40-working-groups.ics"'


def test_a_browser_that_accepts_gzip_fetches_only_the_compressed_page(db, monkeypatch):
    import gzip

    fetched = []
    original = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: (fetched.append(keys), original(keys))[1])
    plain = Client().get("/cities/")  # stored now, both encodings
    packed = Client().get("/cities/", HTTP_ACCEPT_ENCODING="gzip")
    again = Client().get("/cities/")
    key = fetched[0][1]
    assert fetched == [
        [publiccache.VERSION_KEY, key],
        [publiccache.VERSION_KEY, key + ":gz"],
        [publiccache.VERSION_KEY, key],
    ]
    assert packed["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain and "Content-Encoding" not in again
    assert gzip.decompress(packed.content) == plain.content == again.content
    assert plain["Content-Type"] == packed["Content-Type"] == "text/html; charset=utf-8"
    assert len(packed.content) < len(plain.content)
    assert packed["Content-Length"] == str(len(packed.content))
    assert cache.get(key)["content"] == plain.content  # each encoding stored on its own
    assert cache.get(key + ":gz")["content"] == packed.content


def test_each_language_gets_its_own_page_by_the_browsers_accept_language(
    db, django_assert_num_queries
):
    english = Client().get("/about/", HTTP_ACCEPT_LANGUAGE="en")
    bulgarian = Client().get("/about/", HTTP_ACCEPT_LANGUAGE="bg")
    assert b'lang="bg"' in bulgarian.content and b'lang="en"' in english.content
    with django_assert_num_queries(0):
        bulgarian_hit = Client().get("/about/", HTTP_ACCEPT_LANGUAGE="bg,en;q=0.5")
        english_hit = Client().get("/about/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert bulgarian_hit.content == bulgarian.content
    assert english_hit.content == english.content
    assert (bulgarian_hit["Content-Language"], english_hit["Content-Language"]) == ("bg", "en")


def test_a_form_page_from_the_cache_gives_a_new_visitor_a_working_csrf_token(db, settings):
    settings.APPLICATION_MIN_FILL_SECONDS = 0
    miss = Client(enforce_csrf_checks=True).get("/apply/")
    visitor = Client(enforce_csrf_checks=True)
    hit = visitor.get("/apply/")
    assert set(hit.cookies) == set(miss.cookies) == {"csrftoken"}
    assert {k: v for k, v in hit.items() if k != "Content-Length"} == {
        k: v for k, v in miss.items() if k != "Content-Length"
    }
    assert "Cookie" in hit["Vary"]
    data = {
        "csrfmiddlewaretoken": _hidden(hit.content, "csrfmiddlewaretoken"),
        "form_token": _hidden(hit.content, "form_token"),
        "city_name": "Bled",
        "country": Country.objects.get(code="SI").pk,
        "mayor_name": "A Mayor",
        "contact_name": "A Contact",
        "contact_position": "Head of relations",
        "contact_email": "bled@example.org",
        "contact_phone": "+386 4 575 01 00",
        "website": "https://bled.example",
        "motivation": "We want to join.",
        "consent": "on",
        "homepage": "",
    }
    assert visitor.post("/apply/", data).status_code == 302
    assert Application.objects.filter(city_name="Bled").exists()
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/apply/")  # another visitor's cookie does not pass with this page's token
    stranger.cookies["csrftoken"] = "x" * 32
    assert stranger.post("/apply/", {**data, "city_name": "Kamnik"}).status_code == 403


def test_a_bad_host_is_still_a_400(db, client):
    assert client.get("/cities/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/healthz", HTTP_HOST="evil.example").status_code == 400


def test_addresses_that_are_no_public_page_never_ask_the_cache(db, monkeypatch):
    fetched = []
    monkeypatch.setattr(cache, "get_many", lambda keys: fetched.append(keys) or {})
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/no-such-page/").status_code == 404
    assert fetched == []


def test_a_table_kept_per_version_is_read_once_until_a_write(db, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    reads = []

    @publiccache.kept_per_version
    def countries():
        reads.append(1)
        return list(Country.objects.values_list("code", flat=True))

    assert countries() == countries()
    assert len(reads) == 1
    Country.objects.create(code="X9", name="Newland")  # any write of ours ends the copy
    assert "X9" in countries()
    assert len(reads) == 2


def test_a_table_kept_per_version_is_read_each_time_without_a_cache(db, settings, monkeypatch):
    reads = []

    @publiccache.kept_per_version
    def rows():
        reads.append(1)
        return len(reads)

    settings.PUBLIC_CACHE_SECONDS = 0
    assert (rows(), rows()) == (1, 2)
    settings.PUBLIC_CACHE_SECONDS = 300
    monkeypatch.setattr(publiccache, "current_version", lambda found, key=None: None)  # down
    assert (rows(), rows()) == (3, 4)
