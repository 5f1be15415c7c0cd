"""Fixed-window rate limits kept in the cache (Redis in production).

A limit that cannot be checked because the cache is unreachable lets the request through: a
Redis outage must never stop people voting (the votes themselves live in the database).
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

from deliberation.errors import RateLimited

logger = logging.getLogger(__name__)


def check_rate(scope: str, key: str) -> None:
    """Count one action of `scope` by `key`; raise RateLimited past the configured limit."""
    limit, period = settings.POLITY_RATE_LIMITS[scope]
    window = int(time.time() // period)
    cache_key = f"polity:rate:{scope}:{key}:{window}"
    try:
        cache.add(cache_key, 0, timeout=period + 1)
        count = cache.incr(cache_key)
    except Exception:  # any cache outage: fail open, see the module docstring
        logger.warning("rate limit %s unchecked: cache unavailable", scope, exc_info=True)
        return
    if count > limit:
        raise RateLimited()
