from deliberation.models import Statement
from deliberation.services.participation import cast_vote, progress
from tests.factories import make_participant


def test_progress_counts_votes_out_of_visible_statements(conversation, statements, participant):
    for statement in statements[:2]:
        cast_vote(participant=participant, statement_id=statement.pk, value=1)
    result = progress(conversation, participant)
    assert (result.voted, result.available) == (2, 5)
    assert not result.is_complete


def test_progress_ignores_other_participants_votes(conversation, statements, participant):
    cast_vote(participant=make_participant(conversation), statement_id=statements[0].pk, value=1)
    assert progress(conversation, participant).voted == 0


def test_progress_drops_a_statement_rejected_after_the_vote(conversation, statements, participant):
    cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    Statement.objects.filter(pk=statements[0].pk).update(state=Statement.State.REJECTED)
    result = progress(conversation, participant)
    assert (result.voted, result.available) == (0, 4)


def test_progress_is_complete_when_every_statement_is_voted(conversation, statements, participant):
    for statement in statements:
        cast_vote(participant=participant, statement_id=statement.pk, value=0)
    assert progress(conversation, participant).is_complete


def test_progress_of_an_empty_conversation_is_not_complete(conversation, participant):
    result = progress(conversation, participant)
    assert (result.voted, result.available, result.is_complete) == (0, 0, False)


def test_progress_of_a_visitor_is_zero_of_all(conversation, statements):
    result = progress(conversation)
    assert (result.voted, result.available) == (0, 5)
