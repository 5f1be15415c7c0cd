"""Fixed-window rate limits kept in the cache (Redis in production).

A limit that cannot be checked because the cache is unreachable lets the request through: a
Redis outage must never stop people voting (the votes themselves live in the database).
"""

import logging
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from deliberation.errors import RateLimited

logger = logging.getLogger(__name__)

# Count, and start the window's expiry on its first count, in one atomic round trip: the rate
# limiter pattern of Redis' INCR documentation. Django's add() then incr() took three (SET NX,
# EXISTS, INCR) on every vote.
_COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


@lru_cache(maxsize=32)
def _redis_client(cache: RedisCache):
    # The cache's own connection pool and socket timeouts (a fast failure when Redis is down),
    # in one client per cache (Django keeps a cache per thread): Django builds a client for each
    # call, and building one cost more CPU than the round trip.
    return cache._cache.get_client(write=True)


def _count(cache_key: str, timeout: int) -> int:
    """Add one to the counter at `cache_key`, created with `timeout` seconds to live."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        key = cache.make_and_validate_key(cache_key)
        return int(_redis_client(cache).eval(_COUNT_SCRIPT, 1, key, timeout))
    cache.add(cache_key, 0, timeout=timeout)
    return cache.incr(cache_key)


def _window_key(scope: str, key: str) -> tuple[str, int, int]:
    limit, period = settings.POLITY_RATE_LIMITS[scope]
    return f"polity:rate:{scope}:{key}:{int(time.time() // period)}", limit, period


def check_rate(scope: str, key: str) -> None:
    """Count one action of `scope` by `key`; raise RateLimited past the configured limit."""
    cache_key, limit, period = _window_key(scope, key)
    try:
        count = _count(cache_key, period + 1)
    except Exception:  # any cache outage: fail open, see the module docstring
        logger.warning("rate limit %s unchecked: cache unavailable", scope, exc_info=True)
        return
    if count > limit:
        raise RateLimited()


def count_only(scope: str, key: str) -> None:
    """Count one action (a failed sign-in, say) without checking: `limit_reached` checks."""
    cache_key, _limit, period = _window_key(scope, key)
    try:
        _count(cache_key, period + 1)
    except Exception:
        logger.warning("rate limit %s uncounted: cache unavailable", scope, exc_info=True)


def limit_reached(scope: str, key: str) -> bool:
    """Whether `key` has used up its actions of `scope` in this window (counts nothing)."""
    cache_key, limit, _period = _window_key(scope, key)
    try:
        return int(caches["default"].get(cache_key) or 0) >= limit
    except Exception:
        logger.warning("rate limit %s unchecked: cache unavailable", scope, exc_info=True)
        return False
