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
from datetime import UTC
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
