"""The Redis cache backend: one client object per connection pool, and a cache that is down is a cache that misses.

One client per pool: Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache operation,
and building one copies its table of ~170 response callbacks: on this project's hot paths (the session, the page
caches, the rate limits) that was as long as the Redis round trip itself. redis-py clients are safe to share between
threads (the pool hands out connections) and reset their connections in a forked process, so one per pool is enough.
Keys are not checked against memcached's limits, which Redis does not have.

Down is a miss: everything the portal keeps in the cache can be read again from PostgreSQL (pages are rendered,
sessions are read from the database by the ``cached_db`` engine, versions start afresh), so when Redis cannot be
reached a read returns its default, a write does nothing, ``add`` says it added (a lock taken with it is granted), a
counter starts from one, and the page is served. The first
failure is logged once; for the next ``RETRY_AFTER`` seconds no call waits on Redis, then one is tried again, and the
first one that succeeds logs that the cache is back. Nothing restarts.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 5.0  # seconds without trying Redis after it failed


class _Breaker:
    """Whether to try Redis now, and one log line when it goes down and one when it is back."""

    def __init__(self):
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0

    def closed(self) -> bool:
        return self._down_since is None or time.monotonic() >= self._retry_at

    def failed(self, error: Exception) -> None:
        with self._lock:
            now = time.monotonic()
            if self._down_since is None:
                self._down_since = now
                logger.warning("Cache unreachable (%s); pages are served without it", type(error).__name__)
            self._retry_at = now + RETRY_AFTER

    def reset(self) -> None:
        """Forget a failure (tests, which point the cache at servers that come and go)."""
        with self._lock:
            self._down_since, self._retry_at = None, 0.0

    def succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is not None:
                logger.warning("Cache reachable again after %.0f s", time.monotonic() - self._down_since)
                self._down_since = None


breaker = _Breaker()


class _Unavailable(Exception):
    """Raised inside the client when the breaker is open; turned into the operation's fallback."""


def _guarded(name: str, fallback):
    def operation(self, *args, **kwargs):
        if not breaker.closed():
            return fallback(*args)
        try:
            result = getattr(super(_PortalRedisCacheClient, self), name)(*args, **kwargs)
        except UNREACHABLE as error:
            breaker.failed(error)
            return fallback(*args)
        breaker.succeeded()
        return result

    operation.__name__ = name
    return operation


def _missing_counter(*args):
    raise ValueError("cache unavailable")  # a counter that is not there: the caller starts it again


class _PortalRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    # "Added": whoever uses add() as a lock (allauth's rate limits) goes on instead of waiting for a cache that is not
    # there; a version or a counter that add() starts is started again on the next miss.
    add = _guarded("add", lambda key, value, timeout: True)
    get = _guarded("get", lambda key, default: default)
    set = _guarded("set", lambda key, value, timeout: None)
    touch = _guarded("touch", lambda key, timeout: False)
    delete = _guarded("delete", lambda key: False)
    get_many = _guarded("get_many", lambda keys: {})
    has_key = _guarded("has_key", lambda key: False)
    incr = _guarded("incr", _missing_counter)
    set_many = _guarded("set_many", lambda data, timeout: None)
    delete_many = _guarded("delete_many", lambda keys: None)
    clear = _guarded("clear", lambda: False)


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _PortalRedisCacheClient

    def validate_key(self, key):
        # Django checks every key for memcached's limits (length, control characters) with a Python loop over its
        # characters, ~5 µs per key and a page reads up to eight. Redis takes any key; nothing to check.
        return None
