"""Benchmark the opinion engine (prints a table; no assertions).

1. Polity vs red-dwarf 0.4.0 on american-assembly.bowling-green (participants-votes matrix only).
2. Polity alone on synthetic conversations up to 10M votes; each size runs in its own
   subprocess and reports wall time and peak resident memory (resource.getrusage ru_maxrss of
   that subprocess, which includes the interpreter and the generated input).

Run: .venv/bin/python bench/analysis.py [--sizes PARTICIPANTSxSTATEMENTSxVOTES,...]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "polis-opendata" / "american-assembly.bowling-green"


def compare_red_dwarf(repeats: int = 3) -> None:
    import pandas as pd
    from reddwarf.implementations.base import run_pipeline

    from deliberation.opinions import Parameters, analyse
    from deliberation.polis.files import read_polis_export, to_conversation

    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return
    export = read_polis_export(DATA)
    records = pd.DataFrame(
        {
            "participant_id": export.votes.voter_ids,
            "statement_id": export.votes.comment_ids,
            "vote": export.votes.values,
            "modified": export.votes.timestamps,
        }
    ).to_dict("records")
    mod_out = [c.comment_id for c in export.comments if c.moderated == -1 or c.is_meta]
    meta = [c.comment_id for c in export.comments if c.is_meta]

    def best(fn) -> float:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)

    ours = {
        mode: best(
            lambda mode=mode: analyse(to_conversation(export), parameters=Parameters(mode=mode))
        )
        for mode in ("polity", "polis")
    }
    theirs = best(
        lambda: run_pipeline(
            votes=records, mod_out_statement_ids=mod_out, meta_statement_ids=meta, random_state=0
        )
    )
    print(f"bowling-green: {len(records):,} votes, best of {repeats} (input conversion included)")
    print("| engine | seconds | ratio to red-dwarf |")
    print("|---|---|---|")
    print(f"| red-dwarf 0.4.0 run_pipeline | {theirs:.2f} | 1.00 |")
    for mode, seconds in ours.items():
        print(f"| polity analyse(mode={mode}) | {seconds:.2f} | {seconds / theirs:.2f} |")


def one_size(n: int, m: int, votes: int) -> dict:
    from deliberation.opinions import analyse, synthetic_conversation

    start = time.perf_counter()
    synthetic = synthetic_conversation(n, m, 4, votes / (n * m), seed=0)
    generated = time.perf_counter() - start
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = analyse(synthetic.conversation)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    # CPU time as well as wall time: on a shared machine the wall clock includes waiting.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "participants": n,
        "statements": m,
        "votes": len(synthetic.conversation.votes),
        "generate_s": generated,
        "analyse_s": seconds,
        "analyse_cpu_s": cpu,
        "peak_mb": peak_kb / 1024,
        "groups": result.group_k,
        "dims": result.clustering_dimensions,
    }


def scaling(sizes: list[tuple[int, int, int]]) -> None:
    print(
        "\n| participants | statements | votes | generate s | analyse s | analyse CPU s "
        "| s per 1M votes | peak RSS MB | groups | dims |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, m, v in sizes:
        out = (
            subprocess.run(
                [sys.executable, __file__, "--one", f"{n}x{m}x{v}"],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        r = json.loads(out)
        per = r["analyse_s"] / (r["votes"] / 1e6)
        print(
            f"| {n:,} | {m:,} | {r['votes']:,} | {r['generate_s']:.1f} | {r['analyse_s']:.1f} "
            f"| {r['analyse_cpu_s']:.1f} "
            f"| {per:.1f} | {r['peak_mb']:.0f} | {r['groups']} | {r['dims']} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one")
    parser.add_argument(
        "--sizes", default="10000x1000x1000000,50000x2000x5000000,100000x5000x10000000"
    )
    parser.add_argument("--skip-red-dwarf", action="store_true")
    args = parser.parse_args()
    if args.one:
        n, m, v = map(int, args.one.split("x"))
        print(json.dumps(one_size(n, m, v)))
        return
    if not args.skip_red_dwarf:
        compare_red_dwarf()
    scaling([tuple(map(int, s.split("x"))) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
