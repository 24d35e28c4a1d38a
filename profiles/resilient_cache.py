"""Django's Redis cache, made to treat a Redis it cannot reach as an empty cache.

The cache only ever saves work: page cache, host resolution, the people
index, rate-limit counters. If Redis goes away, sites must keep serving
(uncached, from the database), not answer 500. So every call that fails to
reach Redis returns what a miss would (None, {}, False) and the failure is
logged once, with a second line when Redis answers again. For a few seconds
after a failure Redis is not tried at all: otherwise every cache call of every
request would wait for the connection timeout.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
RETRY_AFTER_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis per connection pool.

    Django makes a new redis.Redis for every cache call; building one fills its
    table of ~170 response callbacks, which was over a third of a page-cache
    hit's time. A redis.Redis only holds its pool (which hands each thread its
    own connection), so one per pool is safe to share between threads.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    # Per process: every worker finds out for itself, and logs once.
    _down_until = 0.0
    _down = False

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _call(self, name: str, miss: Any, *args, **kwargs) -> Any:
        cls = type(self)
        if cls._down and time.monotonic() < cls._down_until:
            return miss
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as error:
            if not cls._down:
                logger.error(
                    "The cache (Redis) cannot be reached: %s. Serving without it, "
                    "and trying again every %.0f s.",
                    error,
                    RETRY_AFTER_SECONDS,
                )
            cls._down, cls._down_until = True, time.monotonic() + RETRY_AFTER_SECONDS
            return miss
        if cls._down:
            cls._down = False
            logger.warning("The cache (Redis) answers again.")
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, "added", as for a key that was missing: add() guards "at most once a
        # minute" (profiles.accounts' mails), which must fail open like the rate limits,
        # or an outage would stop every confirmation mail ("sent a minute ago").
        return self._call("add", True, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", None, key, delta, version)
        if result is None:  # unreachable: as for a missing key, callers fall back to set()
            raise ValueError(f"Key '{key}' not found")
        return result

    def clear(self):
        return self._call("clear", None)
