"""The Redis cache of production (settings: REDIS_URL), degrading to an empty cache while Redis is down.

Nothing the site keeps in the cache is the only copy of anything: counters of the throttled pages, results
that can be computed again. So while Redis is unreachable, restarting or hung (bounded by the socket
timeouts of the settings), every operation behaves as on an empty cache that keeps nothing: a read misses
(the caller computes), a write is dropped, `incr` finds no key. A page never answers 500 because of the
cache, and the cache is used again as soon as Redis answers (redis-py reconnects on the next command).
One warning is logged per outage, not one per operation."""

import logging
import threading

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_outage = threading.Event()


def _down(operation: str, error: Exception) -> None:
    if not _outage.is_set():
        _outage.set()
        logger.warning("Cache unreachable (%s: %s): working without it until it answers again", operation, error)


def _up(cache: "DegradingRedisCache") -> None:
    if _outage.is_set():
        _outage.clear()
        logger.warning("Cache reachable again")
        cache.forget_data_versions()


class DegradingRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache that acts as an empty cache while Redis is down."""

    def _degrade(self, operation: str, call, fallback):
        try:
            result = call()
        except RedisError as error:
            _down(operation, error)
            return fallback() if callable(fallback) else fallback
        _up(self)
        return result

    def forget_data_versions(self) -> None:
        """After an outage: a new data version written while Redis was unreachable was dropped, and Redis may
        still hold the old one with the results cached under it. Forgetting every version key makes the
        next reader start a new version (core.data_version), so nothing computed before the outage is served."""
        from .data_version import VERSION_KEY_PATTERN

        try:
            client = self._cache.get_client(None, write=True)
            keys = list(client.scan_iter(match=VERSION_KEY_PATTERN, count=500))
            if keys:
                client.delete(*keys)
        except RedisError as error:
            _down("forget_data_versions", error)

    def get(self, key, default=None, version=None):
        return self._degrade("get", lambda: super(DegradingRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._degrade("get_many", lambda: super(DegradingRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._degrade("has_key", lambda: super(DegradingRedisCache, self).has_key(key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # An empty cache accepts the key; it is forgotten at once.
        return self._degrade("add", lambda: super(DegradingRedisCache, self).add(key, value, timeout, version), True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._degrade("set", lambda: super(DegradingRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("set_many", lambda: super(DegradingRedisCache, self).set_many(data, timeout, version), [])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("touch", lambda: super(DegradingRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._degrade("delete", lambda: super(DegradingRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        self._degrade("delete_many", lambda: super(DegradingRedisCache, self).delete_many(keys, version), None)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")

        return self._degrade("incr", lambda: super(DegradingRedisCache, self).incr(key, delta, version), missing)

    def clear(self):
        return self._degrade("clear", lambda: super(DegradingRedisCache, self).clear(), False)
