"""Sybil friction: what stops one person from voting as many.

Anonymous mode can only slow this down (per-IP joins, per-participant votes and statements);
invite-only and allow-listed external ids are the modes that admit only the people meant. The
README's "What anonymous participation can and cannot guarantee" says which is which.
"""

from http import HTTPStatus

from django.test import Client, override_settings

from deliberation.models import Conversation, Participant, Statement, Vote
from deliberation.services.facilitation import create_invite
from tests.factories import make_conversation, make_statement


def _vote(client, conversation, statement, value="1", **extra):
    return client.post(
        f"/c/{conversation.public_id}/vote/", {"statement": statement.pk, "value": value}, **extra
    )


@override_settings(POLITY_RATE_LIMITS={"vote": (100, 60), "statement": (10, 600), "join": (2, 600)})
def test_sybil_new_participants_per_ip_are_limited_with_a_message(conversation, statements):
    for _ in range(2):
        assert _vote(Client(), conversation, statements[0]).status_code == HTTPStatus.SEE_OTHER
    refused = _vote(Client(), conversation, statements[0])
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "too fast" in refused.content.decode()
    assert conversation.participants.count() == 2
    # Another address is not held back by the first one's joins.
    assert _vote(Client(), conversation, statements[0], REMOTE_ADDR="203.0.113.9").status_code == (
        HTTPStatus.SEE_OTHER
    )


@override_settings(POLITY_RATE_LIMITS={"vote": (100, 60), "statement": (10, 600), "join": (2, 600)})
def test_sybil_forwarded_for_header_does_not_escape_the_ip_limit(conversation, statements):
    """With no trusted proxy configured, a client-chosen X-Forwarded-For changes nothing."""
    for number in range(3):
        response = _vote(
            Client(), conversation, statements[0], HTTP_X_FORWARDED_FOR=f"198.51.100.{number}"
        )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert conversation.participants.count() == 2


@override_settings(POLITY_RATE_LIMITS={"vote": (3, 60), "statement": (10, 600), "join": (30, 600)})
def test_sybil_votes_per_participant_are_limited_with_a_message(conversation, statements):
    browser = Client()
    for statement in statements[:3]:
        assert _vote(browser, conversation, statement).status_code == HTTPStatus.SEE_OTHER
    refused = _vote(browser, conversation, statements[3], HTTP_HX_REQUEST="true")
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "too fast" in refused.content.decode()
    assert Vote.objects.filter(statement=statements[3]).count() == 0


@override_settings(POLITY_RATE_LIMITS={"vote": (100, 60), "statement": (2, 600), "join": (30, 600)})
def test_sybil_statements_per_participant_are_limited_with_a_message(conversation):
    browser = Client()
    texts = ["Cite sources.", "Admit uncertainty when unsure.", "Never invent opening hours."]
    statuses = [
        browser.post(f"/c/{conversation.public_id}/write/", {"text": text}).status_code
        for text in texts
    ]
    assert statuses == [HTTPStatus.SEE_OTHER, HTTPStatus.SEE_OTHER, HTTPStatus.TOO_MANY_REQUESTS]
    assert Statement.objects.filter(conversation=conversation).count() == 2


def test_sybil_invite_only_conversation_admits_no_one_without_a_valid_invitation(context):
    conversation = make_conversation(context, identity_mode=Conversation.Identity.INVITE)
    statement = make_statement(conversation, "The assistant should be polite.")
    assert _vote(Client(), conversation, statement).status_code == HTTPStatus.FORBIDDEN
    join = f"/c/{conversation.public_id}/join/"
    assert Client().post(join, {"invite": "guessed"}).status_code == HTTPStatus.FORBIDDEN
    token = create_invite(conversation=conversation, actor=None, single_use=True)
    first, second = Client(), Client()
    assert first.post(join, {"invite": token}).status_code == HTTPStatus.SEE_OTHER
    assert second.post(join, {"invite": token}).status_code == HTTPStatus.FORBIDDEN
    assert _vote(first, conversation, statement).status_code == HTTPStatus.SEE_OTHER
    assert _vote(second, conversation, statement).status_code == HTTPStatus.FORBIDDEN
    assert conversation.participants.count() == 1


def test_sybil_allow_listed_external_ids_are_honoured(context):
    conversation = make_conversation(
        context, identity_mode=Conversation.Identity.XID, xid_allowlist="member-1\nmember-2"
    )
    statement = make_statement(conversation, "The assistant should be polite.")
    assert _vote(Client(), conversation, statement).status_code == HTTPStatus.FORBIDDEN
    url = f"/c/{conversation.public_id}/vote/"
    refused = Client().post(url, {"statement": statement.pk, "value": "1", "xid": "member-3"})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    for browser in (Client(), Client()):  # two browsers, one person: one participant
        response = browser.post(url, {"statement": statement.pk, "value": "1", "xid": "member-1"})
        assert response.status_code == HTTPStatus.SEE_OTHER
    assert list(conversation.participants.values_list("xid", flat=True)) == ["member-1"]
    assert Participant.objects.filter(xid="member-3").count() == 0
