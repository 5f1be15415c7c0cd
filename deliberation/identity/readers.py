"""The reads of identity that run on every vote, in plain SQL (deliberation/rows.py says why)."""

from deliberation.models import Conversation, Participant
from deliberation.rows import first_row


def participant_in(conversation: Conversation, participant_id: int) -> Participant | None:
    """Participant `participant_id` if it belongs to `conversation` (else None), with its
    conversation set, so nothing reads it again."""
    participant = first_row(
        Participant, "id = %s AND conversation_id = %s", [participant_id, conversation.pk]
    )
    if participant is not None:
        participant.conversation = conversation
    return participant
