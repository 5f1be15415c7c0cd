"""The Celery worker killed (SIGKILL) in the middle of an analysis.

A run is one PostgreSQL transaction holding an advisory lock and writing its snapshot row last
(deliberation/services/analysis.py), so a killed run leaves nothing behind. When only the pool
process dies, `acks_late` with `reject_on_worker_lost` puts its task back on the queue at once.
When the whole worker dies its task is lost with it, and beat's sweep queues the analysis again
once the queued claim expires (POLITY_ANALYSIS_REQUEUE_SECONDS). The kill lands at a random
moment of the run, found by watching for the run's advisory lock in pg_locks.
"""

import os
import random
import signal
import time

import pytest

from bench.servers import children, start_beat, start_celery, stop_process, wait_until
from deliberation.services.analysis import ANALYSIS_LOCK

pytestmark = [pytest.mark.services, pytest.mark.faults]
KILLS = 10


@pytest.fixture
def pool_worker(stack):
    """A worker whose only children are pool processes (beat runs apart), one at a time."""
    beat = start_beat(stack.env, log_dir=stack.root)
    process = start_celery(stack.env, log_dir=stack.root, beat=False)
    yield process
    stop_process(process)
    stop_process(beat)
    print((stack.root / "celery.log").read_text()[-3000:])


def _running_pid(db, conversation_id: int) -> int | None:
    row = db.execute(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND classid = %s AND objid = %s",
        [ANALYSIS_LOCK, conversation_id],
    ).fetchone()
    return row[0] if row else None


def _one_more_vote(db, conversation_id: int) -> int:
    """Change one vote, as a participant would: the conversation is stale again."""
    (participant, statement, value) = db.execute(
        "UPDATE deliberation_vote SET value = -value, updated_at = now() WHERE id = ("
        " SELECT id FROM deliberation_vote WHERE conversation_id = %s AND value <> 0"
        " ORDER BY random() LIMIT 1) RETURNING participant_id, statement_id, value",
        [conversation_id],
    ).fetchone()
    (event,) = db.execute(
        "INSERT INTO deliberation_voteevent"
        " (conversation_id, participant_id, statement_id, value, created_at)"
        " VALUES (%s, %s, %s, %s, now()) RETURNING id",
        [conversation_id, participant, statement, value],
    ).fetchone()
    return event


def _kill_during_run(db, conversation_id: int, rng: random.Random, pids) -> tuple[int, bool]:
    """Change a vote, wait for the run it starts, SIGKILL `pids()` at a random moment of it.
    Returns the vote's watermark and whether the run still held its lock when killed."""
    watermark = _one_more_vote(db, conversation_id)
    wait_until(
        lambda: _running_pid(db, conversation_id),
        timeout=60,
        interval=0.05,
        what="an analysis run",
    )
    # A run of this conversation takes a few tenths of a second on a quiet machine, so the kill
    # lands early in it; a run that ended first is not counted and is retried.
    time.sleep(rng.uniform(0, 0.15))
    targets = pids()
    assert targets, "nothing to kill"
    mid_run = _running_pid(db, conversation_id) is not None
    for pid in targets:
        os.kill(pid, signal.SIGKILL)
    return watermark, mid_run


def test_worker_killed_mid_analysis_analysis_completes_later_without_partial_snapshots(
    stack, pool_worker
):
    conversation = stack.seed(
        "tests.faults.seeding:seed_large_conversation", participants=2000, statements=100
    )
    conversation_id, rng = conversation["id"], random.Random(5)
    kills = 0
    with stack.db() as db:
        for _attempt in range(5 * KILLS):
            if kills == KILLS:
                break
            # Only the pool process: only a kill while the run holds its lock counts.
            watermark, mid_run = _kill_during_run(
                db, conversation_id, rng, lambda: children(pool_worker.pid)
            )
            kills += mid_run
            # The killed run's transaction is rolled back with its connection; the task goes
            # back on the queue and a new pool process completes it.
            stack.wait_for_snapshot(conversation_id, watermark, timeout=60)
        assert kills == KILLS

        rows = db.execute(
            "SELECT vote_watermark, moderation_watermark, vote_count, participant_count,"
            " result ? 'groups' AND result ? 'consensus_agree' FROM deliberation_analysissnapshot"
            " WHERE conversation_id = %s",
            [conversation_id],
        ).fetchall()
    keys = [(votes, moderation) for votes, moderation, *_rest in rows]
    assert len(keys) == len(set(keys)), "two snapshots for the same watermarks"
    # Every visible snapshot is whole: all the votes, all the participants, all the results.
    assert {(count, people, whole) for *_keys, count, people, whole in rows} == {
        (conversation["votes"], 2000, True)
    }


WHOLE_WORKER_KILLS = 3
REQUEUE_SECONDS = 5


def test_whole_worker_killed_mid_analysis_a_new_worker_completes_it(stack):
    """Worker and pool SIGKILLed together (a crashed container); a fresh worker takes over."""
    env = {**stack.env, "POLITY_ANALYSIS_REQUEUE_SECONDS": str(REQUEUE_SECONDS)}
    conversation = stack.seed(
        "tests.faults.seeding:seed_large_conversation", participants=2000, statements=100
    )
    conversation_id, rng = conversation["id"], random.Random(7)
    beat = start_beat(env, log_dir=stack.root)
    worker = start_celery(env, log_dir=stack.root, beat=False)
    kills, waits = 0, []
    try:
        with stack.db() as db:
            for _attempt in range(5 * WHOLE_WORKER_KILLS):
                if kills == WHOLE_WORKER_KILLS:
                    break
                watermark, mid_run = _kill_during_run(
                    db, conversation_id, rng, lambda w=worker: [w.pid, *children(w.pid)]
                )
                kills += mid_run
                worker.wait()
                worker = start_celery(env, log_dir=stack.root, beat=False)
                waits.append(stack.wait_for_snapshot(conversation_id, watermark, timeout=90))
            assert kills == WHOLE_WORKER_KILLS
            keys = db.execute(
                "SELECT vote_watermark, moderation_watermark FROM deliberation_analysissnapshot"
                " WHERE conversation_id = %s",
                [conversation_id],
            ).fetchall()
    finally:
        stop_process(worker)
        stop_process(beat)
    assert len(keys) == len(set(keys)), "two snapshots for the same watermarks"
    print(f"snapshot after each whole-worker kill within {max(waits):.1f} s")
