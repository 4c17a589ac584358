"""Django's Redis cache backend, with one client per process and an outage taken as a miss.

- Django's own backend builds a new ``redis.Redis`` client for every operation (about
  0.15 ms each, as much as Django takes for a whole trivial request); a logged-in page makes
  several cache calls (the session, the data version, its kept parts, the rate limit). The
  client is thread-safe and draws its connections from the backend's pool, which redis-py
  resets in a forked process, so one per pool is enough.
- When Redis is down or slow, every operation answers as if the key were missing (and
  writes do nothing), after a logged warning: pages are rendered uncached, sessions are read
  from the database (``cached_db``), task locks are not taken (the task skips a turn), and
  the rate limit fails open (``RATELIMIT_FAIL_OPEN``). The portal keeps working, slower,
  instead of answering 500 (RELIABILITY 21). Timeouts come from the settings' OPTIONS.
- ``incr`` is one atomic round trip (a Lua script). Django's checks that the key exists and
  then increments it: two round trips, and a key that expires between them comes back as a
  new key without an expiry — for the form's rate limit (RELIABILITY 13), a counter that
  would never run out.
"""

import functools
import logging
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 60


# INCRBY only if the key exists (else nil): the key keeps its expiry, a missing key stays so.
INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        script = self._scripts.get(id(client))
        if script is None:
            # redis-py runs it by its digest and loads it again after a server restart
            script = self._scripts[id(client)] = client.register_script(INCR_EXISTING)
        value = script(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


_last_warning = 0.0


def _warn(operation: str, exc: Exception) -> None:
    global _last_warning  # noqa: PLW0603 — one warning a minute per process, not one a call
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning("cache unavailable (%s: %s); going on without it", operation, exc)


def _tolerant(answer):
    """Run the operation; on an outage, log and return ``answer(*args, **kwargs)``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except OUTAGE as exc:
                _warn(method.__name__, exc)
                return answer(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, version=None):
    return default


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    get = _tolerant(_default)(django_redis.RedisCache.get)
    get_many = _tolerant(lambda *a, **kw: {})(django_redis.RedisCache.get_many)
    has_key = _tolerant(lambda *a, **kw: False)(django_redis.RedisCache.has_key)
    add = _tolerant(lambda *a, **kw: False)(django_redis.RedisCache.add)
    set = _tolerant(lambda *a, **kw: None)(django_redis.RedisCache.set)
    set_many = _tolerant(lambda data, *a, **kw: list(data))(django_redis.RedisCache.set_many)
    touch = _tolerant(lambda *a, **kw: False)(django_redis.RedisCache.touch)
    delete = _tolerant(lambda *a, **kw: False)(django_redis.RedisCache.delete)
    delete_many = _tolerant(lambda *a, **kw: None)(django_redis.RedisCache.delete_many)
    incr = _tolerant(lambda *a, **kw: None)(django_redis.RedisCache.incr)
