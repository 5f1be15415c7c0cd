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
