"""Loading the polis-math golden fixtures and the real-data folders for tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from deliberation.opinions import Conversation, Moderation, Statement, VoteTable

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
POLIS_MATH = DATA / "polis-math"
OPENDATA = DATA / "polis-opendata"


def require(path: Path) -> Path:
    """Skip when the shared data is absent (a user's machine), fail in CI."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing in CI")
        pytest.skip(f"{path} is not available")
    return path


def fixture_names() -> list[str]:
    if not POLIS_MATH.exists():
        return ["(missing)"]
    return sorted(p.name for p in POLIS_MATH.iterdir() if p.is_dir())


def load_fixture(name: str) -> tuple[Conversation, dict]:
    folder = require(POLIS_MATH / name)
    math = json.loads((folder / "math-pca2.json").read_text())
    votes = json.loads((folder / "votes.json").read_text())
    comments = json.loads((folder / "comments.json").read_text())

    def key(record: dict, long: str, short: str) -> int:
        return int(record[long] if long in record else record[short])

    table = VoteTable(
        participant_ids=[key(v, "participant_id", "pid") for v in votes],
        statement_ids=[key(v, "statement_id", "tid") for v in votes],
        values=[int(v["vote"]) for v in votes],
        times=[float(v["modified"]) for v in votes],
    )
    states = {-1: Moderation.REJECTED, 0: Moderation.UNMODERATED, 1: Moderation.ACCEPTED}
    statements = [
        Statement(
            key(c, "statement_id", "tid"),
            states[int(c["moderated"] if "moderated" in c else c["mod"])],
            is_meta=bool(c["is_meta"]),
        )
        for c in comments
    ]
    return Conversation(votes=table, statements=statements), math


def polis_groups(math: dict) -> dict[int, int]:
    """Participant -> Polis group, through the base clusters."""
    base = math["base-clusters"]
    members = dict(zip(base["id"], base["members"], strict=True))
    return {
        pid: group["id"]
        for group in math["group-clusters"]
        for bid in group["members"]
        for pid in members[bid]
    }
