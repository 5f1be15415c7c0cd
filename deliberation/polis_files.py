"""Reading Polis export folders (comments.csv, votes.csv or participants-votes.csv, summary.csv).

Pure Python, no Django: returns dataclasses, raises `PolisFileError` naming the file, the line
and the problem. `to_conversation` turns an export into the opinion engine's input.
Layouts: see the Computational Democracy Project's openData exports; `comments.csv` comes in an
older layout (with `datetime`) and a newer one (with `is-meta`, `is-seed`, ...).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from core.spreadsheet_cells import POLITY_MARK, restore
from deliberation.opinions import ALGORITHM, Conversation, Moderation, State, Statement, VoteTable

MODERATION = {-1: Moderation.REJECTED, 0: Moderation.UNMODERATED, 1: Moderation.ACCEPTED}
MATRIX_FIXED = ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")


class PolisFileError(ValueError):
    def __init__(self, file: str | Path, line: int, problem: str) -> None:
        self.file, self.line, self.problem = str(file), line, problem
        where = f"{Path(file).name}, line {line}" if line else Path(file).name
        super().__init__(f"{where}: {problem}")


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


@dataclass(frozen=True, slots=True)
class PolisVote:
    voter_id: int
    comment_id: int
    vote: int  # +1 agree, -1 disagree, 0 pass
    timestamp: int  # ms; 0 when read from the participants-votes matrix


@dataclass(frozen=True)
class PolisExport:
    folder: Path
    comments: tuple[PolisComment, ...]
    votes: tuple[PolisVote, ...]
    votes_source: str  # "votes.csv" or "participants-votes.csv"
    groups: dict[int, int]  # participant -> Polis' own group-id (clustered participants only)
    summary: dict[str, str]


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Records with the line each starts on (bodies may span lines)."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise PolisFileError(path, 0, f"cannot be read ({error.strerror})") from error
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if not header:
                raise PolisFileError(path, 1, "is empty: a header row is expected")
            header = [h.strip() for h in header]
            start = reader.line_num + 1
            for record in reader:
                if record:
                    if len(record) != len(header):
                        raise PolisFileError(
                            path, start, f"has {len(record)} fields, the header has {len(header)}"
                        )
                    yield start, dict(zip(header, record, strict=True))
                start = reader.line_num + 1
        except csv.Error as error:
            raise PolisFileError(path, reader.line_num, f"is not valid CSV ({error})") from error
        except UnicodeDecodeError as error:
            raise PolisFileError(path, reader.line_num, "is not UTF-8 text") from error


def _require(path: Path, row: dict[str, str], names: tuple[str, ...]) -> None:
    missing = [n for n in names if n not in row]
    if missing:
        raise PolisFileError(path, 1, f"lacks the column(s) {', '.join(missing)}")


def _int(path: Path, line: int, row: dict[str, str], name: str, *, blank: bool = False):
    text = row[name].strip()
    if blank and text == "":
        return None
    try:
        return int(float(text)) if "." in text or "e" in text.lower() else int(text)
    except (ValueError, OverflowError):  # OverflowError: "1e400" is an infinite float
        raise PolisFileError(path, line, f"{name} is not a whole number: {text!r}") from None


def _flag(path: Path, line: int, row: dict[str, str], name: str) -> bool:
    """A true/false column of the newer layout; absent (the older layout) means false."""
    text = row.get(name, "false").strip().lower()
    if text not in ("true", "false", "", "0", "1"):
        raise PolisFileError(path, line, f"{name} must be true or false, not {text!r}")
    return text in ("true", "1")


LATEST_TIMESTAMP_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z, the last time Python has


def _timestamp(path: Path, line: int, row: dict[str, str], *, blank: bool = False):
    """Polis' milliseconds since 1970; a time outside what a datetime holds is refused here,
    with its line, rather than failing later when it is stored."""
    value = _int(path, line, row, "timestamp", blank=blank)
    if value is not None and not 0 <= value <= LATEST_TIMESTAMP_MS:
        raise PolisFileError(
            path, line, f"timestamp is not milliseconds between 1970 and 9999: {value}"
        )
    return value


def read_comments(path: Path) -> tuple[PolisComment, ...]:
    comments = []
    needed = ("comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body")
    first_line: dict[int, int] = {}
    for line, row in _rows(path):
        _require(path, row, needed)
        comment_id = _int(path, line, row, "comment-id")
        if comment_id in first_line:
            # Two rows for one comment would make two statements, or one silently lost.
            problem = f"comment-id {comment_id} already appears on line {first_line[comment_id]}"
            raise PolisFileError(path, line, problem)
        first_line[comment_id] = line
        moderated = _int(path, line, row, "moderated")
        if moderated not in MODERATION:
            raise PolisFileError(path, line, f"moderated must be -1, 0 or 1, not {moderated}")
        comments.append(
            PolisComment(
                comment_id=comment_id,
                author_id=_int(path, line, row, "author-id", blank=True),
                body=row["comment-body"],
                moderated=moderated,
                is_meta=_flag(path, line, row, "is-meta"),
                is_seed=_flag(path, line, row, "is-seed"),
                agrees=_int(path, line, row, "agrees"),
                disagrees=_int(path, line, row, "disagrees"),
                timestamp=_timestamp(path, line, row, blank=True) if "timestamp" in row else None,
            )
        )
    return tuple(comments)


def read_votes(path: Path) -> tuple[PolisVote, ...]:
    votes = []
    for line, row in _rows(path):
        _require(path, row, ("timestamp", "comment-id", "voter-id", "vote"))
        vote = _int(path, line, row, "vote")
        if vote not in (-1, 0, 1):
            raise PolisFileError(path, line, f"vote must be -1, 0 or 1, not {vote}")
        votes.append(
            PolisVote(
                voter_id=_int(path, line, row, "voter-id"),
                comment_id=_int(path, line, row, "comment-id"),
                vote=vote,
                timestamp=_timestamp(path, line, row),
            )
        )
    return tuple(votes)


def read_participant_votes(path: Path) -> tuple[tuple[PolisVote, ...], dict[int, int]]:
    """The participants x comments matrix: final votes, and Polis' group of each participant."""
    votes: list[PolisVote] = []
    groups: dict[int, int] = {}
    first_line: dict[int, int] = {}
    comment_columns: list[tuple[str, int]] | None = None
    for line, row in _rows(path):
        if comment_columns is None:
            _require(path, row, ("participant", "group-id"))
            comment_columns = []
            for name in row:
                if name not in MATRIX_FIXED:
                    try:
                        comment_columns.append((name, int(name)))
                    except ValueError:
                        raise PolisFileError(path, 1, f"unexpected column {name!r}") from None
        participant = _int(path, line, row, "participant")
        if participant in first_line:
            problem = f"participant {participant} already appears on line {first_line[participant]}"
            raise PolisFileError(path, line, problem)
        first_line[participant] = line
        group = _int(path, line, row, "group-id", blank=True)
        if group is not None:
            groups[participant] = group
        for name, comment in comment_columns:
            cell = row[name].strip()
            if cell:
                vote = _int(path, line, row, name)
                if vote not in (-1, 0, 1):
                    raise PolisFileError(path, line, f"vote on {name} must be -1, 0 or 1")
                votes.append(PolisVote(participant, comment, vote, 0))
    return tuple(votes), groups


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
    if matrix.exists():
        matrix_votes, groups = read_participant_votes(matrix)
    if votes_file.exists():
        votes, source = read_votes(votes_file), "votes.csv"
    elif matrix.exists():
        votes, source = matrix_votes, "participants-votes.csv"
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
    for v in export.votes:
        if v.comment_id not in statements:
            statements[v.comment_id] = Statement(v.comment_id, Moderation.UNMODERATED)
    votes = VoteTable(
        participant_ids=[v.voter_id for v in export.votes],
        statement_ids=[v.comment_id for v in export.votes],
        values=[v.vote for v in export.votes],
        times=[v.timestamp for v in export.votes],
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
