"""The Redis cache backend, with one client object per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache operation, and building one
copies its table of ~170 response callbacks: on this project's hot paths (the session, the page caches, the rate
limits) that was as long as the Redis round trip itself. redis-py clients are safe to share between threads (the
pool hands out connections) and reset their connections in a forked process, so one per pool is enough. Keys are not
checked against memcached's limits, which Redis does not have.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClientRedisCacheClient

    def validate_key(self, key):
        # Django checks every key for memcached's limits (length, control characters) with a Python loop over its
        # characters, ~5 µs per key and a page reads up to eight. Redis takes any key; nothing to check.
        return None
