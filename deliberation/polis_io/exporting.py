"""Writing a conversation as a Polis export folder, with pseudonymous participants."""

from __future__ import annotations

import csv
import io
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from tqdm import tqdm

from core.spreadsheet_cells import POLITY_MARK, neutralise
from deliberation.models import AnalysisSnapshot, Conversation, Statement, Vote, VoteEvent
from deliberation.polis_io.importing import BATCH_SIZE, STATES

MODERATED = {state: number for number, state in STATES.items()}
COMMENTS_HEADER = [
    "timestamp",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "is-meta",
    "is-seed",
    "group-informed-consensus",
    "comment-body",
]


def _comment_ids(statements: list[Statement]) -> dict[int, int]:
    """Statement pk -> comment id: the Polis id it came with, else the next free number."""
    ids: dict[int, int] = {}
    taken: set[int] = set()
    for statement in statements:
        external = statement.external_id
        if external.isascii() and external.isdigit() and int(external) not in taken:
            ids[statement.pk] = int(external)
            taken.add(int(external))
    next_id = max(taken, default=-1) + 1
    for statement in statements:
        if statement.pk not in ids:
            ids[statement.pk] = next_id
            next_id += 1
    return ids


def _csv(rows) -> str:
    buffer = io.StringIO()
    # People open these files in spreadsheets: no text may start a formula (see the module).
    csv.writer(buffer, lineterminator="\n").writerows([neutralise(c) for c in r] for r in rows)
    return buffer.getvalue()


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _milliseconds(at: datetime) -> int:
    return (at - EPOCH) // timedelta(milliseconds=1)


def _group_letter(number: int) -> str:
    # Polis names groups a, b, c, ... in comment-groups.csv.
    return chr(ord("a") + number)


def export_polis_export(
    *, conversation: Conversation, directory: str | Path, progress: bool = False
) -> list[Path]:
    """Write `conversation` as a Polis export folder; returns the files written.

    Votes are read in one pass each over `VoteEvent` (votes.csv) and `Vote` (everything else);
    every service writes both together, so they agree. Export a closed conversation to be sure
    no vote arrives between the two reads.
    """
    statements = list(
        conversation.statements.order_by("pk").only(
            "pk", "text", "external_id", "author_id", "state", "is_meta", "is_seed", "created_at"
        )
    )
    comment_ids = _comment_ids(statements)
    votes = list(
        Vote.objects.filter(conversation=conversation).values_list(
            "participant_id", "statement_id", "value"
        )
    )
    events = VoteEvent.objects.filter(conversation=conversation).order_by("pk")
    event_rows = []
    with tqdm(
        total=events.count(), desc="export", unit="vote", file=sys.stderr, disable=not progress
    ) as bar:
        for participant_id, statement_id, value, at in events.values_list(
            "participant_id", "statement_id", "value", "created_at"
        ).iterator(chunk_size=BATCH_SIZE):
            event_rows.append((participant_id, statement_id, value, at))
            bar.update()
    authors = {s.author_id for s in statements if s.author_id is not None}
    people = sorted({row[0] for row in event_rows} | {row[0] for row in votes} | authors)
    number = {pk: index for index, pk in enumerate(people)}  # pseudonymous, in joining order

    snapshot = AnalysisSnapshot.objects.latest_for(conversation)
    result = snapshot.result if snapshot else {}
    group_of = {
        p["participant_id"]: p["group"]
        for p in result.get("participants", [])
        if p["group"] is not None
    }
    analysed = {s["statement_id"]: s for s in result.get("statements", [])}
    groups = [g["id"] for g in result.get("groups", [])]

    tally: dict[int, Counter] = defaultdict(Counter)
    by_person: dict[int, dict[int, int]] = defaultdict(dict)
    for participant_id, statement_id, value in votes:
        tally[statement_id][value] += 1
        by_person[participant_id][statement_id] = value
    authored = Counter(s.author_id for s in statements if s.author_id is not None)
    ordered = sorted(statements, key=lambda s: comment_ids[s.pk])

    files = {
        "summary.csv": [
            ["topic", conversation.topic],
            ["url", settings.SITE_URL + conversation.get_absolute_url()],
            ["views", ""],
            ["voters", len(by_person)],
            ["voters-in-conv", result.get("n_in_conversation", "")],
            ["commenters", len(authored)],
            ["comments", len(statements)],
            ["groups", len(groups) if snapshot else ""],
            ["conversation-description", conversation.description],
            list(POLITY_MARK),  # import_polis then takes off the quotes _csv adds
        ],
        "comments.csv": [COMMENTS_HEADER]
        + [
            [
                _milliseconds(s.created_at),
                comment_ids[s.pk],
                number.get(s.author_id, ""),
                tally[s.pk][1],
                tally[s.pk][-1],
                MODERATED[s.state],
                "true" if s.is_meta else "false",
                "true" if s.is_seed else "false",
                analysed[s.pk]["gic_agree"] if s.pk in analysed else "",
                s.text,
            ]
            for s in ordered
        ],
        "votes.csv": [["timestamp", "datetime", "comment-id", "voter-id", "vote"]]
        + [
            [
                _milliseconds(at),
                at.astimezone(UTC).strftime("%a %b %d %H:%M:%S UTC %Y"),
                comment_ids[statement_id],
                number[participant_id],
                value,
            ]
            for participant_id, statement_id, value, at in event_rows
        ],
        "participants-votes.csv": [
            ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
            + [comment_ids[s.pk] for s in ordered]
        ]
        + [
            [
                number[pk],
                group_of.get(pk, ""),
                authored[pk],
                len(by_person[pk]),
                sum(1 for v in by_person[pk].values() if v == 1),
                sum(1 for v in by_person[pk].values() if v == -1),
            ]
            + [by_person[pk].get(s.pk, "") for s in ordered]
            for pk in people
            if pk in by_person
        ],
        "comment-groups.csv": [
            ["comment-id", "comment", "total-votes", "total-agrees", "total-disagrees"]
            + ["total-passes"]
            + [
                f"group-{_group_letter(g)}-{name}"
                for g in groups
                for name in ("votes", "agrees", "disagrees", "passes")
            ]
        ]
        + [
            [
                comment_ids[s.pk],
                s.text,
                tally[s.pk].total(),
                tally[s.pk][1],
                tally[s.pk][-1],
                tally[s.pk][0],
            ]
            + [
                cell
                for g in groups
                for cell in _group_cells(analysed.get(s.pk, {}).get("groups", []), g)
            ]
            for s in ordered
        ],
    }
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in files.items():
        path = folder / name
        path.write_text(_csv(rows), encoding="utf-8")
        written.append(path)
    return written


def _group_cells(positions: list[dict], group: int) -> list[int]:
    for position in positions:
        if position["group"] == group:
            seen, agree, disagree = position["seen"], position["agree"], position["disagree"]
            return [seen, agree, disagree, seen - agree - disagree]
    return [0, 0, 0, 0]
