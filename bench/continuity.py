"""Do groups keep their names from run to run? Each real conversation with a `votes.csv` is
replayed in STEPS time-ordered analyses, each handed the previous run's state as the platform
does. For each pair of consecutive runs, over the participants clustered in both:

- "moved": the share whose group really changed (groups matched to maximise who stays);
- "renamed": pairs of runs where more than RENAMED of them would show under another group
  number without having moved, numbering groups by size (largest first, Polity up to 1.3 and
  Polis' display order) and with Polity's numbering (most participants keep their number).

Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under
CC BY 4.0 with Attribution to The Computational Democracy Project (see shared/data/README.md
for the case-study links).
Run: .venv/bin/python bench/continuity.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "polis-opendata"
STEPS = 20
RENAMED = 0.25


def by_size(groups: dict) -> dict:
    """The same partition numbered largest group first, ties by first participant."""
    members: dict[int, list] = {}
    for participant in sorted(groups):
        members.setdefault(groups[participant], []).append(participant)
    order = sorted(members, key=lambda g: (-len(members[g]), members[g][0]))
    number = {g: n for n, g in enumerate(order)}
    return {p: number[g] for p, g in groups.items()}


def compare(before: dict, after: dict) -> tuple[float, float]:
    """(share moved, share under another number) over participants clustered in both."""
    common = [p for p in after if p in before]
    a = np.array([before[p] for p in common])
    b = np.array([after[p] for p in common])
    overlap = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(overlap, (a, b), 1)
    rows, cols = linear_sum_assignment(overlap, maximize=True)
    moved = 1.0 - overlap[rows, cols].sum() / len(common)
    return moved, float((a != b).mean())


def replay(folder: Path) -> list[dict]:
    from deliberation.opinions import Conversation, VoteTable, analyse
    from deliberation.polis.files import read_polis_export, to_conversation

    conversation = to_conversation(read_polis_export(folder))
    votes = conversation.votes
    order = np.argsort(votes.times, kind="stable")
    runs, state = [], None
    for cut in np.linspace(0, len(order), STEPS + 1).astype(int)[2:]:
        seen = order[:cut]
        analysis = analyse(
            Conversation(
                VoteTable(
                    votes.participant_ids[seen],
                    votes.statement_ids[seen],
                    votes.values[seen],
                    votes.times[seen],
                ),
                conversation.statements,
            ),
            previous_state=state,
        )
        state = analysis.state
        runs.append(
            {p.participant_id: p.group for p in analysis.participants if p.group is not None}
        )
    return runs


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"no data at {DATA}")
    print(
        "| conversation | pairs of runs | moved, median | moved, max | renamed: by size | Polity |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    totals = np.zeros(3, dtype=int)
    for folder in sorted(DATA.iterdir()):
        if not (folder / "votes.csv").exists():
            continue
        runs = replay(folder)
        moved, sized, polity = [], 0, 0
        for before, after in itertools.pairwise(runs):
            share_moved, share_renumbered = compare(before, after)
            _, share_resized = compare(by_size(before), by_size(after))
            moved.append(share_moved)
            sized += share_resized - share_moved > RENAMED
            polity += share_renumbered - share_moved > RENAMED
        totals += (len(moved), sized, polity)
        print(
            f"| {folder.name} | {len(moved)} | {np.median(moved):.1%} | {max(moved):.1%} "
            f"| {sized} | {polity} |"
        )
    print(f"| all | {totals[0]} | | | {totals[1]} | {totals[2]} |")


if __name__ == "__main__":
    main()
