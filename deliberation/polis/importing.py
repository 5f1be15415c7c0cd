"""Importing a Polis export folder as a new conversation; the decisions are in the package
docstring."""

from __future__ import annotations

import io
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from pyarrow import csv as pacsv
from tqdm import tqdm

from core.text import normalise_for_comparison, unclean_characters
from deliberation.models import (
    STATEMENT_MAX_LENGTH,
    Context,
    Conversation,
    Participant,
    Statement,
    Vote,
    VoteEvent,
)
from deliberation.polis.files import PolisExport, read_polis_export

BATCH_SIZE = 5_000
COPY_BATCH = 200_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TOPIC_MAX_LENGTH = Conversation._meta.get_field("topic").max_length
STATES = {-1: Statement.State.REJECTED, 0: Statement.State.PENDING, 1: Statement.State.ACCEPTED}


def storable_text(raw: str, *, max_length: int, multiline: bool = False) -> tuple[str, bool]:
    """Text Polity can store and show, and whether more than spacing had to change."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n"))
    # What `clean_text` refuses in a new statement is dropped from imported text instead.
    refused = {index for index, _char in unclean_characters(text)}
    kept, changed = [], bool(refused)
    for index, char in enumerate(text):
        if multiline and char == "\n":
            kept.append(char)
        elif char.isspace():
            kept.append(" ")
        elif index not in refused:
            kept.append(char)
    text = "".join(kept)
    if multiline:
        text = "\n".join(" ".join(line.split()) for line in text.strip().split("\n"))
    else:
        text = " ".join(text.split())
    if len(text) > max_length:
        text, changed = text[: max_length - 1].rstrip() + "…", True
    return text, changed


@dataclass(frozen=True)
class _PlannedStatement:
    comment_id: int
    text: str
    key: str
    state: str
    is_meta: bool = False
    is_seed: bool = False
    author_id: int | None = None
    created_at: datetime | None = None


def _duplicate_key(key: str, comment_id: int) -> str:
    """A folded key no real text folds to: `normalise_for_comparison` removes every "#"."""
    suffix = f" #polis-{comment_id}"
    return key[: STATEMENT_MAX_LENGTH - len(suffix)] + suffix


def _at(milliseconds: int) -> datetime:
    # In whole milliseconds: no float division, so an export and a re-import agree exactly.
    seconds, rest = divmod(milliseconds, 1000)
    return datetime.fromtimestamp(seconds, tz=UTC) + timedelta(milliseconds=rest)


def _db_times(microseconds: np.ndarray) -> list:
    """UTC times as the database backend stores them, converted once per distinct time."""
    distinct, index = np.unique(microseconds, return_inverse=True)
    stored = [
        connection.ops.adapt_datetimefield_value(EPOCH + timedelta(microseconds=us))
        for us in distinct.tolist()
    ]
    return [stored[i] for i in index.tolist()]


def _insert(model, columns: dict[str, np.ndarray], times: tuple[str, ...], bar: tqdm) -> None:
    """Write rows given column by column; `times` names the columns of UTC microseconds.

    For the millions of votes of a large export, building one model instance (or even one
    Python tuple) per row costs more than the database's work. PostgreSQL loads them with COPY
    ("Populating a Database" in its manual) from CSV that pyarrow writes in C; elsewhere,
    multi-row INSERTs.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = list(columns)
    fields = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    total = len(next(iter(columns.values())))
    if connection.vendor == "postgresql":
        arrays = [
            pa.array(columns[n], type=pa.timestamp("us", tz="UTC")) if n in times else columns[n]
            for n in names
        ]
        rows = pa.table(arrays, names=names)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({fields}) FROM STDIN (FORMAT csv)") as copy,
        ):
            for start in range(0, total, COPY_BATCH):
                buffer = io.BytesIO()
                batch = rows.slice(start, COPY_BATCH)
                pacsv.write_csv(batch, buffer, pacsv.WriteOptions(include_header=False))
                copy.write(buffer.getbuffer())
                bar.update(len(batch))
        return
    values = [_db_times(columns[n]) if n in times else columns[n].tolist() for n in names]
    row_marks = "(" + ", ".join(["%s"] * len(names)) + ")"
    limit = connection.features.max_query_params
    size = min(BATCH_SIZE, limit // len(names)) if limit else BATCH_SIZE
    with connection.cursor() as cursor:
        for start in range(0, total, size):
            batch = list(zip(*(column[start : start + size] for column in values), strict=True))
            marks = ", ".join([row_marks] * len(batch))
            # Identifiers come from our own model metadata; values are passed as parameters.
            cursor.execute(
                f"INSERT INTO {table} ({fields}) VALUES {marks}",  # noqa: S608
                [value for row in batch for value in row],
            )
            bar.update(len(batch))


@contextmanager
def _references_checked_in_bulk(notice: Callable[[str], None]) -> Iterator[None]:
    """Copy votes without PostgreSQL's row-by-row reference checks, which `_lookup` has made.

    PostgreSQL checks each foreign key of each copied row in its own query at commit: for a
    million votes (two million rows, three keys each) that was three quarters of the import.
    Every row copied here points at the conversation, participants and statements this same
    transaction created, which no other transaction can see, let alone delete, and `_lookup` has
    checked each id against them; so the copy runs with `session_replication_role = replica`
    (no per-row triggers; the vote tables have no others). A role that may not set it
    (superusers may; `GRANT SET ON PARAMETER session_replication_role` grants it on PostgreSQL
    15+) keeps the row-by-row checks and is told so.
    """
    if connection.vendor != "postgresql":
        yield
        return
    if not _replica_role_allowed():
        notice(
            "references checked row by row: the database role may not set "
            "session_replication_role, which makes a large import several times faster"
        )
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _replica_role_allowed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR has_parameter_privilege('session_replication_role', 'SET') "
            "FROM pg_roles WHERE rolname = current_user"
        )
        return bool(cursor.fetchone()[0])


def _plan_statements(export: PolisExport, notice: Callable[[str], None]) -> list[_PlannedStatement]:
    comments = sorted(export.comments, key=lambda c: c.comment_id)
    texts = {}
    for comment in comments:
        texts[comment.comment_id], changed = storable_text(
            comment.body, max_length=STATEMENT_MAX_LENGTH
        )
        if changed:
            notice(f"comment {comment.comment_id}: text shortened or hidden characters dropped")
    # Rejected comments yield the plain key to a shown duplicate, which later submissions meet.
    keys: dict[int, str] = {}
    for comment in sorted(comments, key=lambda c: (c.moderated == -1, c.comment_id)):
        key = normalise_for_comparison(texts[comment.comment_id])[:STATEMENT_MAX_LENGTH]
        if key in keys.values():
            key = _duplicate_key(key, comment.comment_id)
            notice(f"comment {comment.comment_id}: repeats an earlier comment; kept as written")
        keys[comment.comment_id] = key
    planned = [
        _PlannedStatement(
            comment_id=c.comment_id,
            text=texts[c.comment_id],
            key=keys[c.comment_id],
            state=STATES[c.moderated],
            is_meta=c.is_meta,
            is_seed=c.is_seed,
            author_id=c.author_id,
            created_at=_at(c.timestamp) if c.timestamp else None,
        )
        for c in comments
    ]
    for comment_id in sorted(set(np.unique(export.votes.comment_ids).tolist()) - set(keys)):
        notice(f"comment {comment_id}: has votes but no row in comments.csv; kept without text")
        planned.append(
            _PlannedStatement(
                comment_id, "", _duplicate_key("", comment_id), Statement.State.PENDING
            )
        )
    return planned


def read_export(directory: str | Path, notice: Callable[[str], None]):
    """Read and check an export folder; raises PolisFileError before anything is written."""
    export = read_polis_export(directory)
    return export, _plan_statements(export, notice)


def _ids(pairs) -> tuple[np.ndarray, np.ndarray]:
    """(Polis ids, primary keys), sorted by Polis id, from (external_id, pk) pairs."""
    table = np.array([(int(external), pk) for external, pk in pairs], dtype=np.int64)
    table = table.reshape(-1, 2)
    table = table[np.argsort(table[:, 0])]
    return table[:, 0], table[:, 1]


def _lookup(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The primary keys of `wanted` Polis ids; every one must be among `keys`, which hold the
    rows this import created: the check the database's foreign keys would make, set-based."""
    at = np.searchsorted(keys, wanted).clip(max=len(keys) - 1)
    missing = keys[at] != wanted
    if missing.any():
        raise IntegrityError(f"no imported row for Polis id {wanted[missing][0]}")
    return values[at]


def _vote_columns(export: PolisExport, participants, statements, conversation_id, now_us):
    """The VoteEvent and Vote columns: events in time order (ties in file order), so event ids
    (the analysis watermark) grow with time as for live votes; the latest event of each pair is
    its current vote, first created at its first event's time."""
    votes = export.votes
    order = np.argsort(votes.timestamps, kind="stable")
    voter = _lookup(*participants, votes.voter_ids[order])
    statement = _lookup(*statements, votes.comment_ids[order])
    value = votes.values[order]
    if export.votes_source == "votes.csv":
        at = votes.timestamps[order] * 1000
    else:  # the matrix carries no times: every vote is timed at the import
        at = np.full(len(order), now_us, dtype=np.int64)
    conversation = np.full(len(order), conversation_id, dtype=np.int64)
    events = {
        "conversation": conversation,
        "participant": voter,
        "statement": statement,
        "value": value,
        "created_at": at,
    }
    pairs = pd.DataFrame({"p": voter, "s": statement, "value": value, "at": at})
    latest = pairs.groupby(["p", "s"], sort=False).agg(
        value=("value", "last"), first=("at", "first"), last=("at", "last")
    )
    current = {
        "conversation": conversation[: len(latest)],
        "participant": latest.index.get_level_values("p").to_numpy(),
        "statement": latest.index.get_level_values("s").to_numpy(),
        "value": latest["value"].to_numpy(),
        "created_at": latest["first"].to_numpy(),
        "updated_at": latest["last"].to_numpy(),
    }
    return events, current


def import_polis_export(
    *,
    directory: str | Path,
    context: Context,
    notice: Callable[[str], None] = lambda message: None,
    progress: bool = False,
) -> Conversation:
    """Import a Polis export folder as a new conversation in `context`, completely or not at all.

    `notice` receives one line per liberty taken with the data (see the module docstring);
    `progress` draws a progress bar on stderr.
    """
    export, planned = read_export(directory, notice)
    summary = export.summary
    topic, _ = storable_text(summary.get("topic", ""), max_length=TOPIC_MAX_LENGTH)
    description, _ = storable_text(
        summary.get("conversation-description", ""), max_length=100_000, multiline=True
    )
    now = timezone.now()
    voters = set(np.unique(export.votes.voter_ids).tolist()) | {
        p.author_id for p in planned if p.author_id is not None
    }
    pairs = pd.DataFrame({"p": export.votes.voter_ids, "s": export.votes.comment_ids})
    n_pairs = len(pairs.drop_duplicates())
    bar = tqdm(
        total=len(planned) + len(voters) + len(export.votes) + n_pairs,
        desc="import",
        unit="row",
        file=sys.stderr,
        disable=not progress,
    )
    with bar, transaction.atomic():
        conversation = Conversation.objects.create(
            context=context,
            topic=topic or Path(directory).resolve().name[:TOPIC_MAX_LENGTH],
            description=description,
            state=Conversation.State.CLOSED,
            moderation=Conversation.Moderation.PERMISSIVE,
        )
        Participant.objects.bulk_create(
            [
                Participant(
                    conversation=conversation,
                    kind=Participant.Kind.IMPORTED,
                    external_id=str(pid),
                    imported_group=export.groups.get(pid),
                )
                for pid in sorted(voters)
            ],
            batch_size=BATCH_SIZE,
        )
        bar.update(len(voters))
        participants = _ids(
            Participant.objects.filter(conversation=conversation).values_list("external_id", "pk")
        )
        authors = dict(zip(*(column.tolist() for column in participants), strict=True))
        Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation,
                    text=p.text,
                    normalised_text=p.key,
                    external_id=str(p.comment_id),
                    author_id=authors.get(p.author_id),
                    state=p.state,
                    is_seed=p.is_seed,
                    is_meta=p.is_meta,
                )
                for p in planned
            ],
            batch_size=BATCH_SIZE,
        )
        statements = {s.external_id: s for s in Statement.objects.filter(conversation=conversation)}
        # `auto_now_add` overwrites a creation time given to bulk_create; Polis' is set after.
        dated = []
        for p in planned:
            if p.created_at is not None:
                statement = statements[str(p.comment_id)]
                statement.created_at = p.created_at
                dated.append(statement)
        Statement.objects.bulk_update(dated, ["created_at"], batch_size=BATCH_SIZE)
        bar.update(len(planned))

        events, current = _vote_columns(
            export,
            participants,
            _ids((external, s.pk) for external, s in statements.items()),
            conversation.pk,
            (now - EPOCH) // timedelta(microseconds=1),
        )
        with _references_checked_in_bulk(notice):
            _insert(VoteEvent, events, ("created_at",), bar)
            _insert(Vote, current, ("created_at", "updated_at"), bar)
    return conversation
