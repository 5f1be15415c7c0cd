"""PostgreSQL restarted while people vote: a clear 503 quickly, never a 500 or a hang, and
service resumes by itself (psycopg's pool replaces the broken connections)."""

import asyncio
import time

import httpx
import pytest

from bench.load_participants import Recorder, SimulatedParticipant
from bench.servers import http_status, wait_until
from tests.faults.conftest import NO_PROBLEMS, problems, vote_over_http

pytestmark = [pytest.mark.services, pytest.mark.faults]
# An outage answer must come within this (the pool waits 5 s for a connection, settings.py).
ANSWER_SECONDS = 10


async def _timed(send) -> tuple[int, float]:
    started = time.monotonic()
    response = await send()
    return response.status_code, time.monotonic() - started


async def _during_outage(stack, url: str, public_id: str) -> tuple[list, httpx.Response, Recorder]:
    """A participant who joined before the outage votes during it; others look at pages."""
    recorder = Recorder()
    async with httpx.AsyncClient(base_url=url, timeout=ANSWER_SECONDS + 5) as client:
        person = SimulatedParticipant(client, public_id, recorder, seed=99)
        assert await person.join()
        await person.vote()
        stack.postgres.stop(mode="fast")
        try:
            vote_url = f"/c/{public_id}/vote/"
            vote_form = {"csrfmiddlewaretoken": person.token, "statement": person.statement}
            during = [
                await _timed(lambda: client.get(f"/c/{public_id}/")),
                await _timed(
                    lambda: client.post(
                        vote_url, data={**vote_form, "value": 1}, headers=person.headers(htmx=True)
                    )
                ),
                await _timed(lambda: client.get("/healthz")),
                await _timed(lambda: client.get("/api/v1/contexts/")),
            ]
            outage_page = await client.get(f"/c/{public_id}/")
        finally:
            stack.postgres.start()
    return during, outage_page, recorder


def test_postgres_restart_answers_503_then_resumes(stack, web):
    conversation = stack.seed(statements=12)
    public_id = conversation["public_id"]
    before = vote_over_http(web.url, public_id, participants=3, votes_each=2)
    assert before.statuses == {200: 9}

    during, outage_page, outage_recorder = asyncio.run(_during_outage(stack, web.url, public_id))

    assert [status for status, _seconds in during] == [503, 503, 503, 503]
    assert max(seconds for _status, seconds in during) < ANSWER_SECONDS
    assert outage_page.headers["Retry-After"]
    assert "briefly unavailable" in outage_page.text

    # Nobody restarts gunicorn: the same processes answer again once PostgreSQL is back.
    wait_until(lambda: http_status(f"{web.url}/healthz") == 200, timeout=30, what="healthz 200")
    after = vote_over_http(web.url, public_id, participants=3, votes_each=2)
    assert after.statuses == {200: 9}
    # The vote sent during the outage was refused, so it is not there, and nothing else is lost.
    before.acks.extend(outage_recorder.acks + after.acks)
    assert problems(stack.check(before, conversation)) == NO_PROBLEMS
