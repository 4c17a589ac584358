"""The admin's change lists kept under the admin data version: never stale, never another's."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members import admincache
from members.models import City
from outbox.enums import MailState
from outbox.models import Mail
from tests.factories import CityFactory, SecretariatUserFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

CITIES = "/admin/members/city/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


@pytest.fixture
def staff():
    return SecretariatUserFactory()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, url: str = CITIES, table: str = "members_city", queries=None):
    """The answer, and whether it came from the cache (no query read the list's table)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if queries is not None:
        queries.extend(captured.captured_queries)
    return response, not any(f'FROM "{table}"' in q["sql"] for q in captured.captured_queries)


def _without_tokens(content: bytes) -> str:
    return TOKEN.sub("", content.decode())


def test_hit_serves_the_same_page_with_the_visitors_own_csrf_token(staff):
    # Logging in writes last_login (a change the user list shows): both browsers first.
    browser, other_browser = _client(staff), _client(staff)
    first, cached = _get(browser)
    assert first.status_code == 200 and not cached
    second, cached = _get(other_browser)
    assert second.status_code == 200 and cached
    assert _without_tokens(second.content) == _without_tokens(first.content)
    secret = other_browser.cookies["csrftoken"].value
    tokens = TOKEN.findall(second.content.decode())
    assert len(tokens) == 2  # the action form and the logout form
    assert {_unmask_cipher_token(t) for t in tokens} == {secret}
    assert "no-cache" in second["Cache-Control"] and "private" in second["Cache-Control"]
    assert second["Content-Type"] == first["Content-Type"]


def test_hit_queries_do_not_grow_with_rows(staff, django_assert_max_num_queries):
    client = _client(staff)
    client.get(CITIES)
    few = []
    assert _get(client, queries=few)[1]
    assert len(few) <= 2  # the session and the user, nothing of the list
    CityFactory.create_batch(30)
    client.get(CITIES)
    with django_assert_max_num_queries(len(few)):
        assert client.get(CITIES).status_code == 200


def test_a_write_through_the_admin_shows_at_once(staff):
    client = _client(staff)
    city = City.objects.get(slug="tirana")
    client.get(CITIES)
    page = client.get(f"{CITIES}{city.pk}/change/")
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(name="Tirana Renamed", country=city.country_id)
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        data.update(
            {management.add_prefix("TOTAL_FORMS"): 0, management.add_prefix("INITIAL_FORMS"): 0}
        )
    assert client.post(f"{CITIES}{city.pk}/change/", data).status_code == 302
    response, cached = _get(client)
    assert not cached
    assert "Tirana Renamed" in response.content.decode()


def test_a_save_in_the_shell_and_a_delete_show_at_once(staff):
    client = _client(staff)
    city = CityFactory(name="Shellgrad")
    assert "Shellgrad" in client.get(CITIES).content.decode()
    city.name = "Shellgrad Saved"
    city.save()
    response, cached = _get(client)
    assert not cached and "Shellgrad Saved" in response.content.decode()
    assert _get(client)[1]
    city.delete()
    response, cached = _get(client)
    assert not cached and "Shellgrad Saved" not in response.content.decode()


def test_a_many_to_many_change_shows_at_once(staff):
    client = _client(staff)
    url = "/admin/workinggroups/workinggroup/"
    group = WorkingGroupFactory()
    _get(client, url, "workinggroups_workinggroup")
    assert _get(client, url, "workinggroups_workinggroup")[1]
    group.cities.add(City.objects.get(slug="tirana"))
    assert not _get(client, url, "workinggroups_workinggroup")[1]


def test_one_transaction_bumps_once_at_its_commit_however_many_rows_it_writes(
    monkeypatch, django_capture_on_commit_callbacks
):
    bumps = []
    monkeypatch.setattr(admincache, "bump", lambda: bumps.append(1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for n in range(10):
                CityFactory(name=f"Bulkgrad {n}")
        assert bumps == []  # nobody else sees the rows before the commit
    assert len(bumps) == 1
    assert len([c for c in callbacks if c is admincache.bump]) == 1


def test_a_change_list_read_inside_the_writing_transaction_shows_its_rows(staff):
    client = _client(staff)
    assert _get(client)[1] is False
    assert _get(client)[1]  # kept
    with transaction.atomic():
        CityFactory(name="Atomicgrad")
        response, cached = _get(client)
        assert not cached and "Atomicgrad" in response.content.decode()
        assert _get(client)[1]  # kept again: no write since
        CityFactory(name="Atomicgrad Two")
        response, cached = _get(client)
        assert not cached and "Atomicgrad Two" in response.content.decode()


def test_another_user_with_other_permissions_never_gets_the_page(staff):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_city"))
    client, other = _client(staff), _client(viewer)
    assert b"addlink" in client.get(CITIES).content
    assert _get(client)[1]
    response, cached = _get(other)
    assert response.status_code == 200 and not cached
    assert b"addlink" not in response.content
    assert staff.username not in response.content.decode()


def test_a_user_without_view_permission_is_refused_on_a_cached_page(staff):
    client, nobody = _client(staff), _client(UserFactory(is_staff=True))
    client.get(CITIES)
    assert _get(client)[1]
    assert nobody.get(CITIES).status_code == 403


def test_a_pending_message_is_shown_and_that_page_is_not_kept(staff):
    client = _client(staff)
    client.get(CITIES)
    assert _get(client)[1]
    # An action with nothing selected changes nothing and leaves a message.
    answer = client.post(CITIES, {"action": "export_as_csv", "index": 0})
    assert answer.status_code == 302
    shown, cached = _get(client)
    assert not cached and "Items must be selected" in shown.content.decode()
    again, cached = _get(client)
    assert cached and "Items must be selected" not in again.content.decode()


def test_queries_filters_search_and_pages_are_kept_apart(staff):
    CityFactory.create_batch(30)  # more than one page of 50
    client = _client(staff)
    urls = [CITIES, f"{CITIES}?q=tirana", f"{CITIES}?p=2", f"{CITIES}?is_founding__exact=1"]
    first = {url: _without_tokens(client.get(url).content) for url in urls}
    assert len(set(first.values())) == len(urls)
    for url in urls:
        response, cached = _get(client, url)
        assert cached and _without_tokens(response.content) == first[url]
    assert "Testgrad" not in first[f"{CITIES}?q=tirana"]


def test_a_post_is_never_kept():
    client = _client(UserFactory(is_staff=True, is_superuser=True))
    city = City.objects.get(slug="tirana")
    confirm = client.post(CITIES, {"action": "delete_selected", "_selected_action": [city.pk]})
    assert confirm.status_code == 200 and b"<title>Delete multiple objects" in confirm.content
    response, cached = _get(client)
    assert not cached and b"<title>Delete multiple objects" not in response.content


def test_off_when_the_cache_seconds_are_zero(staff, settings, monkeypatch):
    settings.PUBLIC_CACHE_SECONDS = 0
    client = _client(staff)
    monkeypatch.setattr(admincache.cache, "get_many", pytest.fail)  # never asked
    client.get(CITIES)
    assert not _get(client)[1]


def test_a_cache_error_does_not_fail_the_write(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """A mail recorded as sent stays recorded when the cache is down (outbox is watched by
    the admin's cache only)."""

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(admincache.cache, "set", broken)
    with django_capture_on_commit_callbacks(execute=True):
        mail = Mail.objects.create(to=["mayor@example.org"], subject="Hello", body="Hi")
        mail.state = MailState.SENT
        mail.save()
    assert Mail.objects.get().state == MailState.SENT
    assert "could not be bumped" in caplog.text


def test_the_lists_work_uncached_when_the_cache_is_down(staff, monkeypatch, caplog):
    client = _client(staff)

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(admincache.cache, "get_many", broken)
    response, cached = _get(client)
    assert response.status_code == 200 and not cached
    assert "could not be read" in caplog.text
