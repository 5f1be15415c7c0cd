"""Raw conversation data for researchers, with participants under per-export pseudonyms.

A pseudonym (core.pseudonyms) is an HMAC of the participant's database id, keyed with the
export's random id and the site's secret: stable within one export (so a person's votes stay
linked), unlinkable across exports, and never the database id itself. No emails, IP addresses
or external ids leave.
"""

import secrets
from typing import Any

from core.pseudonyms import pseudonym
from deliberation.models import AnalysisSnapshot, Conversation, Vote
from deliberation.services.representativeness import answer_rows


def new_export_id() -> str:
    return secrets.token_hex(12)


def _scope(export_id: str) -> str:
    return f"polity.export:{export_id}"


def export_votes(*, conversation: Conversation, with_answers: bool = False) -> dict[str, Any]:
    """Votes under this export's pseudonyms; `with_answers` adds each participant's
    self-description answers (null where their combination would single them out)."""
    export_id = new_export_id()
    votes = (
        Vote.objects.filter(conversation=conversation, participant__excluded_at__isnull=True)
        .order_by("id")
        .values_list("participant_id", "statement_id", "value", "updated_at")
    )
    document: dict[str, Any] = {
        "export": export_id,
        "conversation": conversation.public_id,
        "votes": [
            {
                "participant": pseudonym(scope=_scope(export_id), value=participant),
                "statement": statement,
                "value": value,
                "at": updated_at.isoformat(),
            }
            for participant, statement, value, updated_at in votes.iterator(chunk_size=5000)
        ],
    }
    if with_answers:
        ids = sorted({participant for participant, *_rest in votes})
        rows = answer_rows(context=conversation.context, participant_ids=ids)
        document["answers"] = [
            {"participant": pseudonym(scope=_scope(export_id), value=pid), "answers": rows[pid]}
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
