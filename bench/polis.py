"""Benchmark Polis exports end to end: whole processes, as a user runs them (prints tables).

1. `manage.py analyse_export` on american-assembly.bowling-green beside red-dwarf 0.4.0 doing
   the same job in its own process (read the export's CSV with pandas, `run_pipeline`, write the
   groups as JSON), alternating, so both see the same machine.
2. `manage.py analyse_export` on a synthetic export (votes.csv, comments.csv, summary.csv).
3. `manage.py import_polis` of a synthetic export into PostgreSQL (a database this script creates
   and drops; migrations are not timed).

Wall seconds and peak resident memory come from `os.wait4` on each child process (its own
`ru_maxrss`), so interpreter start-up, imports and reading the files are all counted. Synthetic
exports are written once into --data and reused.

Run: .venv/bin/python bench/polis.py [--repeats 5] [--parts bowling-green,analyse,import]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BOWLING_GREEN = (
    ROOT.parent / "shared" / "data" / "polis-opendata" / "american-assembly.bowling-green"
)
PYTHON = sys.executable
# One thread each for the side-by-side run: on a shared machine, scikit-learn's OpenMP threads
# (red-dwarf's k-means) spin waiting for a busy core and made red-dwarf 3-10 times slower.
ONE_THREAD = dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"), "1")

# What a red-dwarf user writes to get groups from a Polis CSV export (red-dwarf reads JSON or
# the Polis API, not export folders): pandas reads the files, run_pipeline clusters.
RED_DWARF = """
import json, sys
import pandas as pd
from reddwarf.implementations.base import run_pipeline
folder, out = sys.argv[1], sys.argv[2]
comments = pd.read_csv(f"{folder}/comments.csv")
matrix = pd.read_csv(f"{folder}/participants-votes.csv")
cells = matrix.set_index("participant").filter(regex=r"^\\d+$")
votes = cells.stack().dropna().astype(int).rename("vote").reset_index()
votes.columns = ["participant_id", "statement_id", "vote"]
votes["statement_id"] = votes["statement_id"].astype(int)
votes["modified"] = 0
meta = comments.get("is-meta", pd.Series(False, index=comments.index)).astype(bool)
mod_out = comments.loc[(comments["moderated"] == -1) | meta, "comment-id"].tolist()
result = run_pipeline(votes=votes.to_dict("records"), mod_out_statement_ids=mod_out,
                      meta_statement_ids=comments.loc[meta, "comment-id"].tolist(), random_state=0)
groups = result.participants_df["cluster_id"].dropna().astype(int)
with open(out, "w") as handle:
    json.dump({str(p): int(g) for p, g in groups.items()}, handle)
"""


def run(command: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one child process, which must succeed.
    On a shared machine the wall clock includes waiting for a core; CPU time does not."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    errors = child.stderr.read().decode()
    child.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{errors}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def summary(samples: list[tuple[float, float, float]]) -> str:
    """min and median wall seconds, min CPU seconds, highest peak RSS."""
    seconds = [s for s, _, _ in samples]
    cpu = min(c for _, c, _ in samples)
    peak = max(m for _, _, m in samples)
    return f"{min(seconds):.2f} | {statistics.median(seconds):.2f} | {cpu:.2f} | {peak:,.0f}"


def analyse_command(folder: Path, out: Path) -> list[str]:
    return [PYTHON, "manage.py", "analyse_export", str(folder), "--out", str(out), "--no-progress"]


def bowling_green(repeats: int, scratch: Path) -> None:
    if not BOWLING_GREEN.exists():
        print(f"skipped: {BOWLING_GREEN} is absent")
        return
    ours, theirs = [], []
    for _ in range(repeats):  # alternating, so a busy moment hits both
        ours.append(run(analyse_command(BOWLING_GREEN, scratch / "polity.json"), ONE_THREAD))
        red_dwarf = [PYTHON, "-c", RED_DWARF, str(BOWLING_GREEN), str(scratch / "rd.json")]
        theirs.append(run(red_dwarf, ONE_THREAD))
    ratio = min(s for s, _, _ in ours) / min(s for s, _, _ in theirs)
    median = statistics.median(s for s, _, _ in ours) / statistics.median(s for s, _, _ in theirs)
    cpu = min(c for _, c, _ in ours) / min(c for _, c, _ in theirs)
    print(f"\nBowling Green, whole process, {repeats} alternating runs each, one thread each")
    print("| process | min s | median s | min CPU s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    print(f"| red-dwarf 0.4.0: pandas read + run_pipeline + JSON | {summary(theirs)} |")
    print(f"| polity: manage.py analyse_export | {summary(ours)} |")
    print(f"ratio polity / red-dwarf: {ratio:.2f} (min), {median:.2f} (median), {cpu:.2f} (CPU)")


def synthetic_export(folder: Path, n: int, m: int, votes: int) -> Path:
    """A Polis export of `synthetic_conversation(n, m, 4, ...)`, written once with pyarrow:
    votes.csv in time order (one vote per pair), comments.csv (older layout), summary.csv."""
    if (folder / "summary.csv").exists():
        return folder
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    from deliberation.opinions import synthetic_conversation

    folder.mkdir(parents=True, exist_ok=True)
    table = synthetic_conversation(n, m, 4, votes / (n * m), seed=0).conversation.votes
    start_ms = 1_500_000_000_000
    ms = pa.array(start_ms + np.arange(len(table)) * 7, type=pa.int64())
    seconds = pc.cast(pc.divide(ms, 1000), pa.timestamp("s", tz="UTC"))
    when = pc.strftime(seconds, "%a %b %d %H:%M:%S UTC %Y")
    pacsv.write_csv(
        pa.table(
            {
                "timestamp": ms,
                "datetime": when,
                "comment-id": table.statement_ids,
                "voter-id": table.participant_ids,
                "vote": table.values,
            }
        ),
        folder / "votes.csv",
        pacsv.WriteOptions(quoting_style="none"),
    )
    ids = np.arange(m)
    pacsv.write_csv(
        pa.table(
            {
                "timestamp": start_ms + ids,
                "datetime": pa.array(["Fri Jul 14 02:40:00 UTC 2017"] * m),
                "comment-id": ids,
                "author-id": ids % n,
                "agrees": np.zeros(m, dtype=np.int64),
                "disagrees": np.zeros(m, dtype=np.int64),
                "moderated": np.ones(m, dtype=np.int64),
                "comment-body": pa.array([f"Synthetic statement {i}." for i in ids]),
            }
        ),
        folder / "comments.csv",
        pacsv.WriteOptions(quoting_style="none"),
    )
    (folder / "summary.csv").write_text(f"topic,Synthetic {n} x {m}\n", encoding="utf-8")
    return folder


def size(text: str) -> tuple[int, int, int]:
    n, m, v = (int(part) for part in text.split("x"))
    return n, m, v


def analyse_synthetic(sizes: list[str], repeats: int, data: Path, scratch: Path) -> None:
    print("\nanalyse_export on synthetic exports (votes.csv), whole process")
    print(
        "| participants x statements | votes | votes.csv MB | min s | median s | min CPU s "
        "| peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for text in sizes:
        n, m, v = size(text)
        folder = synthetic_export(data / f"synthetic-{text}", n, m, v)
        samples = [run(analyse_command(folder, scratch / "out.json")) for _ in range(repeats)]
        result = json.loads((scratch / "out.json").read_text())
        megabytes = (folder / "votes.csv").stat().st_size / 2**20
        print(
            f"| {n:,} x {m:,} | {result['n_votes']:,} | {megabytes:,.0f} | {summary(samples)} |",
            flush=True,
        )


def import_synthetic(sizes: list[str], repeats: int, data: Path, database: str) -> None:
    import psycopg

    admin = "postgres://postgres@127.0.0.1:5432/postgres"
    env = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}", "DEBUG": "true"}
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
    try:
        run([PYTHON, "manage.py", "migrate", "--no-input"], env)
        print("\nimport_polis into PostgreSQL (COPY), whole process; one new conversation per run")
        print("| participants x statements | votes | min s | median s | min CPU s | peak RSS MB |")
        print("|---|---:|---:|---:|---:|---:|")
        for text in sizes:
            n, m, v = size(text)
            folder = synthetic_export(data / f"synthetic-{text}", n, m, v)
            command = [PYTHON, "manage.py", "import_polis", str(folder), "--no-progress"]
            samples = [
                run([*command, "--context", f"bench-{i}", "--create-context"], env)
                for i in range(repeats)
            ]
            print(f"| {n:,} x {m:,} | {v:,} | {summary(samples)} |", flush=True)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--parts", default="bowling-green,analyse,import")
    parser.add_argument("--analyse-sizes", default="100000x5000x10000000")
    parser.add_argument("--import-sizes", default="10000x1000x1000000")
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "polity-bench-polis"
    )
    parser.add_argument("--database", default="polity_bench_polis")
    args = parser.parse_args()
    parts = args.parts.split(",")
    scratch = args.data / "out"
    scratch.mkdir(parents=True, exist_ok=True)
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if "bowling-green" in parts:
        bowling_green(args.repeats, scratch)
    if "analyse" in parts:
        analyse_synthetic(args.analyse_sizes.split(","), args.repeats, args.data, scratch)
    if "import" in parts:
        import_synthetic(args.import_sizes.split(","), args.repeats, args.data, args.database)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
