"""What bench/load.py checks and measures after a run: SQL checks, latency figures, pgbench."""

from __future__ import annotations

import re
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from django.core import signing

from bench.servers import PG_BIN, PostgresServer


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (the definition in NIST's Engineering Statistics Handbook)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, int(-(-share * len(ordered) // 1)))  # ceil(share * n), at least 1
    return ordered[rank - 1]


def latency_summary(latencies: list[float]) -> dict[str, float]:
    return {
        "count": len(latencies),
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies, default=float("nan")) * 1000,
    }


def participant_ids(cookies: set[str], *, secret_key: str, salt: str, public_id: str):
    """The participant id inside each signed participant cookie (we know the server's key)."""
    ids = {}
    for cookie in cookies:
        if cookie:
            mapping = signing.loads(cookie, key=secret_key, salt=salt, fallback_keys=[])
            ids[cookie] = mapping[public_id]
    return ids


def check_votes(db, *, conversation_id: int, acks, cookie_ids: dict[str, int]) -> dict:
    """Compare the database with what the server acknowledged; every count should be 0."""
    texts = dict(
        db.execute(
            "SELECT text, id FROM deliberation_statement WHERE conversation_id = %s",
            [conversation_id],
        ).fetchall()
    )
    expected_events: Counter = Counter()
    latest: dict[tuple[int, int], int] = {}
    unknown = 0
    for cookie, subject, value in acks:
        statement = texts.get(subject) if isinstance(subject, str) else subject
        if cookie not in cookie_ids or statement is None:
            unknown += 1
            continue
        key = (cookie_ids[cookie], statement)
        expected_events[(*key, value)] += 1
        latest[key] = value
    events = Counter(
        db.execute(
            "SELECT participant_id, statement_id, value FROM deliberation_voteevent"
            " WHERE conversation_id = %s",
            [conversation_id],
        ).fetchall()
    )
    current = {
        (participant, statement): value
        for participant, statement, value in db.execute(
            "SELECT participant_id, statement_id, value FROM deliberation_vote"
            " WHERE conversation_id = %s",
            [conversation_id],
        )
    }
    (doubled,) = db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM deliberation_vote WHERE conversation_id = %s"
        " GROUP BY participant_id, statement_id HAVING count(*) > 1) AS doubled",
        [conversation_id],
    ).fetchone()
    return {
        "acknowledged_actions": len(acks),
        "unattributable_acks": unknown,
        "lost_votes": sum(1 for key in latest if key not in current),
        "stale_vote_values": sum(
            1 for key, value in latest.items() if key in current and current[key] != value
        ),
        "unacknowledged_current_votes": sum(1 for key in current if key not in latest),
        "double_current_votes": doubled,
        "events_missing": sum((expected_events - events).values()),
        "events_unacknowledged": sum((events - expected_events).values()),
        "event_count": sum(events.values()),
    }


def analysis_freshness(db, *, conversation_id: int) -> dict:
    """How old the newest vote in the latest snapshot is, now (the load has just stopped)."""
    row = db.execute(
        "SELECT s.seconds, e.created_at FROM deliberation_analysissnapshot s"
        " LEFT JOIN deliberation_voteevent e ON e.id = s.vote_watermark"
        " WHERE s.conversation_id = %s ORDER BY s.id DESC LIMIT 1",
        [conversation_id],
    ).fetchone()
    (snapshots,) = db.execute(
        "SELECT count(*) FROM deliberation_analysissnapshot WHERE conversation_id = %s",
        [conversation_id],
    ).fetchone()
    if row is None or row[1] is None:
        return {"snapshots": snapshots, "watermark_age_s": None}
    seconds, voted_at = row
    return {
        "snapshots": snapshots,
        "watermark_age_s": (datetime.now(UTC) - voted_at).total_seconds(),
        "last_analysis_s": seconds,
    }


def catch_up_seconds(db, *, conversation_id: int, timeout: float = 120) -> float | None:
    """Seconds until a snapshot covers every vote cast, or None if none does within `timeout`."""
    (top,) = db.execute(
        "SELECT max(id) FROM deliberation_voteevent WHERE conversation_id = %s", [conversation_id]
    ).fetchone()
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        (covered,) = db.execute(
            "SELECT max(vote_watermark) FROM deliberation_analysissnapshot"
            " WHERE conversation_id = %s",
            [conversation_id],
        ).fetchone()
        if covered is not None and covered >= top:
            return time.monotonic() - started
        time.sleep(0.5)
    return None


INSERT_SCRIPT = """\\set participant random(1, 100000)
\\set statement random(1, 1000)
INSERT INTO pgbench_votes (participant_id, statement_id, value, created_at)
VALUES (:participant, :statement, 1, now());
"""


def pgbench_insert_rate(postgres: PostgresServer, workdir: Path, *, seconds: int = 10) -> float:
    """Single-row INSERTs per second, 4 clients (`pgbench -n -f insert.sql -c 4 -T 10`)."""
    database = "pgbench"
    postgres.create_database(database)
    with postgres.connect(database, autocommit=True) as db:
        db.execute(
            "CREATE TABLE pgbench_votes (id bigserial PRIMARY KEY, participant_id int NOT NULL,"
            " statement_id int NOT NULL, value smallint NOT NULL, created_at timestamptz NOT NULL)"
        )
    script = workdir / "insert.sql"
    script.write_text(INSERT_SCRIPT)
    result = subprocess.run(
        [str(PG_BIN / "pgbench"), "-n", "-f", str(script), "-c", "4", "-T", str(seconds),
         "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", database],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    )  # fmt: skip
    found = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
    return float(found.group(1))
