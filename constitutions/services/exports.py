"""Raw conversation data for researchers, with participants under per-export pseudonyms.

A pseudonym is an HMAC of the export's random id and the participant's database id, keyed with
the site's secret: stable within one export (so a person's votes stay linked), unlinkable across
exports, and never the database id itself. No emails, IP addresses or external ids leave.
"""

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings

from deliberation.models import AnalysisSnapshot, Conversation, Vote


def new_export_id() -> str:
    return secrets.token_hex(12)


def pseudonym(export_id: str, participant_id) -> str:
    message = f"{export_id}:{participant_id}".encode()
    key = f"polity-export:{settings.SECRET_KEY}".encode()
    return "p_" + hmac.new(key, message, hashlib.sha256).hexdigest()[:20]


def export_votes(*, conversation: Conversation) -> dict[str, Any]:
    export_id = new_export_id()
    votes = (
        Vote.objects.filter(conversation=conversation, participant__excluded_at__isnull=True)
        .order_by("id")
        .values_list("participant_id", "statement_id", "value", "updated_at")
    )
    return {
        "export": export_id,
        "conversation": conversation.public_id,
        "votes": [
            {
                "participant": pseudonym(export_id, participant),
                "statement": statement,
                "value": value,
                "at": updated_at.isoformat(),
            }
            for participant, statement, value, updated_at in votes.iterator(chunk_size=5000)
        ],
    }


def export_snapshot(*, snapshot: AnalysisSnapshot) -> dict[str, Any]:
    """A snapshot's analysis with its participant ids replaced by this export's pseudonyms."""
    export_id = new_export_id()
    result = dict(snapshot.result)
    result["participants"] = [
        {**entry, "participant_id": pseudonym(export_id, entry["participant_id"])}
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
    return [names.get(p) or names.setdefault(p, pseudonym(export_id, p)) for p in participant_ids]


def vote_table(*, conversation: Conversation):
    """(export id, table): each current vote with its participant's pseudonym, the statement's
    id, the value (+1 agree, -1 disagree, 0 pass) and when it was last cast (UTC)."""
    import pyarrow as pa

    export_id = new_export_id()
    rows = (
        Vote.objects.filter(conversation=conversation, participant__excluded_at__isnull=True)
        .order_by("id")
        .values_list("participant_id", "statement_id", "value", "updated_at")
    )
    participants, statements, values, times = zip(*rows, strict=True) if rows else ([],) * 4
    table = pa.table(
        {
            "participant": pa.array(_pseudonyms(export_id, participants), pa.string()),
            "statement": pa.array(statements, pa.int64()),
            "value": pa.array(values, pa.int8()),
            "at": pa.array(times, pa.timestamp("us", tz="UTC")),
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
    counted and their place in the opinion map."""
    import pyarrow as pa

    export_id = new_export_id()
    entries = snapshot.result.get("participants", [])
    return export_id, pa.table(
        {
            "participant": pa.array(
                _pseudonyms(export_id, [e["participant_id"] for e in entries]), pa.string()
            ),
            "group": pa.array([e["group"] for e in entries], pa.int64()),
            "in_conversation": pa.array([e["in_conversation"] for e in entries], pa.bool_()),
            "n_votes": pa.array([e["n_votes"] for e in entries], pa.int64()),
            "x": pa.array([e["x"] for e in entries], pa.float64()),
            "y": pa.array([e["y"] for e in entries], pa.float64()),
        }
    )


def encode_table(table, table_format: str) -> bytes:
    """The table as a CSV (header, RFC 4180 quoting, ISO 8601 times) or Parquet file."""
    import io

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    if table_format == "csv":
        pacsv.write_csv(table, buffer)
    else:
        pq.write_table(table, buffer)
    return buffer.getvalue()
