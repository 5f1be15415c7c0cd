import pytest
from django.utils import timezone

from deliberation.errors import (
    ConversationClosed,
    InvalidVote,
    ParticipantExcluded,
    RateLimited,
    StatementUnavailable,
)
from deliberation.models import Conversation, Statement, Vote, VoteEvent
from deliberation.services.participation import cast_vote


def test_cast_vote_records_current_vote_and_event(participant, statements):
    vote = cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    assert vote.value == 1
    assert VoteEvent.objects.filter(participant=participant).count() == 1


def test_cast_vote_changing_a_vote_updates_it_and_keeps_history(participant, statements):
    cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    cast_vote(participant=participant, statement_id=statements[0].pk, value=-1)
    assert list(Vote.objects.filter(participant=participant).values_list("value", flat=True)) == [
        -1
    ]
    events = VoteEvent.objects.filter(participant=participant).order_by("id")
    assert [event.value for event in events] == [1, -1]


@pytest.mark.parametrize("value", [2, -2, "1", None])
def test_cast_vote_refuses_values_other_than_agree_disagree_pass(participant, statements, value):
    with pytest.raises(InvalidVote):
        cast_vote(participant=participant, statement_id=statements[0].pk, value=value)
    assert not Vote.objects.exists()


def test_cast_vote_refuses_closed_conversation(participant, statements):
    Conversation.objects.filter(pk=participant.conversation_id).update(state="closed")
    participant.refresh_from_db()
    with pytest.raises(ConversationClosed):
        cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    assert not VoteEvent.objects.exists()


def test_cast_vote_refuses_rejected_and_unknown_statements(participant, statements):
    Statement.objects.filter(pk=statements[0].pk).update(state=Statement.State.REJECTED)
    for statement_id in (statements[0].pk, 999_999):
        with pytest.raises(StatementUnavailable):
            cast_vote(participant=participant, statement_id=statement_id, value=1)
    assert not Vote.objects.exists()


def test_cast_vote_refuses_excluded_participant(participant, statements):
    participant.excluded_at = timezone.now()
    participant.save()
    with pytest.raises(ParticipantExcluded):
        cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    assert not Vote.objects.exists()


def test_cast_vote_is_rate_limited_per_participant(participant, statements, settings):
    settings.POLITY_RATE_LIMITS = {**settings.POLITY_RATE_LIMITS, "vote": (3, 60)}
    for _ in range(3):
        cast_vote(participant=participant, statement_id=statements[0].pk, value=0)
    with pytest.raises(RateLimited):
        cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    assert Vote.objects.get().value == 0
