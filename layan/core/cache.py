"""Django's Redis cache backend, with one ``redis.Redis`` client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every cache operation, and
redis-py fills some 170 response callbacks each time it builds one: on a check-in (two calendar reads) that
was a visible share of the request's CPU. A ``redis.Redis`` is thread-safe and fork-safe (its pool
reconnects in a forked child), so one per pool is kept and reused."""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class _ReusingClient(django_redis.RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
