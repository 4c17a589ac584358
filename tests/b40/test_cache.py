"""The production cache backend (b40/cache.py) against a real Redis: db 2 is this suite's."""

import pytest

from b40.cache import RedisCache

URL = "redis://127.0.0.1:6379/2"


@pytest.fixture
def backend():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")  # CI has one: see .ci/run
    cache = RedisCache(URL, {})
    cache.delete_many(["counter", "missing"])
    yield cache
    cache.delete_many(["counter", "missing"])


def test_incr_counts_atomically_and_keeps_the_expiry(backend):
    assert backend.add("counter", 1, timeout=60)
    assert backend.incr("counter") == 2
    assert backend.incr("counter", 5) == 7
    assert backend.get("counter") == 7
    client = backend._cache.get_client("counter")
    ttl = client.ttl(backend.make_and_validate_key("counter"))
    assert 0 < ttl <= 60  # a rate-limit counter still runs out (RELIABILITY 13)


def test_incr_of_a_missing_key_raises_and_creates_nothing(backend):
    with pytest.raises(ValueError, match="not found"):
        backend.incr("missing")
    assert backend.get("missing") is None


def test_incr_is_one_round_trip(backend, monkeypatch):
    backend.add("counter", 1, timeout=60)
    backend.incr("counter")  # the script is loaded once
    client = backend._cache.get_client("counter")
    calls = []
    original = client.execute_command
    monkeypatch.setattr(
        client, "execute_command", lambda *a, **kw: (calls.append(a[0]), original(*a, **kw))[1]
    )
    backend.incr("counter")
    assert calls == ["EVALSHA"]
