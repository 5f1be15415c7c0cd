"""Redis stopped while people vote: the request path never needs the broker or the cache.

Votes are the database's (the database is the outbox, deliberation/tasks.py); rate limits fail
open (deliberation/ratelimit.py). When Redis returns, beat's sweep enqueues the analysis again.
"""

import time

import httpx
import pytest

from tests.faults.conftest import CATCH_UP_SECONDS, NO_PROBLEMS, problems, vote_over_http

pytestmark = [pytest.mark.services, pytest.mark.faults]
PARTICIPANTS, VOTES_EACH = 8, 6


def test_redis_outage_votes_are_kept_and_analysed_after(stack, web, worker):
    conversation = stack.seed(statements=12)
    stack.redis.stop()
    try:
        recorder = vote_over_http(
            web.url, conversation["public_id"], participants=PARTICIPANTS, votes_each=VOTES_EACH
        )
        health = httpx.get(f"{web.url}/healthz", timeout=10)
        health_during = (
            health.status_code,
            health.json()["status"],
            health.json()["checks"]["broker"],
        )
    finally:
        stack.redis.start()
    back_at = time.monotonic()

    # Every page and every vote answered 200, nothing failed or timed out.
    assert recorder.statuses == {200: PARTICIPANTS * (1 + VOTES_EACH)}
    assert not recorder.failures
    checks = stack.check(recorder, conversation)
    assert problems(checks) == NO_PROBLEMS
    assert checks["event_count"] == PARTICIPANTS * VOTES_EACH
    # The health check keeps web in rotation (voting works) and tells operators the broker is gone.
    assert health_during == (200, "degraded", False)

    top = stack.top_vote_event(conversation["id"])
    remaining = CATCH_UP_SECONDS - (time.monotonic() - back_at)
    stack.wait_for_snapshot(conversation["id"], top, timeout=remaining)
