"""The private stack the fault tests break: their own PostgreSQL, Redis, gunicorn and Celery.

Started once per session from bench/servers.py (free loopback ports, a temporary directory), so
stopping or killing them never disturbs the machine's shared PostgreSQL and Redis or other test
runs. The tests check the database with SQL (psycopg); the test run's own Django database is not
the one under test.
"""

import asyncio
import itertools
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bench.load_checks import check_votes, participant_ids
from bench.load_participants import PARTICIPANT_COOKIE_SALT, Recorder, SimulatedParticipant
from bench.servers import (
    Gunicorn,
    PostgresServer,
    RedisServer,
    django_call,
    django_env,
    prepare_database,
    private_servers,
    start_celery,
    start_gunicorn,
    stop_process,
    wait_until,
)

CATCH_UP_SECONDS = 60
_slugs = itertools.count(1)


@dataclass
class Stack:
    postgres: PostgresServer
    redis: RedisServer
    env: dict[str, str]

    @property
    def root(self) -> Path:
        return self.postgres.root

    def db(self):
        return self.postgres.connect("polity", autocommit=True)

    def seed(self, function: str = "bench.load_participants:seed_conversation", **kwargs) -> dict:
        return django_call(self.env, function, slug=f"faults-{next(_slugs)}", **kwargs)

    def check(self, recorder: Recorder, conversation: dict) -> dict:
        cookies = {cookie for cookie, _subject, _value in recorder.acks}
        ids = participant_ids(
            cookies,
            secret_key=self.env["SECRET_KEY"],
            salt=PARTICIPANT_COOKIE_SALT,
            public_id=conversation["public_id"],
        )
        with self.db() as db:
            return check_votes(
                db, conversation_id=conversation["id"], acks=recorder.acks, cookie_ids=ids
            )

    def top_vote_event(self, conversation_id: int) -> int:
        with self.db() as db:
            return db.execute(
                "SELECT max(id) FROM deliberation_voteevent WHERE conversation_id = %s",
                [conversation_id],
            ).fetchone()[0]

    def wait_for_snapshot(self, conversation_id: int, watermark: int, *, timeout: float) -> float:
        """Seconds until a snapshot covers `watermark`; fails the test after `timeout`."""
        started = time.monotonic()

        def covered():
            with self.db() as db:
                (top,) = db.execute(
                    "SELECT max(vote_watermark) FROM deliberation_analysissnapshot"
                    " WHERE conversation_id = %s",
                    [conversation_id],
                ).fetchone()
            return top is not None and top >= watermark

        wait_until(covered, timeout=timeout, interval=0.5, what="a snapshot covering the votes")
        return time.monotonic() - started


@pytest.fixture(scope="session")
def stack():
    with private_servers() as (postgres, redis):
        env = django_env(
            postgres.create_database("polity"),
            redis.url(),
            POLITY_VOTE_RATE="100000",
            POLITY_JOIN_RATE="100000",
            # Sweep often and without debounce, so "catches up" is measured in seconds.
            POLITY_ANALYSIS_SWEEP_SECONDS="1",
            POLITY_ANALYSIS_DEBOUNCE_SECONDS="0",
        )
        prepare_database(env, postgres.root / "static")
        yield Stack(postgres, redis, env)


@pytest.fixture(scope="session")
def web(stack) -> Gunicorn:
    server = start_gunicorn(
        stack.env, log_dir=stack.root, static_root=stack.root / "static", workers=2, threads=2
    )
    yield server
    server.stop()


@pytest.fixture
def worker(stack):
    """A Celery worker with beat on the private Redis; its log is printed when a test fails."""
    process = start_celery(stack.env, log_dir=stack.root)
    yield process
    stop_process(process)
    print((stack.root / "celery.log").read_text()[-3000:])


def vote_over_http(url: str, public_id: str, *, participants: int, votes_each: int) -> Recorder:
    """Each participant opens the page, then votes `votes_each` times, as a browser would."""
    recorder = Recorder()

    async def one(index: int):
        async with httpx.AsyncClient(base_url=url, timeout=15) as client:
            person = SimulatedParticipant(client, public_id, recorder, seed=index)
            if await person.join():
                for _ in range(votes_each):
                    await person.vote()

    async def everyone():
        await asyncio.gather(*(one(index) for index in range(participants)))

    asyncio.run(everyone())
    return recorder


NO_PROBLEMS = {
    "unattributable_acks": 0,
    "lost_votes": 0,
    "stale_vote_values": 0,
    "unacknowledged_current_votes": 0,
    "double_current_votes": 0,
    "events_missing": 0,
    "events_unacknowledged": 0,
}


def problems(checks: dict) -> dict:
    return {key: checks[key] for key in NO_PROBLEMS}
