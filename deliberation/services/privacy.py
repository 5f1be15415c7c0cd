"""A participant's own data: a copy of everything Polity holds about them, and its deletion.

What deletion does, exactly (the README's "Privacy" section says the same):
- The participant row goes, and with it every current `Vote` and every `VoteEvent` they cast:
  their votes leave the conversation and its history as if they had never been cast.
- Statements they wrote stay in the conversation with no author. Other people have voted on
  them (their votes are those people's data) and constitutions may cite them; the text never
  said who wrote it, and after deletion nothing does.
- Facilitators' audit entries about them (exclusion, readmission) stay, detached from them: they
  record what a facilitator did, and the audit log must not lose that.
- One "erase" entry (no actor, no participant) is written to the conversation's audit log. Its
  id moves the moderation watermark past the latest snapshot (deleting rows never raises the
  vote watermark, which is a maximum), so the analysis is stale and the next sweep recomputes
  it without them (deliberation/services/analysis.py).
- Analysis snapshots already written are immutable and stay as they are: the latest one is
  superseded at the next run; older ones hold their former database id and map position, linked
  to nothing. Raw-data exports replace participant ids with per-export pseudonyms.
- Published constitution versions are immutable and hold only aggregates (vote counts per
  statement and opinion group, participant totals), never a participant id; they do not change.
- A single-use invitation they joined with stays spent.
- Their screening and self-description answers go with the participant row.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.pseudonyms import pseudonym
from deliberation.models import ModerationAction, Participant, Statement, Vote, VoteEvent

DATA_SCHEMA = "polity.participant-data/v1"
VOTE_WORDS = {1: "agree", -1: "disagree", 0: "pass"}


def participant_pseudonym(participant: Participant) -> str:
    """A stable stand-in for the participant's database id, keyed with the site's secret, so two
    downloads of the same person match and the id itself never leaves."""
    return pseudonym(scope="polity.privacy.participant", value=participant.pk)


def _at(moment) -> str | None:
    return moment.isoformat() if moment else None


def participant_data(*, participant: Participant) -> dict[str, Any]:
    """Everything stored about `participant`, as a JSON-ready document for them to download.

    Left out on purpose: the external id an embedding site passed (it may be an e-mail address
    or another site's account id) and any other person's identifiers. Polity stores no IP
    address: the address is only part of a join rate-limit counter kept in the cache for at
    most ten minutes.
    """
    conversation = participant.conversation
    statements = Statement.objects.filter(author=participant).order_by("id")
    votes = (
        Vote.objects.filter(participant=participant)
        .select_related("statement")
        .order_by("statement_id")
    )
    history = VoteEvent.objects.filter(participant=participant).order_by("id")
    return {
        "schema": DATA_SCHEMA,
        "exported_at": timezone.now().isoformat(),
        "conversation": {
            "id": conversation.public_id,
            "topic": conversation.topic,
            "context": conversation.context.slug,
        },
        "participant": {
            "pseudonym": participant_pseudonym(participant),
            "kind": participant.kind,
            "joined_at": _at(participant.created_at),
            "excluded_at": _at(participant.excluded_at),
            "excluded_reason": participant.excluded_reason,
        },
        "statements": [
            {
                "statement": statement.pk,
                "text": statement.text,
                "state": statement.state,
                "is_meta": statement.is_meta,
                "moderation_reason": statement.moderation_reason,
                "written_at": _at(statement.created_at),
            }
            for statement in statements
        ],
        "votes": [
            {
                "statement": vote.statement_id,
                "text": vote.statement.text,
                "vote": VOTE_WORDS[vote.value],
                "first_cast_at": _at(vote.created_at),
                "changed_at": _at(vote.updated_at),
            }
            for vote in votes
        ],
        "vote_history": [
            {
                "statement": event.statement_id,
                "vote": VOTE_WORDS[event.value],
                "at": _at(event.created_at),
            }
            for event in history
        ],
        # Screening and self-description answers (issue 13): theirs alone, deleted with them.
        "answers": [
            {"question": a.question.text, "answer": a.choice.label, "at": _at(a.created_at)}
            for a in participant.answers.select_related("question", "choice").order_by("id")
        ],
    }


@dataclass(frozen=True)
class Deletion:
    """What `delete_participant_data` removed and kept, for the confirmation message."""

    votes: int
    vote_events: int
    statements_kept: int


def delete_participant_data(*, participant: Participant) -> Deletion:
    """Delete `participant` and their votes; see the module docstring for everything it does.

    Allowed whatever the conversation's state, and for excluded participants too. Locks the
    participant row first, so a vote being cast at the same moment either commits before the
    deletion (and is deleted with the rest) or fails on the missing participant.
    """
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        votes, _ = Vote.objects.filter(participant=locked).delete()
        vote_events, _ = VoteEvent.objects.filter(participant=locked).delete()
        statements_kept = Statement.objects.filter(author=locked).update(author=None)
        ModerationAction.objects.filter(participant=locked).update(participant=None)
        ModerationAction.objects.create(
            conversation_id=locked.conversation_id, actor=None, action=ModerationAction.Action.ERASE
        )
        locked.delete()
    return Deletion(votes=votes, vote_events=vote_events, statements_kept=statements_kept)
