"""A participant's data: the copy they download, and what deleting it removes and keeps."""

import json

from deliberation.models import (
    AnalysisSnapshot,
    Conversation,
    ModerationAction,
    Participant,
    Statement,
    Vote,
    VoteEvent,
)
from deliberation.services.analysis import analyse_conversation, is_stale
from deliberation.services.facilitation import exclude_participant
from deliberation.services.participation import cast_vote, submit_statement
from deliberation.services.privacy import (
    delete_participant_data,
    participant_data,
    participant_pseudonym,
)
from tests.constitutions.helpers import analysed_conversation
from tests.factories import make_participant


def test_participant_data_holds_statements_current_votes_and_history(
    conversation, statements, participant
):
    cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    cast_vote(participant=participant, statement_id=statements[0].pk, value=-1)
    cast_vote(participant=participant, statement_id=statements[1].pk, value=0)
    written = submit_statement(participant=participant, text="The assistant should be brief.")
    data = participant_data(participant=participant)
    assert data["participant"]["kind"] == "anonymous"
    assert data["participant"]["joined_at"] == participant.created_at.isoformat()
    assert [s["text"] for s in data["statements"]] == ["The assistant should be brief."]
    assert data["statements"][0]["state"] == Statement.State.PENDING
    current = {v["statement"]: v["vote"] for v in data["votes"]}
    assert current == {statements[0].pk: "disagree", statements[1].pk: "pass", written.pk: "agree"}
    history = [(e["statement"], e["vote"]) for e in data["vote_history"]]
    assert history == [
        (statements[0].pk, "agree"),
        (statements[0].pk, "disagree"),
        (statements[1].pk, "pass"),
        (written.pk, "agree"),
    ]


def test_participant_data_shows_no_database_id_and_no_external_id(conversation, statements):
    xid_conversation = Conversation.objects.create(
        context=conversation.context,
        topic="Embedded",
        state=Conversation.State.OPEN,
        identity_mode=Conversation.Identity.XID,
    )
    person = make_participant(
        xid_conversation, pk=987_654_321, kind=Participant.Kind.EXTERNAL, xid="alice@example.org"
    )
    text = json.dumps(participant_data(participant=person))
    assert "987654321" not in text
    assert "alice@example.org" not in text
    assert participant_pseudonym(person) in text


def test_participant_data_leaves_out_other_participants(conversation, statements, participant):
    other = make_participant(conversation)
    cast_vote(participant=other, statement_id=statements[0].pk, value=1)
    cast_vote(participant=participant, statement_id=statements[1].pk, value=1)
    data = participant_data(participant=participant)
    assert [v["statement"] for v in data["votes"]] == [statements[1].pk]
    assert [e["statement"] for e in data["vote_history"]] == [statements[1].pk]
    assert participant_pseudonym(other) not in json.dumps(data)


def test_participant_pseudonym_is_stable_and_differs_between_people(conversation):
    one, two = make_participant(conversation), make_participant(conversation)
    assert participant_pseudonym(one) == participant_pseudonym(one)
    assert participant_pseudonym(one) != participant_pseudonym(two)


def test_delete_participant_data_removes_participant_votes_and_history(
    conversation, statements, participant
):
    cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    cast_vote(participant=participant, statement_id=statements[0].pk, value=0)
    cast_vote(participant=participant, statement_id=statements[1].pk, value=-1)
    deletion = delete_participant_data(participant=participant)
    assert (deletion.votes, deletion.vote_events) == (2, 3)
    assert not Participant.objects.filter(pk=participant.pk).exists()
    assert not Vote.objects.exists()
    assert not VoteEvent.objects.exists()


def test_delete_participant_data_keeps_written_statements_without_author(
    conversation, statements, participant
):
    written = submit_statement(participant=participant, text="The assistant should be brief.")
    Statement.objects.filter(pk=written.pk).update(state=Statement.State.ACCEPTED)
    other = make_participant(conversation)
    cast_vote(participant=other, statement_id=written.pk, value=-1)
    deletion = delete_participant_data(participant=participant)
    written.refresh_from_db()
    assert deletion.statements_kept == 1
    assert written.author_id is None
    assert list(Vote.objects.values_list("participant_id", "statement_id", "value")) == [
        (other.pk, written.pk, -1)
    ]


def test_delete_participant_data_leaves_other_participants_untouched(
    conversation, statements, participant
):
    other = make_participant(conversation)
    for statement in statements:
        cast_vote(participant=participant, statement_id=statement.pk, value=1)
        cast_vote(participant=other, statement_id=statement.pk, value=-1)
    before = list(VoteEvent.objects.filter(participant=other).values_list("id", "value"))
    delete_participant_data(participant=participant)
    assert Participant.objects.filter(pk=other.pk).exists()
    assert Vote.objects.filter(participant=other).count() == len(statements)
    assert list(VoteEvent.objects.values_list("id", "value")) == before


def test_delete_participant_data_makes_the_analysis_stale_and_the_next_run_forgets_them(
    conversation,
):
    first = analysed_conversation(conversation)
    leaving = Participant.objects.order_by("id").first()
    assert not is_stale(conversation)
    delete_participant_data(participant=leaving)
    assert is_stale(conversation)
    assert (
        ModerationAction.objects.filter(
            action=ModerationAction.Action.ERASE, participant=None
        ).count()
        == 1
    )
    second = analyse_conversation(conversation_id=conversation.pk)
    assert second.pk != first.pk
    assert second.participant_count == first.participant_count - 1
    assert leaving.pk not in {p["participant_id"] for p in second.result["participants"]}


def test_delete_participant_data_keeps_existing_snapshots_as_they_were(conversation):
    snapshot = analysed_conversation(conversation)
    delete_participant_data(participant=Participant.objects.order_by("id").first())
    kept = AnalysisSnapshot.objects.get(pk=snapshot.pk)
    assert kept.result == snapshot.result
    assert kept.vote_count == snapshot.vote_count


def test_delete_participant_data_of_an_excluded_participant_keeps_the_audit_entry(
    conversation, statements, participant, facilitator
):
    cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    exclude_participant(participant=participant, actor=facilitator, reason="Spam.")
    delete_participant_data(participant=participant)
    exclusion = ModerationAction.objects.get(action=ModerationAction.Action.EXCLUDE)
    assert exclusion.participant_id is None
    assert exclusion.reason == "Spam."
    assert not Vote.objects.exists()


def test_delete_participant_data_works_in_a_closed_conversation(
    conversation, statements, participant
):
    cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    Conversation.objects.filter(pk=conversation.pk).update(state=Conversation.State.CLOSED)
    participant.refresh_from_db()
    delete_participant_data(participant=participant)
    assert not Vote.objects.exists()
    assert not Participant.objects.exists()
