"""Django's Redis cache backend, keeping one client per process.

Django's own backend builds a new ``redis.Redis`` client for every operation (about
0.15 ms each, as much as Django takes for a whole trivial request); a logged-in page makes
several cache calls (the session, the data version, its cached parts, the rate limit).
The client is thread-safe and draws its connections from the backend's pool, which
redis-py resets in a forked process, so one per pool is enough.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
