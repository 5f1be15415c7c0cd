"""Small Polis export folders written by tests, and the real ones in the shared data."""

from __future__ import annotations

import csv
from pathlib import Path

from deliberation.models import Conversation, Participant, Statement, Vote, VoteEvent
from tests.opinions.polis_fixtures import OPENDATA, require

OLD_COMMENTS = [
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
]
VOTES = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]


def real_export(name: str) -> Path:
    return require(OPENDATA / name)


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def small_export(
    folder: Path,
    *,
    comments: list[tuple[int, int, int, str]],
    votes: list[tuple[int, int, int, int]],
    topic: str = "Small conversation",
) -> Path:
    """comments: (comment id, author id, moderated, body); votes: (ms, comment id, voter, vote)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder / "comments.csv",
        OLD_COMMENTS,
        [[1_500_000_000_000 + c, "", c, a, 0, 0, m, body] for c, a, m, body in comments],
    )
    write_csv(folder / "votes.csv", VOTES, [[ms, "", c, p, v] for ms, c, p, v in votes])
    write_csv(folder / "summary.csv", ["topic", topic], [["conversation-description", "About."]])
    return folder


def current_votes(conversation: Conversation) -> dict[tuple[str, str], int]:
    """(Polis voter id, Polis comment id) -> current vote, as stored."""
    return {
        (p, s): v
        for p, s, v in Vote.objects.filter(conversation=conversation).values_list(
            "participant__external_id", "statement__external_id", "value"
        )
    }


def matrix_votes(folder: Path) -> dict[tuple[str, str], int]:
    """The participants-votes matrix as (participant, comment) -> vote."""
    with (folder / "participants-votes.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fixed = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
    return {
        (row["participant"], column): int(cell)
        for row in rows
        for column, cell in row.items()
        if column not in fixed and cell.strip()
    }


def by_rank(conversation: Conversation) -> dict:
    """What a round trip must keep: statements by comment id; votes and events by the
    participants' order of joining (ids are renumbered by an export)."""
    rank = {
        pk: index
        for index, pk in enumerate(
            Participant.objects.filter(conversation=conversation)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    }
    return {
        "statements": sorted(
            Statement.objects.filter(conversation=conversation).values_list(
                "external_id", "text", "state", "is_meta", "is_seed"
            )
        ),
        "votes": sorted(
            (rank[p], s, v)
            for p, s, v in Vote.objects.filter(conversation=conversation).values_list(
                "participant_id", "statement__external_id", "value"
            )
        ),
        "events": [
            (rank[p], s, v, at)
            for p, s, v, at in VoteEvent.objects.filter(conversation=conversation)
            .order_by("pk")
            .values_list("participant_id", "statement__external_id", "value", "created_at")
        ],
    }
