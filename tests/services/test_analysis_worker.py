"""A real Celery worker (with beat) analyses a conversation after votes, with no request enqueuing.

Runs `celery -A config worker -B` as a subprocess against this run's test database and Redis, the
way production runs (docker-compose's worker service). Needs DATABASE_URL (PostgreSQL: the worker
is another process, so the test database must be a server's) and REDIS_URL; skipped without them,
a failure where POLITY_REQUIRE_SERVICES=1 (CI) — see tests/conftest.py.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from deliberation.models import AnalysisSnapshot
from deliberation.services.analysis import current_watermarks
from deliberation.services.participation import cast_vote
from tests.deliberation.test_analysis_service import vote_in_two_camps
from tests.factories import make_conversation, make_participant, make_statement

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PROJECT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90


def test_database_url() -> str:
    """The URL of the database pytest-django created for this run (`test_<name>`)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.fixture
def worker(tmp_path):
    """The worker and its beat, sweeping every second with no debounce; stopped by process group."""
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "TEST_DATABASE_NAME": "",
        "POLITY_ANALYSIS_SWEEP_SECONDS": "1",
        "POLITY_ANALYSIS_DEBOUNCE_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    log = (tmp_path / "worker.log").open("w")
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-B",
        "-Q", "default,analysis-large", "--concurrency", "2",
        "--schedule", str(tmp_path / "beat-schedule"), "--loglevel", "INFO",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        command,
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    log.close()
    # Shown by pytest when the test failed.
    print((tmp_path / "worker.log").read_text()[-4000:])


def wait_for_snapshot(conversation, process, *, votes_at_least: int) -> AnalysisSnapshot:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "the Celery worker exited"
        snapshot = (
            AnalysisSnapshot.objects.filter(
                conversation=conversation, vote_watermark__gte=votes_at_least
            )
            .order_by("-id")
            .first()
        )
        if snapshot is not None:
            return snapshot
        time.sleep(0.5)
    pytest.fail(f"no snapshot within {WAIT_SECONDS} s")


def test_worker_analyses_a_conversation_after_votes(context, worker):
    conversation = make_conversation(context)
    statements = [make_statement(conversation, f"Norm number {i}.") for i in range(4)]
    vote_in_two_camps(conversation, statements, per_camp=5)
    marks = current_watermarks(conversation.pk)

    first = wait_for_snapshot(conversation, worker, votes_at_least=marks.votes)
    assert first.vote_watermark == marks.votes
    assert first.result["n_votes"] == 40

    cast_vote(participant=make_participant(conversation), statement_id=statements[0].pk, value=1)
    newer = current_watermarks(conversation.pk).votes
    second = wait_for_snapshot(conversation, worker, votes_at_least=newer)
    assert second.pk != first.pk
    assert second.result["n_votes"] == 41
    # Coalesced and idempotent: one snapshot per watermark, never two for the same input.
    assert AnalysisSnapshot.objects.filter(conversation=conversation).count() == 2
