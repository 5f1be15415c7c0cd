"""Reading Polis export folders (comments.csv, votes.csv or participants-votes.csv, summary.csv).

No Django: returns dataclasses and the votes column by column, raises `PolisFileError` naming
the file, the line and the problem (`columns.py` reads and checks whole columns at once).
`to_conversation` turns an export into the opinion engine's input.
Layouts: see the Computational Democracy Project's openData exports; `comments.csv` comes in an
older layout (with `datetime`) and a newer one (with `is-meta`, `is-seed`, ...).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa

from core.spreadsheet_cells import POLITY_MARK, restore
from deliberation.opinions import ALGORITHM, Conversation, Moderation, State, Statement, VoteTable
from deliberation.polis.columns import PolisFileError, Table, header, read, require

MODERATION = {-1: Moderation.REJECTED, 0: Moderation.UNMODERATED, 1: Moderation.ACCEPTED}
MATRIX_FIXED = ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
__all__ = ["PolisFileError", "polis_state", "read_polis_export", "to_conversation"]


@dataclass(frozen=True, slots=True)
class PolisComment:
    comment_id: int
    author_id: int | None
    body: str
    moderated: int  # -1 rejected, 0 unmoderated, 1 accepted
    is_meta: bool
    agrees: int
    disagrees: int
    timestamp: int | None
    is_seed: bool = False

    @property
    def moderation(self) -> Moderation:
        return MODERATION[self.moderated]


@dataclass(frozen=True, eq=False)
class PolisVotes:
    """Every vote of an export, column by column, in file order."""

    voter_ids: np.ndarray  # int64
    comment_ids: np.ndarray  # int64
    values: np.ndarray  # int8: +1 agree, -1 disagree, 0 pass
    timestamps: np.ndarray  # int64 ms; 0 when read from the participants-votes matrix

    def __len__(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class PolisExport:
    folder: Path
    comments: tuple[PolisComment, ...]
    votes: PolisVotes
    votes_source: str  # "votes.csv" or "participants-votes.csv"
    groups: dict[int, int]  # participant -> Polis' own group-id (clustered participants only)
    summary: dict[str, str]


LATEST_TIMESTAMP_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z, the last time Python has
COMMENT_NEEDS = ("comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body")
WHOLE = pa.int64()


def _timestamps(table: Table, values: np.ndarray, *, blank: np.ndarray | None = None) -> None:
    """Polis' milliseconds since 1970; a time outside what a datetime holds is refused here,
    with its line, rather than failing later when it is stored."""
    bad = (values < 0) | (values > LATEST_TIMESTAMP_MS)
    if blank is not None:
        bad &= ~blank
    if bad.any():
        row = int(np.argmax(bad))
        problem = f"timestamp is not milliseconds between 1970 and 9999: {values[row]}"
        table.problem(row, problem)


def read_comments(path: Path) -> tuple[PolisComment, ...]:
    numbers = ("comment-id", "author-id", "agrees", "disagrees", "moderated", "timestamp")
    table = read(path, needed=COMMENT_NEEDS, types=dict.fromkeys(numbers, WHOLE), multiline=True)
    ids = table.whole("comment-id")
    table.unique(ids, "comment-id")
    moderated = table.whole("moderated")
    table.one_of(moderated, tuple(MODERATION), "moderated must be -1, 0 or 1, not {value}")
    authors = table.whole("author-id", blank=True)
    no_author = table.blanks("author-id")
    meta, seed = table.flag("is-meta"), table.flag("is-seed")
    agrees, disagrees = table.whole("agrees"), table.whole("disagrees")
    timed = "timestamp" in table
    if timed:
        times = table.whole("timestamp", blank=True)
        untimed = table.blanks("timestamp")
        _timestamps(table, times, blank=untimed)
    table.raise_first()
    bodies = table.text("comment-body")
    return tuple(
        PolisComment(
            comment_id=int(ids[i]),
            author_id=None if no_author[i] else int(authors[i]),
            body=bodies[i],
            moderated=int(moderated[i]),
            is_meta=bool(meta[i]),
            is_seed=bool(seed[i]),
            agrees=int(agrees[i]),
            disagrees=int(disagrees[i]),
            timestamp=int(times[i]) if timed and not untimed[i] else None,
        )
        for i in range(len(table))
    )


def _votes(voters, comments, values, times) -> PolisVotes:
    return PolisVotes(
        voter_ids=np.asarray(voters, dtype=np.int64),
        comment_ids=np.asarray(comments, dtype=np.int64),
        values=np.asarray(values, dtype=np.int8),
        timestamps=np.asarray(times, dtype=np.int64),
    )


def read_votes(path: Path) -> PolisVotes:
    needed = ("timestamp", "comment-id", "voter-id", "vote")
    types = dict.fromkeys(needed, WHOLE) | {"vote": pa.int8()}
    table = read(path, needed=needed, types=types, only=list(needed))
    vote = table.whole("vote")
    table.one_of(vote, (-1, 0, 1), "vote must be -1, 0 or 1, not {value}")
    voters, comments = table.whole("voter-id"), table.whole("comment-id")
    times = table.whole("timestamp")
    _timestamps(table, times)
    table.raise_first()
    return _votes(voters, comments, vote, times)


def read_participant_votes(path: Path, *, cells: bool = True) -> tuple[PolisVotes, dict[int, int]]:
    """The participants x comments matrix: final votes (unless `cells` is false, when only the
    groups are wanted), and Polis' group of each participant."""
    names = header(path)
    require(path, names, ("participant", "group-id"))
    comment_columns = [n for n in names if n not in MATRIX_FIXED]
    for name in comment_columns:
        try:
            int(name)
        except ValueError:
            raise PolisFileError(path, 1, f"unexpected column {name!r}") from None
    fixed = ["participant", "group-id"]
    wanted = fixed + (comment_columns if cells else [])
    types = {"participant": WHOLE, "group-id": WHOLE} | dict.fromkeys(comment_columns, pa.float32())
    table = read(path, needed=tuple(fixed), types=types, only=wanted)
    participants = table.whole("participant")
    table.unique(participants, "participant")
    group = table.whole("group-id", blank=True)
    clustered = ~table.blanks("group-id")
    votes = _votes([], [], [], [])
    if cells and comment_columns:
        matrix = np.empty((len(table), len(comment_columns)), dtype=np.float32)
        for j, name in enumerate(comment_columns):
            matrix[:, j] = table.whole(name, blank=True)
            matrix[table.blanks(name), j] = np.nan
        with np.errstate(invalid="ignore"):
            bad = ~np.isnan(matrix) & ~np.isin(matrix, (-1.0, 0.0, 1.0))
        if bad.any():
            row, column = np.argwhere(bad)[0]
            table.problem(int(row), f"vote on {comment_columns[column]} must be -1, 0 or 1")
        rows, columns = np.nonzero(~np.isnan(matrix))  # row by row, as the file is read
        comment_ids = np.array([int(n) for n in comment_columns], dtype=np.int64)
        votes = _votes(
            participants[rows], comment_ids[columns], matrix[rows, columns], np.zeros(len(rows))
        )
    table.raise_first()
    return votes, dict(
        zip(participants[clustered].tolist(), group[clustered].tolist(), strict=True)
    )


def read_summary(path: Path) -> dict[str, str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return {r[0]: (r[1] if len(r) > 1 else "") for r in csv.reader(handle) if r}
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise PolisFileError(path, 0, f"cannot be read ({error})") from error


def read_polis_export(folder: str | Path) -> PolisExport:
    folder = Path(folder)
    comments = read_comments(folder / "comments.csv")
    matrix = folder / "participants-votes.csv"
    votes_file = folder / "votes.csv"
    groups: dict[int, int] = {}
    if votes_file.exists():
        if matrix.exists():
            # Only Polis' groups are wanted from the matrix; votes.csv has every vote.
            _, groups = read_participant_votes(matrix, cells=False)
        votes, source = read_votes(votes_file), "votes.csv"
    elif matrix.exists():
        votes, groups = read_participant_votes(matrix)
        source = "participants-votes.csv"
    else:
        raise PolisFileError(folder / "votes.csv", 0, "missing, and no participants-votes.csv")
    summary_file = folder / "summary.csv"
    summary = read_summary(summary_file) if summary_file.exists() else {}
    if summary.get(POLITY_MARK[0]) == POLITY_MARK[1]:
        # Polity's own export: take off the quotes it put before formula-like texts.
        comments = tuple(replace(c, body=restore(c.body)) for c in comments)
        summary = {key: restore(value) for key, value in summary.items()}
    return PolisExport(folder, comments, votes, source, groups, summary)


def to_conversation(export: PolisExport) -> Conversation:
    """The engine's input; comments without a row in comments.csv but with votes are added as
    unmoderated so that no vote is silently lost."""
    statements = {
        c.comment_id: Statement(c.comment_id, c.moderation, c.is_meta) for c in export.comments
    }
    ids, first = np.unique(export.votes.comment_ids, return_index=True)
    for comment_id in ids[np.argsort(first)].tolist():  # in order of first vote
        if comment_id not in statements:
            statements[comment_id] = Statement(comment_id, Moderation.UNMODERATED)
    votes = VoteTable(
        participant_ids=export.votes.voter_ids,
        statement_ids=export.votes.comment_ids,
        values=export.votes.values,
        times=export.votes.timestamps,
    )
    return Conversation(votes=votes, statements=list(statements.values()))


def polis_state(export: PolisExport) -> State | None:
    """Who Polis had in conversation (a `group-id` in participants-votes.csv) and in which
    group, as the state a previous run hands on: once in, always in, and groups keep Polis'
    numbers where they match. Older Polis put participants in with fewer votes than today's
    min(7, n) rule; analysing without them would compare a different population."""
    if not export.groups:
        return None
    participants = tuple(sorted(export.groups))
    return State(
        algorithm=ALGORITHM,
        in_conversation=participants,
        groups=tuple(export.groups[p] for p in participants),
    )
