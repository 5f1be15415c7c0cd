"""API benchmark: fetch a published constitution version from gunicorn, as JSON and revalidated.

Sets up a dedicated database `polity_bench_api` on this machine's PostgreSQL (127.0.0.1:5432,
user postgres, trust; dropped and created afresh, dropped again at the end), migrates it, loads
the demo (which publishes constitution 1.0.0) and starts gunicorn with production settings
(DEBUG=false, bench/servers.py). Then, for each scenario, a load generator in another process
over loopback (`--concurrency` connections kept alive, each sending its next request as soon as
the last one answered) runs for `--duration` seconds after a short warm-up, and the requests per
second, p50 / p99 latency and gunicorn's CPU time per request are printed (the last says what
the machine could serve with nothing else running). Prints figures, asserts nothing.

The load generator is `wrk` (Debian's package) when it is installed: it costs a fraction of the
server's CPU per request. Without it, or with `--client python`, an asyncio + httpx client runs
instead; it costs more CPU than the server, so its figures measure the client as much as Polity.

Scenarios: the numbered version as JSON (200), the same with If-None-Match (304), and the
`latest` alias both ways.

Run: .venv/bin/python bench/api.py [--duration 15] [--concurrency 16] [--workers 2 --threads 4]
                                   [--client wrk|python]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load_checks import latency_summary
from bench.servers import cpu_seconds, django_env, manage, prepare_database, start_gunicorn

DATABASE = "polity_bench_api"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
WARM_UP_SECONDS = 2.0


def recreate_database(*, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        if not drop_only:
            db.execute(f'CREATE DATABASE "{DATABASE}"')


async def _hammer(url: str, headers: dict[str, str], seconds: float, concurrency: int) -> dict:
    """Closed loop: `concurrency` connections, each sending its next request on each answer."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    warm_up = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def connection(until: float, record: bool) -> None:
            while time.perf_counter() < until:
                started = time.perf_counter()
                try:
                    response = await client.get(url, headers=headers)
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                if record:
                    latencies.append(time.perf_counter() - started)
                    statuses[status] = statuses.get(status, 0) + 1
                else:
                    warm_up.append(status)

        warm_until = time.perf_counter() + WARM_UP_SECONDS
        await asyncio.gather(*(connection(warm_until, False) for _ in range(concurrency)))
        began = time.perf_counter()
        await asyncio.gather(*(connection(began + seconds, True) for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {
        **latency_summary(latencies),
        "requests_per_second": len(latencies) / elapsed,
        "statuses": statuses,
        "warm_up_count": len(warm_up),
    }


def run_client(url: str, headers: dict[str, str], seconds: float, concurrency: int) -> dict:
    """Runs in its own process, so the client's work is not counted as the benchmark's."""
    return asyncio.run(_hammer(url, headers, seconds, concurrency))


# wrk runs one Lua state per thread; `done` adds up the threads' counts of unexpected statuses.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) unexpected = 0 end
function response(status, headers, body)
  if status ~= EXPECTED then unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("unexpected") end
  io.write(string.format("POLITY %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), total))
end
"""


def run_wrk(url: str, headers: dict[str, str], seconds: float, concurrency: int, expected: int):
    """wrk with 2 threads; a warm-up run first, as the Python client has."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.replace("EXPECTED", str(expected)))
    header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]

    def wrk(duration: float) -> tuple[int, ...]:
        command = ["wrk", "-t2", f"-c{concurrency}", f"-d{duration:.0f}s", "-s", script.name]
        out = subprocess.run(
            [*command, *header_args, url], capture_output=True, text=True, check=True
        ).stdout
        return tuple(int(x) for x in re.search(r"POLITY ([\d ]+)", out).group(1).split())

    try:
        warm_up = wrk(WARM_UP_SECONDS)
        requests, microseconds, p50, p99, unexpected = wrk(seconds)
    finally:
        os.unlink(script.name)
    return {
        "count": requests,
        "warm_up_count": warm_up[0],
        "requests_per_second": requests / (microseconds / 1e6),
        "p50_ms": p50 / 1000,
        "p99_ms": p99 / 1000,
        "statuses": {expected: requests - unexpected, 0: unexpected},
    }


def scenarios(base: str) -> list[tuple[str, str, dict[str, str], int]]:
    """The demo's context (the one with a published version) and its version's ETag."""
    contexts = httpx.get(f"{base}/api/v1/contexts/?has_constitution=true", timeout=10).json()
    slug = contexts["results"][0]["slug"]
    versions = f"{base}/api/v1/contexts/{slug}/constitution/versions"
    numbered = httpx.get(f"{versions}/", timeout=10).json()["results"][0]["number"]
    etag = httpx.get(f"{versions}/{numbered}/", timeout=10).headers["ETag"]
    rows = []
    for label, path in ((numbered, f"{versions}/{numbered}/"), ("latest", f"{versions}/latest/")):
        rows.append((f"{label}, JSON", path, {}, 200))
        rows.append((f"{label}, If-None-Match", path, {"If-None-Match": etag}, 304))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=15, help="Seconds measured per row.")
    parser.add_argument("--concurrency", type=int, default=16, help="Connections in flight.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
    parser.add_argument("--threads", type=int, default=4, help="Threads per worker (gthread).")
    parser.add_argument(
        "--client",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="Load generator (wrk when installed).",
    )
    args = parser.parse_args()

    recreate_database()
    work = Path(tempfile.mkdtemp(prefix="polity-bench-api-"))
    env = django_env(f"postgres://postgres@127.0.0.1:5432/{DATABASE}", "")
    web = None
    try:
        print("migrating and loading the demo ...", flush=True)
        prepare_database(env, work / "static")
        manage(env, "load_demo")
        web = start_gunicorn(
            env,
            log_dir=work,
            static_root=work / "static",
            workers=args.workers,
            threads=args.threads,
        )
        rows = []
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            for label, url, headers, expected in scenarios(web.url):
                cpu_before = cpu_seconds(web.process.pid)
                if args.client == "wrk":
                    figures = run_wrk(url, headers, args.duration, args.concurrency, expected)
                else:
                    figures = pool.submit(
                        run_client, url, headers, args.duration, args.concurrency
                    ).result()
                served = figures["count"] + figures["warm_up_count"]
                figures["server_cpu_ms"] = (
                    1000 * (cpu_seconds(web.process.pid) - cpu_before) / max(served, 1)
                )
                unexpected = sum(n for s, n in figures["statuses"].items() if s != expected)
                rows.append((label, expected, figures, unexpected))
                print(f"  {label}: done", flush=True)
    finally:
        if web is not None:
            web.stop()
        recreate_database(drop_only=True)

    # Other work on the machine takes CPU from both server and client: say how busy it was.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\ngunicorn gthread {args.workers} workers x {args.threads} threads, PostgreSQL, "
        f"{args.concurrency} connections, {args.duration:.0f} s per row, client {args.client}; "
        f"{os.cpu_count()} CPUs, load average at the end {load}\n"
    )
    print("| request | status | req/s | p50 ms | p99 ms | other statuses | server CPU ms/req |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for label, expected, figures, unexpected in rows:
        print(
            f"| {label} | {expected} | {figures['requests_per_second']:.0f} | "
            f"{figures['p50_ms']:.1f} | {figures['p99_ms']:.1f} | {unexpected} | "
            f"{figures['server_cpu_ms']:.2f} |"
        )


if __name__ == "__main__":
    main()
