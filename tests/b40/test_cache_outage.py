"""With Redis (the cache) down, the portal works without it: an outage is a cache miss
(django-redis with IGNORE_EXCEPTIONS; RELIABILITY 21). Nothing here needs a Redis server:
the cache points at a port where none listens."""

import time

import pytest
from django.urls import reverse
from django_redis.cache import RedisCache

from secretariat.models import Application
from tests.secretariat.test_applications_views import form_data

DEAD = "redis://127.0.0.1:1/0"
OPTIONS = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 1}


def test_every_operation_answers_as_a_miss_and_quickly():
    cache = RedisCache(DEAD, {"OPTIONS": OPTIONS})
    started = time.monotonic()
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert not cache.add("k", 1)
    cache.set("k", 1)
    cache.set_many({"a": 1, "b": 2})
    cache.incr("k")
    cache.delete("k")
    assert not cache.has_key("k")
    assert time.monotonic() - started < 5


@pytest.fixture
def dead_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD,
            "OPTIONS": OPTIONS,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.APPLICATION_MIN_FILL_SECONDS = 0


def test_public_pages_logins_and_the_form_work_while_the_cache_is_down(
    dead_cache, client, mayor, django_capture_on_commit_callbacks
):
    assert client.get(reverse("secretariat:city-list")).status_code == 200
    assert client.get(reverse("secretariat:application-create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("secretariat:application-create"), form_data(city_name="Piran")
        )
    assert response.status_code == 302  # the rate limit fails open; nothing is lost
    assert Application.objects.filter(city_name="Piran").exists()
    client.force_login(mayor)  # the session goes to the database
    page = client.get(reverse("secretariat:dashboard"))
    assert page.status_code == 200
    assert mayor.city.name in page.content.decode()
