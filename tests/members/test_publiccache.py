"""The public pages' cache: served to anonymous visitors, never stale, never personal."""

import pytest
from django.contrib.messages import add_message, constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client

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


def _stored(request) -> bool:
    return cache.get(publiccache._page_key(request)) is not None


@pytest.mark.parametrize(
    "personal",
    ["csrf", "cookie", "message", "session", "error"],
)
def test_personal_or_failed_answer_is_not_stored(rf, db, personal):
    @publiccache.public_page
    def view(request):
        response = HttpResponse("hello")
        if personal == "csrf":
            get_token(request)
        elif personal == "cookie":
            response.set_cookie("choice", "1")
        elif personal == "message":
            add_message(request, constants.INFO, "saved")
        elif personal == "session":
            request.session["seen"] = True
        elif personal == "error":
            response.status_code = 404
        return response

    from django.contrib.sessions.backends.cache import SessionStore

    request = rf.get("/somewhere/")
    request.session = SessionStore()
    request._messages = CookieStorage(request)
    view(request)
    assert not _stored(request)


def test_plain_answer_is_stored_and_visitors_with_a_session_bypass_it(rf, db):
    calls = []

    @publiccache.public_page
    def view(request):
        calls.append(request)
        return HttpResponse("hello")

    view(rf.get("/somewhere/"))
    view(rf.get("/somewhere/"))
    assert len(calls) == 1
    assert _stored(rf.get("/somewhere/"))
    with_session = rf.get("/somewhere/")
    with_session.COOKIES["sessionid"] = "abc"
    view(with_session)
    view(rf.post("/somewhere/"))
    assert len(calls) == 3


def test_switched_off_with_zero_seconds(rf, db, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    calls = []

    @publiccache.public_page
    def view(request):
        calls.append(request)
        return HttpResponse("hello")

    view(rf.get("/x/"))
    view(rf.get("/x/"))
    assert len(calls) == 2


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


def test_page_with_a_csrf_token_outside_hidden_inputs_is_not_stored(rf, db):
    @publiccache.public_page(fresh_inputs={"form_token": lambda: "new"})
    def view(request):
        return HttpResponse(f'<meta name="csrf" content="{get_token(request)}">')

    request = rf.get("/form/")
    view(request)
    assert not _stored(request)


def test_an_application_alone_does_not_flush_the_public_pages(db):
    publiccache.bump()
    before = _version()
    ApplicationFactory()
    assert _version() == before


def test_fast_read_agrees_with_the_cache_whatever_its_backend(db):
    cache.set("a", {"content": b"x"})
    cache.set("b", 2)
    keys = ["a", "b", "missing"]
    assert publiccache.get_many(keys) == cache.get_many(keys) == {"a": {"content": b"x"}, "b": 2}
