"""Raw conversation data for researchers, with participants under per-export pseudonyms.

A pseudonym (core.pseudonyms) is an HMAC of the participant's database id, keyed with the
export's random id and the site's secret: stable within one export (so a person's votes stay
linked), new in the next export, and never the database id itself. No emails, IP addresses or
external ids leave.

What that does not do: the votes themselves are the same in every export, so two exports of one
conversation can still be matched by a participant's pattern of votes (which statements, which
way). What it does do: the times and the order of votes carry nothing extra for that. Each vote
gives only the UTC day of its last change (to the millisecond, a time was unique to a person and
re-linked every participant across two exports), and votes are listed by statement, day and
pseudonym, so a vote's place in the list says nothing about who cast it.
"""

import secrets
from datetime import UTC, date
from typing import Any

from core.pseudonyms import pseudonym
from core.spreadsheet_cells import neutralise
from deliberation.models import AnalysisSnapshot, Conversation, Vote
from deliberation.services.representativeness import answer_rows


def new_export_id() -> str:
    return secrets.token_hex(12)


def _scope(export_id: str) -> str:
    return f"polity.export:{export_id}"


def export_votes(
    *, conversation: Conversation, export_id: str | None = None, with_answers: bool = False
) -> dict[str, Any]:
    """Votes under this export's pseudonyms; `with_answers` adds each participant's
    self-description answers (null where their combination would single them out)."""
    export_id = export_id or new_export_id()
    votes = (
        Vote.objects.filter(conversation=conversation, participant__excluded_at__isnull=True)
        .order_by("id")
        .values_list("participant_id", "statement_id", "value", "updated_at")
    )
    rows = [
        {
            "participant": pseudonym(scope=_scope(export_id), value=participant),
            "statement": statement,
            "value": value,
            "day": updated_at.astimezone(UTC).date().isoformat(),
        }
        for participant, statement, value, updated_at in votes.iterator(chunk_size=5000)
    ]
    rows.sort(key=lambda row: (row["statement"], row["day"], row["participant"]))
    document: dict[str, Any] = {
        "export": export_id,
        "conversation": conversation.public_id,
        "votes": rows,
    }
    if with_answers:
        ids = sorted({participant for participant, *_rest in votes})
        answers = answer_rows(context=conversation.context, participant_ids=ids)
        document["answers"] = [
            {"participant": pseudonym(scope=_scope(export_id), value=pid), "answers": answers[pid]}
            for pid in ids
        ]
    return document


def export_snapshot(*, snapshot: AnalysisSnapshot) -> dict[str, Any]:
    """A snapshot's analysis with its participant ids replaced by this export's pseudonyms."""
    export_id = new_export_id()
    result = dict(snapshot.result)
    result["participants"] = [
        {
            **entry,
            "participant_id": pseudonym(scope=_scope(export_id), value=entry["participant_id"]),
        }
        for entry in result.get("participants", [])
    ]
    # The engine's carry-over state lists participant ids too; it is for the engine, not people.
    result.pop("state", None)
    return {
        "export": export_id,
        "id": snapshot.pk,
        "conversation": snapshot.conversation.public_id,
        "algorithm": snapshot.algorithm,
        "parameters": snapshot.parameters,
        "vote_watermark": snapshot.vote_watermark,
        "participant_count": snapshot.participant_count,
        "vote_count": snapshot.vote_count,
        "created_at": snapshot.created_at.isoformat(),
        "result": result,
    }


# Research tables: the same data and pseudonyms as the JSON above, one table per file, for
# pandas and polars (`pd.read_parquet`, `pl.read_parquet`, or `read_csv`). pyarrow is imported
# when a table is asked for, so web processes that never serve one do not load it.
TABLE_FORMATS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


def _pseudonyms(export_id: str, participant_ids) -> list[str]:
    """One HMAC per participant rather than per vote: a conversation has far fewer."""
    names: dict = {}
    scope = _scope(export_id)
    return [
        names.get(p) or names.setdefault(p, pseudonym(scope=scope, value=p))
        for p in participant_ids
    ]


def vote_table(*, conversation: Conversation):
    """(export id, table): `export_votes`' rows as a table (participant's pseudonym, statement
    id, value: +1 agree, -1 disagree, 0 pass, UTC day of the last change), in the same order."""
    import pyarrow as pa

    export_id = new_export_id()
    rows = export_votes(conversation=conversation, export_id=export_id)["votes"]
    table = pa.table(
        {
            "participant": pa.array([r["participant"] for r in rows], pa.string()),
            "statement": pa.array([r["statement"] for r in rows], pa.int64()),
            "value": pa.array([r["value"] for r in rows], pa.int8()),
            "day": pa.array([date.fromisoformat(r["day"]) for r in rows], pa.date32()),
        }
    )
    return export_id, table


def statement_table(*, conversation: Conversation):
    """Every statement of the conversation: id (as in the vote table), text, moderation state,
    seed and meta flags, and when it was written (UTC). Authors are not named."""
    import pyarrow as pa

    rows = list(
        conversation.statements.order_by("id").values_list(
            "id", "text", "state", "is_seed", "is_meta", "created_at"
        )
    )
    ids, texts, states, seeds, metas, times = zip(*rows, strict=True) if rows else ([],) * 6
    return pa.table(
        {
            "statement": pa.array(ids, pa.int64()),
            "text": pa.array(texts, pa.string()),
            "state": pa.array(states, pa.string()),
            "is_seed": pa.array(seeds, pa.bool_()),
            "is_meta": pa.array(metas, pa.bool_()),
            "created_at": pa.array(times, pa.timestamp("us", tz="UTC")),
        }
    )


def group_table(*, snapshot: AnalysisSnapshot):
    """(export id, table): each participant of a snapshot under this export's pseudonym, with
    their group (null when not clustered), whether they were in conversation, their votes
    counted and their place in the opinion map; listed by pseudonym, as the engine's order is
    the participants' database order, which would link two exports."""
    import pyarrow as pa

    export_id = new_export_id()
    entries = snapshot.result.get("participants", [])
    names = _pseudonyms(export_id, [e["participant_id"] for e in entries])
    order = sorted(range(len(entries)), key=names.__getitem__)
    entries, names = [entries[i] for i in order], [names[i] for i in order]
    return export_id, pa.table(
        {
            "participant": pa.array(names, pa.string()),
            "group": pa.array([e["group"] for e in entries], pa.int64()),
            "in_conversation": pa.array([e["in_conversation"] for e in entries], pa.bool_()),
            "n_votes": pa.array([e["n_votes"] for e in entries], pa.int64()),
            "x": pa.array([e["x"] for e in entries], pa.float64()),
            "y": pa.array([e["y"] for e in entries], pa.float64()),
        }
    )


def _spreadsheet_safe(table):
    """The table with its text cells neutralised: a CSV is opened in spreadsheets (Parquet is typed
    and keeps the texts as they are)."""
    import pyarrow as pa

    for index, field in enumerate(table.schema):
        if pa.types.is_string(field.type):
            cells = [neutralise(cell) for cell in table.column(index).to_pylist()]
            table = table.set_column(index, field, pa.array(cells, field.type))
    return table


def encode_table(table, table_format: str) -> bytes:
    """The table as a CSV (header, RFC 4180 quoting, ISO 8601 times) or Parquet file."""
    import io

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    if table_format == "csv":
        pacsv.write_csv(_spreadsheet_safe(table), buffer)
    else:
        pq.write_table(table, buffer)
    return buffer.getvalue()
