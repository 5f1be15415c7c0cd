"""The next statement before any analysis exists: meta first, then fewest seen, then oldest."""

from deliberation.models import Conversation, Statement
from deliberation.services.participation import cast_vote, next_statement_for
from tests.factories import make_conversation, make_participant, make_statement


def test_next_statement_for_prefers_the_statement_fewest_people_have_seen(conversation, statements):
    for _ in range(2):
        other = make_participant(conversation)
        cast_vote(participant=other, statement_id=statements[0].pk, value=1)
    cast_vote(participant=make_participant(conversation), statement_id=statements[1].pk, value=0)
    participant = make_participant(conversation)
    assert next_statement_for(conversation, participant) == statements[2]


def test_next_statement_for_breaks_ties_by_oldest(conversation, statements, participant):
    assert next_statement_for(conversation, participant) == statements[0]


def test_next_statement_for_shows_meta_statements_first(conversation, statements, participant):
    meta = make_statement(conversation, "I use the assistant every week.", is_meta=True)
    cast_vote(participant=make_participant(conversation), statement_id=meta.pk, value=1)
    assert next_statement_for(conversation, participant) == meta


def test_next_statement_for_skips_what_the_participant_voted_on(
    conversation, statements, participant
):
    for statement in statements[:3]:
        cast_vote(participant=participant, statement_id=statement.pk, value=-1)
    assert next_statement_for(conversation, participant) == statements[3]


def test_next_statement_for_is_none_when_everything_is_voted(conversation, statements, participant):
    for statement in statements:
        cast_vote(participant=participant, statement_id=statement.pk, value=0)
    assert next_statement_for(conversation, participant) is None


def test_next_statement_for_never_offers_hidden_statements(conversation, participant):
    make_statement(conversation, "Pending in strict moderation.", state=Statement.State.PENDING)
    make_statement(conversation, "Rejected by a facilitator.", state=Statement.State.REJECTED)
    assert next_statement_for(conversation, participant) is None


def test_next_statement_for_offers_pending_statements_in_permissive_moderation(context):
    conversation = make_conversation(context, moderation=Conversation.Moderation.PERMISSIVE)
    pending = make_statement(conversation, "Pending but shown.", state=Statement.State.PENDING)
    assert next_statement_for(conversation, None) == pending


def test_next_statement_for_a_visitor_not_yet_joined_is_the_first_choice(conversation, statements):
    assert next_statement_for(conversation) == statements[0]
