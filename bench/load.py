"""Load benchmark: simulated participants vote through the real HTTP stack; SQL checks after.

Starts a private PostgreSQL and Redis (bench/servers.py: free loopback ports, a temporary
directory, default durability), migrates a fresh database, starts gunicorn (gthread) with
production settings (DEBUG=false) and a Celery worker with beat, seeds one open conversation,
then drives it from this process with an asyncio HTTP client. Each simulated participant
follows a browser's flow: GET the conversation page (CSRF cookie and token, first statement),
POST votes with the CSRF token, the Origin header and htmx's header, keep the participant
cookie the first vote sets, change earlier votes on "My votes", and a few write a statement.

Scenarios (all bounded in time; prints figures, asserts nothing):
    soak   100 participants, 40 votes/s target, 10 minutes (--duration 120 for a shorter run)
    burst  100 participants, 100 votes/s for 60 s
    ramp   rising rates, --step-seconds each, until p99 >= 100 ms or the rate is not reached;
           then pgbench's single-row INSERT rate on the same PostgreSQL, for comparison

Run:  .venv/bin/python bench/load.py soak --duration 120
      .venv/bin/python bench/load.py burst
      .venv/bin/python bench/load.py ramp --step-seconds 15
Figures are also written as JSON to bench/results/ (ignored by git).

After the load: every acknowledged vote must be the participant's current vote with its latest
value, no (participant, statement) may have two current votes, the VoteEvent log must hold
exactly the acknowledged actions, and no response may be a server error; the analysis must keep
up (the latest snapshot covers votes no older than 60 s when the load stops).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load_checks import (
    analysis_freshness,
    catch_up_seconds,
    check_votes,
    latency_summary,
    participant_ids,
    pgbench_insert_rate,
)
from bench.load_participants import PARTICIPANT_COOKIE_SALT, Recorder, SimulatedParticipant
from bench.servers import (
    cpu_seconds,
    django_call,
    django_env,
    prepare_database,
    private_servers,
    start_celery,
    start_gunicorn,
    stop_process,
)

RESULTS = Path(__file__).resolve().parent / "results"


async def drive(
    *, url: str, public_id: str, participants: int, rate: float, duration: float, writers: int
) -> tuple[Recorder, float]:
    """`participants` join over two seconds; then actions at `rate` per second in total.

    Open loop: a pacer issues one ticket per action on schedule and idle participants take
    them, so a slow server shows as a lower achieved rate and a backlog, not as a lower target.
    Returns the recorder and the seconds the load ran.
    """
    recorder = Recorder()
    tickets: asyncio.Queue[bool] = asyncio.Queue()
    # Idle connections are dropped after 1 s, before gunicorn's keep-alive (2 s) closes them
    # from its side: reusing one the server is closing fails as a ReadError, a bench artefact.
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4, keepalive_expiry=1.0)
    timeout = httpx.Timeout(10.0)
    clients = [
        httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout, follow_redirects=False)
        for _ in range(participants)
    ]
    crowd = [
        SimulatedParticipant(client, public_id, recorder, seed=index)
        for index, client in enumerate(clients)
    ]

    async def pace():
        total = int(rate * duration)
        started = time.perf_counter()
        for index in range(total):
            delay = started + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            # The first `writers` participants each write once, a few actions in.
            tickets.put_nowait(True)

    async def join(index: int, person: SimulatedParticipant) -> bool:
        await asyncio.sleep(index * 0.02)  # joining over the first two seconds
        return await person.join()

    async def live(index: int, person: SimulatedParticipant):
        actions = 0
        while True:
            await tickets.get()
            actions += 1
            await person.act(write=index < writers and actions == 5)
            tickets.task_done()

    # Everyone joins (their pages are timed) before the actions start, so the vote figures
    # measure voting at the offered rate, not votes queued behind a hundred page loads at once.
    joined = await asyncio.gather(*(join(i, p) for i, p in enumerate(crowd)))
    started = time.perf_counter()
    workers = [asyncio.create_task(live(i, p)) for i, p in enumerate(crowd) if joined[i]]
    await pace()
    try:
        await asyncio.wait_for(tickets.join(), timeout=30)
    except TimeoutError:
        print(f"backlog of {tickets.qsize()} actions left unsent after 30 s")
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    await asyncio.gather(*(client.aclose() for client in clients))
    return recorder, elapsed


def summarise(recorder: Recorder, elapsed: float) -> dict:
    votes = recorder.latencies["vote"] + recorder.latencies["change"]
    every = [value for values in recorder.latencies.values() for value in values]
    return {
        "seconds": round(elapsed, 1),
        "votes_per_s": round(len(votes) / elapsed, 1),
        "requests_per_s": round(len(every) / elapsed, 1),
        "votes": latency_summary(votes),
        "all_requests": latency_summary(every),
        "writes": len(recorder.latencies["write"]),
        "statuses": dict(sorted(recorder.statuses.items())),
        "server_errors": sum(n for code, n in recorder.statuses.items() if code >= 500),
        "transport_failures": dict(recorder.failures),
        "web_cpu_ms_per_request": round(1000 * recorder.web_cpu_seconds / max(len(every), 1), 1),
        "load_average": os.getloadavg(),
    }


def print_run(name: str, figures: dict) -> None:
    votes = figures["votes"]
    print(
        f"{name}: {figures['votes_per_s']} votes/s ({figures['requests_per_s']} requests/s) over "
        f"{figures['seconds']} s; vote latency p50 {votes['p50_ms']:.0f} ms, "
        f"p95 {votes['p95_ms']:.0f} ms, p99 {votes['p99_ms']:.0f} ms, max {votes['max_ms']:.0f} ms;"
        f" statuses {figures['statuses']}, transport failures {figures['transport_failures']};"
        f" gunicorn CPU {figures['web_cpu_ms_per_request']} ms per request, load average"
        f" {figures['load_average'][0]:.1f} on {os.cpu_count()} CPUs"
    )


class Stack:
    """Private servers, a migrated database with one seeded conversation, gunicorn, Celery."""

    def __init__(self, args):
        self.args = args

    def __enter__(self):
        self._servers = private_servers()
        self.postgres, self.redis = self._servers.__enter__()
        root = self.postgres.root
        limits = {"POLITY_VOTE_RATE": "1000000", "POLITY_JOIN_RATE": "1000000",
                  "POLITY_STATEMENT_RATE": "1000000"}  # fmt: skip
        self.env = django_env(self.postgres.create_database("polity"), self.redis.url(), **limits)
        started = time.perf_counter()
        prepare_database(self.env, root / "static")
        self.conversation = django_call(
            self.env, "bench.load_participants:seed_conversation", statements=self.args.statements
        )
        self.web = start_gunicorn(
            self.env,
            log_dir=root,
            static_root=root / "static",
            workers=self.args.workers,
            threads=self.args.threads,
        )
        self.worker = start_celery(self.env, log_dir=root)
        print(
            f"stack ready in {time.perf_counter() - started:.0f} s: gunicorn {self.args.workers}"
            f" workers x {self.args.threads} threads at {self.web.url}, PostgreSQL port"
            f" {self.postgres.port}, Redis port {self.redis.port}, logs in {root}"
        )
        self.db = self.postgres.connect("polity", autocommit=True)
        return self

    def __exit__(self, *exc):
        self.db.close()
        stop_process(self.worker)
        self.web.stop()
        self._servers.__exit__(*exc)

    def load(self, *, rate: float, duration: float, participants: int, writers: int = 0):
        """Run the load; also measures the CPU seconds gunicorn's processes spent on it."""
        cpu_before = cpu_seconds(self.web.process.pid)
        recorder, elapsed = asyncio.run(
            drive(
                url=self.web.url,
                public_id=self.conversation["public_id"],
                participants=participants,
                rate=rate,
                duration=duration,
                writers=writers,
            )
        )
        recorder.web_cpu_seconds = cpu_seconds(self.web.process.pid) - cpu_before
        return recorder, elapsed

    def check(self, recorder: Recorder) -> dict:
        cookies = {cookie for cookie, _subject, _value in recorder.acks}
        ids = participant_ids(
            cookies,
            secret_key=self.env["SECRET_KEY"],
            salt=PARTICIPANT_COOKIE_SALT,
            public_id=self.conversation["public_id"],
        )
        return check_votes(
            self.db, conversation_id=self.conversation["id"], acks=recorder.acks, cookie_ids=ids
        )


def run_fixed(stack: Stack, name: str, *, rate: float, duration: float, writers: int) -> dict:
    recorder, elapsed = stack.load(
        rate=rate, duration=duration, participants=stack.args.participants, writers=writers
    )
    conversation_id = stack.conversation["id"]
    figures = summarise(recorder, elapsed)
    figures["analysis"] = analysis_freshness(stack.db, conversation_id=conversation_id)
    figures["analysis"]["catch_up_s"] = catch_up_seconds(stack.db, conversation_id=conversation_id)
    figures["checks"] = stack.check(recorder)
    print_run(name, figures)
    print(f"analysis: {figures['analysis']}")
    print(f"SQL checks: {figures['checks']}")
    checks = figures["checks"]
    problems = [
        key
        for key in ("lost_votes", "double_current_votes", "events_missing", "unattributable_acks")
        if checks[key]
    ]
    # A request the client stopped waiting for (timeout, or still in flight at the end) may
    # have been committed: its event and value are in doubt, not lost or invented.
    in_doubt = sum(figures["transport_failures"].values())
    if checks["events_unacknowledged"] > in_doubt:
        problems.append("more unacknowledged events than requests in doubt")
    if not in_doubt and (checks["stale_vote_values"] or checks["unacknowledged_current_votes"]):
        problems.append("current votes differ from the acknowledged ones")
    if in_doubt:
        problems.append(f"{in_doubt} requests timed out (in doubt)")
    if figures["server_errors"]:
        problems.append("server errors")
    age = figures["analysis"]["watermark_age_s"]
    if age is None or age > 60:
        problems.append("analysis more than 60 s behind")
    print("SUMMARY: " + ("all checks passed" if not problems else "FAILED: " + ", ".join(problems)))
    return figures


def run_ramp(stack: Stack) -> dict:
    """Rising rates until p99 reaches 100 ms or the rate is not achieved; then pgbench."""
    steps, best = [], None
    for rate in stack.args.rates:
        recorder, elapsed = stack.load(
            rate=rate, duration=stack.args.step_seconds, participants=stack.args.participants
        )
        figures = summarise(recorder, elapsed)
        print_run(f"ramp {rate}/s", figures)
        sustained = (
            figures["votes"]["p99_ms"] < 100
            and figures["votes_per_s"] >= 0.95 * rate
            and not figures["server_errors"]
            and not figures["transport_failures"]
        )
        steps.append({"target_per_s": rate, "sustained": sustained, **figures})
        if not sustained:
            break
        best = figures["votes_per_s"]
    insert_rate = pgbench_insert_rate(stack.postgres, stack.postgres.root)
    print(
        f"highest sustained vote rate with p99 < 100 ms: {best} votes/s; pgbench single-row "
        f"INSERT rate on the same PostgreSQL: {insert_rate:.0f}/s"
    )
    return {"steps": steps, "highest_sustained_per_s": best, "pgbench_insert_per_s": insert_rate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=["soak", "burst", "ramp"])
    parser.add_argument("--duration", type=float, help="seconds (soak 600, burst 60)")
    parser.add_argument("--rate", type=float, help="actions per second (soak 40, burst 100)")
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--statements", type=int, default=60)
    parser.add_argument("--writers", type=int, default=10, help="participants who write (soak)")
    # Two processes per CPU with two threads each: the vote path is mostly Python (the GIL), so
    # processes give the parallelism and the threads cover waits on PostgreSQL and Redis.
    cpus = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=2 * cpus, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument(
        "--rates",
        type=lambda raw: [float(rate) for rate in raw.split(",")],
        default=[25, 50, 75, 100, 150, 200, 300],
        help="ramp steps, per second",
    )
    parser.add_argument("--step-seconds", type=float, default=15)
    args = parser.parse_args()
    defaults = {"soak": (600, 40), "burst": (60, 100), "ramp": (None, None)}[args.scenario]
    duration = args.duration or defaults[0]
    rate = args.rate or defaults[1]
    started = datetime.now(UTC)
    with Stack(args) as stack:
        if args.scenario == "ramp":
            figures = run_ramp(stack)
        else:
            writers = args.writers if args.scenario == "soak" else 0
            figures = run_fixed(stack, args.scenario, rate=rate, duration=duration, writers=writers)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"load-{args.scenario}-{started:%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps({"args": vars(args), "started": started.isoformat(), **figures},
                              indent=2, default=str))  # fmt: skip
    print(f"figures written to {out}")


if __name__ == "__main__":
    main()
