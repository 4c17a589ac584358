"""The production cache (django-redis, as the settings configure it) against a real Redis:
db 2 is this suite's. The form's rate limit (RELIABILITY 13) counts with ``incr``."""

import os

import pytest
from django_redis.cache import RedisCache

URL = "redis://127.0.0.1:6379/2"
OPTIONS = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 1}


@pytest.fixture
def backend():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("CI has a Redis at 127.0.0.1:6379 (see .ci/run)")
        pytest.skip("no Redis at 127.0.0.1:6379")
    cache = RedisCache(URL, {"OPTIONS": OPTIONS})
    cache.delete_many(["counter", "missing"])
    yield cache
    cache.delete_many(["counter", "missing"])


def test_incr_counts_and_keeps_the_expiry(backend):
    assert backend.add("counter", 1, timeout=60)
    assert backend.incr("counter") == 2
    assert backend.incr("counter", 5) == 7
    assert backend.get("counter") == 7
    assert 0 < backend.ttl("counter") <= 60  # a rate-limit counter still runs out


def test_incr_of_a_missing_key_raises_and_creates_nothing(backend):
    with pytest.raises(ValueError):
        backend.incr("missing")
    assert backend.get("missing") is None


def test_the_settings_use_django_redis_with_an_outage_as_a_miss(settings):
    from b40.settings import base

    if not base.SHARED_CACHE:
        pytest.skip("CACHE_URL names no Redis in this run")
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert settings.CACHES["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
