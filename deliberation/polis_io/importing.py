"""Importing a Polis export folder as a new conversation; the decisions are in the package
docstring."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
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
from deliberation.polis_files import PolisExport, PolisFileError, read_polis_export

BATCH_SIZE = 5_000
POLIS_FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
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


def _db_time(at: datetime):
    return connection.ops.adapt_datetimefield_value(at)


def _insert(model, fields: list[str], rows: list[tuple], bar: tqdm) -> None:
    """Write rows without building model instances; values are already in the database's form.

    For the hundreds of thousands of votes of a large export, `bulk_create` spends most of its
    time constructing and preparing objects. PostgreSQL loads them with COPY, several times faster
    than INSERT ("Populating a Database" in its manual); elsewhere, multi-row INSERTs.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for done, row in enumerate(rows, start=1):
                copy.write_row(row)
                if done % BATCH_SIZE == 0:
                    bar.update(BATCH_SIZE)
        bar.update(len(rows) % BATCH_SIZE)
        return
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = connection.features.max_query_params
    size = min(BATCH_SIZE, limit // len(fields)) if limit else BATCH_SIZE
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            marks = ", ".join([row_marks] * len(batch))
            # Identifiers come from our own model metadata; values are passed as parameters.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {marks}",  # noqa: S608
                [value for row in batch for value in row],
            )
            bar.update(len(batch))


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
    for comment_id in sorted({v.comment_id for v in export.votes} - set(keys)):
        notice(f"comment {comment_id}: has votes but no row in comments.csv; kept without text")
        planned.append(
            _PlannedStatement(
                comment_id, "", _duplicate_key("", comment_id), Statement.State.PENDING
            )
        )
    return planned


def read_checked_export(directory: str | Path) -> PolisExport:
    """`read_polis_export`, with bytes that are not UTF-8 located to their line.

    The reader decodes in blocks, so it cannot say on which line a bad byte is; "\n" never occurs
    inside a UTF-8 sequence, so decoding line by line can.
    """
    for name in POLIS_FILES:
        path = Path(directory) / name
        if path.is_file():
            for number, line in enumerate(path.read_bytes().split(b"\n"), start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    raise PolisFileError(path, number, "is not UTF-8 text") from None
    return read_polis_export(directory)


def read_export(directory: str | Path, notice: Callable[[str], None]):
    """Read and check an export folder; raises PolisFileError before anything is written."""
    export = read_checked_export(directory)
    return export, _plan_statements(export, notice)


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
    now = _db_time(timezone.now())
    events = sorted(export.votes, key=lambda v: v.timestamp)  # stable: ties stay in file order
    timed = export.votes_source == "votes.csv"
    voters = {v.voter_id for v in events} | {
        p.author_id for p in planned if p.author_id is not None
    }
    bar = tqdm(
        total=len(planned)
        + len(voters)
        + len(events)
        + len({(v.voter_id, v.comment_id) for v in events}),
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
        participants = dict(
            Participant.objects.filter(conversation=conversation).values_list("external_id", "pk")
        )
        Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation,
                    text=p.text,
                    normalised_text=p.key,
                    external_id=str(p.comment_id),
                    author_id=participants[str(p.author_id)] if p.author_id is not None else None,
                    state=p.state,
                    is_seed=p.is_seed,
                    is_meta=p.is_meta,
                )
                for p in planned
            ],
            batch_size=BATCH_SIZE,
        )
        statements = {
            external_id: statement
            for external_id, statement in (
                (s.external_id, s) for s in Statement.objects.filter(conversation=conversation)
            )
        }
        # `auto_now_add` overwrites a creation time given to bulk_create; Polis' is set after.
        dated = []
        for p in planned:
            if p.created_at is not None:
                statement = statements[str(p.comment_id)]
                statement.created_at = p.created_at
                dated.append(statement)
        Statement.objects.bulk_update(dated, ["created_at"], batch_size=BATCH_SIZE)
        bar.update(len(planned))

        stored_time = {}  # ms -> the database's form, computed once per distinct time
        current: dict[tuple[int, int], tuple] = {}
        event_rows = []
        for vote in events:
            at = stored_time.get(vote.timestamp) if timed else now
            if at is None:
                at = stored_time[vote.timestamp] = _db_time(_at(vote.timestamp))
            pair = (participants[str(vote.voter_id)], statements[str(vote.comment_id)].pk)
            event_rows.append((conversation.pk, *pair, vote.vote, at))
            current[pair] = (current[pair][0] if pair in current else at, vote.vote, at)
        # In time order, so event ids (the analysis watermark) grow with time as for live votes.
        _insert(
            VoteEvent,
            ["conversation", "participant", "statement", "value", "created_at"],
            event_rows,
            bar,
        )
        _insert(
            Vote,
            ["conversation", "participant", "statement", "value", "created_at", "updated_at"],
            [
                (conversation.pk, *pair, value, first, last)
                for pair, (first, value, last) in current.items()
            ],
            bar,
        )
    return conversation
