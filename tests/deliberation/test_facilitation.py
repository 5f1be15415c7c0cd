import datetime

import pytest
from django.core.exceptions import ValidationError

from core.hashing import token_hash
from deliberation.errors import DuplicateStatement, JoinRefused, ParticipantExcluded
from deliberation.identity.joining import join_by_invite
from deliberation.models import Context, Conversation, Invite, ModerationAction, Statement
from deliberation.services.facilitation import (
    create_context,
    create_conversation,
    create_invite,
    exclude_participant,
    moderate_statement,
    readmit_participant,
    set_conversation_state,
    set_meta,
    update_context,
    update_conversation,
)
from deliberation.services.participation import cast_vote
from deliberation.services.seeding import seed_statement
from tests.factories import make_statement


def test_create_context_makes_the_creator_its_facilitator(facilitator):
    context = create_context(
        creator=facilitator, fields={"title": "Clinic triage", "slug": "clinic"}
    )
    assert list(context.facilitators.all()) == [facilitator]


def test_create_context_refuses_a_taken_slug(facilitator, context):
    with pytest.raises(ValidationError) as raised:
        create_context(creator=facilitator, fields={"title": "Again", "slug": context.slug})
    assert "slug" in raised.value.message_dict
    assert Context.objects.count() == 1


def test_create_context_refuses_fields_a_facilitator_may_not_set(facilitator):
    with pytest.raises(ValueError):
        create_context(creator=facilitator, fields={"title": "X", "slug": "x", "facilitators": []})
    assert not Context.objects.filter(slug="x").exists()


def test_update_context_refuses_a_window_that_ends_before_it_starts(context):
    with pytest.raises(ValidationError):
        update_context(
            context=context,
            fields={
                "valid_from": datetime.date(2027, 1, 1),
                "valid_until": datetime.date(2026, 1, 1),
            },
        )
    context.refresh_from_db()
    assert context.valid_from is None


def test_create_conversation_open_is_logged(context, facilitator):
    conversation = create_conversation(
        context=context, actor=facilitator, fields={"topic": "Refusals", "state": "open"}
    )
    assert conversation.state == Conversation.State.OPEN
    entry = ModerationAction.objects.get(conversation=conversation)
    assert (entry.actor, entry.action) == (facilitator, ModerationAction.Action.OPEN)


def test_update_conversation_refuses_going_back_to_draft(conversation, facilitator):
    with pytest.raises(ValidationError):
        update_conversation(
            conversation=conversation, actor=facilitator, fields={"topic": "New", "state": "draft"}
        )
    conversation.refresh_from_db()
    assert (conversation.topic, conversation.state) != ("New", "draft")
    assert conversation.state == Conversation.State.OPEN


def test_update_conversation_closing_writes_a_close_action(conversation, facilitator):
    update_conversation(conversation=conversation, actor=facilitator, fields={"state": "closed"})
    assert conversation.moderation_actions.get().action == ModerationAction.Action.CLOSE


def test_update_conversation_logs_who_changed_who_may_take_part(conversation, facilitator):
    update_conversation(
        conversation=conversation,
        actor=facilitator,
        fields={
            "identity_mode": "xid",
            "xid_allowlist": "student-417\n student-418 \n\n",
            "topic": "New topic",
        },
    )
    logged = conversation.moderation_actions.get()
    assert logged.action == ModerationAction.Action.SETTINGS
    assert logged.actor == facilitator
    assert logged.reason == "identity_mode: anonymous -> xid; xid_allowlist: 0 -> 2 ids"
    assert "student" not in logged.reason  # the ids themselves stay out of the log


def test_update_conversation_without_audited_changes_logs_nothing(conversation, facilitator):
    update_conversation(
        conversation=conversation,
        actor=facilitator,
        fields={"topic": "Only the topic", "identity_mode": conversation.identity_mode},
    )
    assert not conversation.moderation_actions.exists()


def test_set_conversation_state_to_the_same_state_logs_nothing(conversation, facilitator):
    set_conversation_state(conversation=conversation, actor=facilitator, state="open")
    assert not conversation.moderation_actions.exists()


def test_set_conversation_state_refuses_draft(conversation, facilitator):
    with pytest.raises(ValidationError):
        set_conversation_state(conversation=conversation, actor=facilitator, state="draft")


def test_seed_statement_is_accepted_and_logged(conversation, facilitator):
    statement = seed_statement(
        conversation=conversation, actor=facilitator, text="  Cite sources. "
    )
    assert (statement.text, statement.state, statement.is_seed) == (
        "Cite sources.",
        "accepted",
        True,
    )
    entry = conversation.moderation_actions.get()
    assert (entry.actor, entry.action, entry.statement) == (facilitator, "seed", statement)


def test_seed_statement_same_as_a_rejected_one_is_a_duplicate_not_a_crash(
    conversation, facilitator
):
    make_statement(conversation, "Never refuse.", state=Statement.State.REJECTED)
    with pytest.raises(DuplicateStatement):
        seed_statement(conversation=conversation, actor=facilitator, text="never refuse")
    assert conversation.statements.count() == 1
    assert not conversation.moderation_actions.exists()


@pytest.mark.parametrize("text", ["", "a\x00b", "left \u202e right", "x" * 401])
def test_seed_statement_refuses_bad_text(conversation, facilitator, text):
    with pytest.raises(ValidationError):
        seed_statement(conversation=conversation, actor=facilitator, text=text)
    assert not conversation.statements.exists()


def test_moderate_statement_reject_needs_a_reason(conversation, facilitator):
    statement = make_statement(conversation, "Pending one.", state=Statement.State.PENDING)
    with pytest.raises(ValidationError):
        moderate_statement(statement=statement, actor=facilitator, accept=False, reason="  ")
    statement.refresh_from_db()
    assert statement.state == Statement.State.PENDING
    assert not conversation.moderation_actions.exists()


def test_moderate_statement_records_who_what_and_why(conversation, facilitator):
    statement = make_statement(conversation, "Pending one.", state=Statement.State.PENDING)
    moderate_statement(statement=statement, actor=facilitator, accept=False, reason="Off topic.")
    statement.refresh_from_db()
    assert (statement.state, statement.moderated_by, statement.moderation_reason) == (
        "rejected",
        facilitator,
        "Off topic.",
    )
    entry = conversation.moderation_actions.get()
    assert (entry.actor, entry.action, entry.reason, entry.statement) == (
        facilitator,
        "reject",
        "Off topic.",
        statement,
    )


def test_set_meta_and_back_logs_both(conversation, facilitator, statements):
    set_meta(statement=statements[0], actor=facilitator, is_meta=True)
    set_meta(statement=statements[0], actor=facilitator, is_meta=False)
    actions = list(conversation.moderation_actions.order_by("id").values_list("action", flat=True))
    assert actions == ["meta", "unmeta"]
    statements[0].refresh_from_db()
    assert not statements[0].is_meta


def test_exclude_participant_stops_their_votes_and_readmit_restores(
    conversation, facilitator, participant, statements
):
    exclude_participant(participant=participant, actor=facilitator, reason="Spam.")
    with pytest.raises(ParticipantExcluded):
        cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    readmit_participant(participant=participant, actor=facilitator)
    assert cast_vote(participant=participant, statement_id=statements[0].pk, value=1).value == 1
    actions = list(conversation.moderation_actions.order_by("id").values_list("action", "reason"))
    assert actions == [("exclude", "Spam."), ("readmit", "")]


def test_exclude_participant_needs_a_reason(facilitator, participant):
    with pytest.raises(ValidationError):
        exclude_participant(participant=participant, actor=facilitator, reason="")
    participant.refresh_from_db()
    assert not participant.is_excluded


def test_create_invite_stores_only_the_hash_and_admits_once(conversation, facilitator):
    token = create_invite(
        conversation=conversation, actor=facilitator, single_use=True, label="Ana"
    )
    invite = Invite.objects.get()
    assert invite.token_sha256 == token_hash(token) != token
    join_by_invite(conversation=conversation, token=token, ip_address="192.0.2.1")
    with pytest.raises(JoinRefused):
        join_by_invite(conversation=conversation, token=token, ip_address="192.0.2.1")


def test_create_invite_refuses_a_label_with_control_characters(conversation, facilitator):
    with pytest.raises(ValidationError):
        create_invite(conversation=conversation, actor=facilitator, single_use=True, label="a\x07")
    assert not Invite.objects.exists()
