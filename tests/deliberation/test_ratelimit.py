"""Fixed-window rate limits: refused past the limit, counted again in the next window, unchecked
(never refused) when the cache is down; on Redis, one command per check."""

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from deliberation import ratelimit
from deliberation.errors import RateLimited
from deliberation.ratelimit import check_rate


@pytest.fixture
def three_a_minute(settings):
    settings.POLITY_RATE_LIMITS = {**settings.POLITY_RATE_LIMITS, "vote": (3, 60)}


def test_check_rate_refuses_the_action_past_the_limit(three_a_minute):
    for _ in range(3):
        check_rate("vote", "participant:1")
    with pytest.raises(RateLimited):
        check_rate("vote", "participant:1")
    check_rate("vote", "participant:2")  # every key has its own count


def test_check_rate_counts_afresh_in_the_next_window(three_a_minute, monkeypatch):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 600.0)
    for _ in range(3):
        check_rate("vote", "participant:1")
    monkeypatch.setattr(ratelimit.time, "time", lambda: 660.0)
    check_rate("vote", "participant:1")


def test_check_rate_lets_the_action_through_when_the_cache_is_down(three_a_minute):
    # Nothing listens on port 1: every count fails at once. (Restored before the autouse
    # fixture clears the cache.)
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    with override_settings(CACHES={"default": unreachable}):
        for _ in range(5):
            check_rate("vote", "participant:1")


@pytest.fixture
def redis_commands(monkeypatch):
    """The names of the commands sent to Redis, in order."""
    if not isinstance(caches["default"], RedisCache):
        pytest.fail("with REDIS_URL set the cache must be Redis (config/settings.py)")
    sent = []
    send = redis.Redis.execute_command

    def counting(client, *args, **options):
        sent.append(str(args[0]).upper())
        return send(client, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    return sent


@pytest.mark.services("redis")
def test_check_rate_on_redis_sends_one_command_per_check(three_a_minute, redis_commands):
    for _ in range(3):
        check_rate("vote", "participant:1")
    with pytest.raises(RateLimited):
        check_rate("vote", "participant:1")
    assert redis_commands == ["EVAL"] * 4


@pytest.mark.services("redis")
def test_check_rate_on_redis_expires_the_window_from_its_first_count(three_a_minute, monkeypatch):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 600.0)
    cache = caches["default"]
    key = "polity:rate:vote:participant:1:10"
    client = cache._cache.get_client(write=True)
    check_rate("vote", "participant:1")
    first_ttl = client.ttl(cache.make_and_validate_key(key))
    check_rate("vote", "participant:1")
    # The window's period and a second, set once: a later count does not push the expiry back.
    assert 0 < client.ttl(cache.make_and_validate_key(key)) <= first_ttl <= 61
    assert cache.get(key) == 2  # the same counter the cache API reads
