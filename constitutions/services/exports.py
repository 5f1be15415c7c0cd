"""Raw conversation data for researchers, with participants under per-export pseudonyms.

A pseudonym is an HMAC of the export's random id and the participant's database id, keyed with
the site's secret: stable within one export (so a person's votes stay linked), new in the next
export, and never the database id itself. No emails, IP addresses or external ids leave.

What that does not do: the votes themselves are the same in every export, so two exports of one
conversation can still be matched by a participant's pattern of votes (which statements, which
way). What it does do: the times and the order of votes carry nothing extra for that. Each vote
gives only the UTC day of its last change (to the millisecond, a time was unique to a person and
re-linked every participant across two exports), and votes are listed by statement, day and
pseudonym, so a vote's place in the list says nothing about who cast it.
"""

import hashlib
import hmac
import secrets
from datetime import UTC
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
    rows = [
        {
            "participant": pseudonym(export_id, participant),
            "statement": statement,
            "value": value,
            "day": updated_at.astimezone(UTC).date().isoformat(),
        }
        for participant, statement, value, updated_at in votes.iterator(chunk_size=5000)
    ]
    rows.sort(key=lambda row: (row["statement"], row["day"], row["participant"]))
    return {"export": export_id, "conversation": conversation.public_id, "votes": rows}


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
