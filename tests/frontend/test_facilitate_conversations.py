from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.hashing import token_hash
from deliberation.models import Conversation, Invite, ModerationAction, Statement
from tests.factories import make_statement

NEW_CONVERSATION = {
    "topic": "When should the assistant refuse?",
    "description": "Round one.",
    "state": "draft",
    "moderation": "strict",
    "participants_can_write": "on",
    "identity_mode": "xid",
    "xid_allowlist": " ana \n\n bo \n",
}


def _url(name, *args):
    return reverse(f"frontend:facilitate-{name}", args=args)


def test_conversation_create_in_a_facilitated_context(facilitator_client, context):
    response = facilitator_client.post(_url("conversation-create", context.slug), NEW_CONVERSATION)
    conversation = Conversation.objects.get(topic=NEW_CONVERSATION["topic"])
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == _url("conversation", conversation.public_id)
    assert (conversation.context, conversation.state, conversation.identity_mode) == (
        context,
        "draft",
        "xid",
    )
    assert conversation.allowed_xids() == {"ana", "bo"}


def test_conversation_create_refuses_a_bidi_override_in_the_topic(facilitator_client, context):
    data = {**NEW_CONVERSATION, "topic": "safe \u202egnp.exe"}
    response = facilitator_client.post(_url("conversation-create", context.slug), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "topic" in response.context["form"].errors
    assert not Conversation.objects.filter(context=context).exists()


def test_conversation_edit_changes_settings_and_logs_closing(
    facilitator_client, conversation, facilitator
):
    data = {**NEW_CONVERSATION, "state": "closed", "moderation": "permissive"}
    response = facilitator_client.post(_url("conversation-edit", conversation.public_id), data)
    conversation.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert (conversation.state, conversation.moderation) == ("closed", "permissive")
    entries = conversation.moderation_actions.order_by("id")
    assert [(e.actor, e.action) for e in entries] == [
        (facilitator, "settings"),
        (facilitator, "close"),
    ]
    assert entries[0].reason.startswith("moderation: strict -> permissive; ")


def test_conversation_edit_cannot_return_an_open_conversation_to_draft(
    facilitator_client, conversation
):
    response = facilitator_client.post(
        _url("conversation-edit", conversation.public_id), {**NEW_CONVERSATION, "topic": "Changed"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    conversation.refresh_from_db()
    assert (conversation.topic, conversation.state) == ("How should the assistant behave?", "open")


def test_conversation_state_buttons_close_and_reopen(facilitator_client, conversation):
    url = _url("conversation-state", conversation.public_id)
    assert facilitator_client.post(url, {"state": "closed"}).status_code == HTTPStatus.FOUND
    assert facilitator_client.post(url, {"state": "open"}).status_code == HTTPStatus.FOUND
    assert list(
        conversation.moderation_actions.order_by("id").values_list("action", flat=True)
    ) == [
        "close",
        "open",
    ]
    assert facilitator_client.post(url, {"state": "draft"}).status_code == HTTPStatus.BAD_REQUEST
    conversation.refresh_from_db()
    assert conversation.state == "open"


def test_invite_create_shows_the_link_once_and_stores_only_its_hash(
    facilitator_client, conversation
):
    response = facilitator_client.post(
        _url("invite-create", conversation.public_id), {"label": "Ward 3", "single_use": "on"}
    )
    assert response.status_code == HTTPStatus.CREATED
    link = response.context["new_invite_link"]
    token = link.split("invite=")[1]
    assert link.startswith(f"http://127.0.0.1:8000/c/{conversation.public_id}/?invite=")
    invite = Invite.objects.get()
    assert (invite.token_sha256, invite.label, invite.single_use) == (
        token_hash(token),
        "Ward 3",
        True,
    )
    page = facilitator_client.get(_url("conversation", conversation.public_id))
    assert token not in page.content.decode()


def test_seed_one_statement(facilitator_client, conversation, facilitator):
    response = facilitator_client.post(
        _url("seed", conversation.public_id), {"text": "Cite sources.", "is_meta": ""}
    )
    assert response.status_code == HTTPStatus.FOUND
    statement = conversation.statements.get()
    assert (statement.text, statement.is_seed, statement.state) == (
        "Cite sources.",
        True,
        "accepted",
    )
    assert conversation.moderation_actions.get().actor == facilitator


def test_seed_duplicate_answers_conflict_and_names_the_existing(facilitator_client, conversation):
    make_statement(conversation, "Cite sources.")
    response = facilitator_client.post(
        _url("seed", conversation.public_id), {"text": "cite  SOURCES"}
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert "Cite sources." in str(response.context["seed_form"].errors["text"])
    assert conversation.statements.count() == 1


def test_seed_with_nul_byte_is_a_form_error(facilitator_client, conversation):
    response = facilitator_client.post(_url("seed", conversation.public_id), {"text": "a\x00b"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not conversation.statements.exists()


def _upload(client, conversation, content: bytes):
    upload = SimpleUploadedFile("seeds.csv", content, content_type="text/csv")
    return client.post(_url("seed-csv", conversation.public_id), {"file": upload})


def test_seed_csv_upload_imports_all_rows(facilitator_client, conversation):
    response = _upload(
        facilitator_client, conversation, b"text,is_meta\nOne norm.,no\nI am a nurse.,yes\n"
    )
    assert response.status_code == HTTPStatus.FOUND
    assert list(conversation.statements.values_list("text", "is_meta")) == [
        ("One norm.", False),
        ("I am a nurse.", True),
    ]


def test_seed_csv_upload_shows_every_problem_with_its_line_and_writes_nothing(
    facilitator_client, conversation
):
    make_statement(conversation, "Existing norm.")
    content = (
        b"text,is_meta\nGood norm.,no\n,no\nexisting norm,no\nGood norm,no\nAlso good.,perhaps\n"
    )
    response = _upload(facilitator_client, conversation, content)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert [line for line, _reason in response.context["problems"]] == [3, 4, 5, 6]
    body = response.content.decode()
    for line in (3, 4, 5, 6):
        assert f"Line {line}:" in body
    assert list(conversation.statements.values_list("text", flat=True)) == ["Existing norm."]
    assert not ModerationAction.objects.exists()


def test_seed_csv_upload_refuses_non_utf8(facilitator_client, conversation):
    response = _upload(facilitator_client, conversation, "text\nÉlan\n".encode("cp1252"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "UTF-8" in response.content.decode()
    assert not Statement.objects.exists()


def test_seed_csv_upload_without_a_file_is_a_form_error(facilitator_client, conversation):
    response = facilitator_client.post(_url("seed-csv", conversation.public_id), {})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "file" in response.context["csv_form"].errors


def test_conversation_detail_shows_the_audit_log_newest_first_paginated(
    facilitator_client, conversation, facilitator, participant
):
    for number in range(30):
        ModerationAction.objects.create(
            conversation=conversation,
            actor=facilitator,
            action="exclude",
            participant=participant,
            reason=f"reason {number}",
        )
    response = facilitator_client.get(_url("conversation", conversation.public_id))
    log = response.context["log_page"]
    assert [entry.reason for entry in log][:2] == ["reason 29", "reason 28"]
    assert len(log) == 25
    older = facilitator_client.get(_url("conversation", conversation.public_id), {"log": 2})
    assert [entry.reason for entry in older.context["log_page"]] == [
        f"reason {n}" for n in range(4, -1, -1)
    ]
    assert "facilitator" in response.content.decode()


def test_revoking_an_invite_stops_new_joins_and_is_audited(facilitator_client, conversation):
    from deliberation.errors import JoinRefused
    from deliberation.identity.joining import join_by_invite
    from deliberation.models import ModerationAction

    conversation.identity_mode = conversation.Identity.INVITE
    conversation.save()
    response = facilitator_client.post(
        reverse("frontend:facilitate-invite-create", args=[conversation.public_id]),
        {"label": "staff room", "single_use": ""},
    )
    token = response.context["new_invite_link"].rsplit("invite=", 1)[1]
    invite = conversation.invites.get()
    facilitator_client.post(
        reverse("frontend:facilitate-invite-revoke", args=[conversation.public_id, invite.pk])
    )
    with pytest.raises(JoinRefused):
        join_by_invite(conversation=conversation, token=token, ip_address="192.0.2.1")
    actions = list(
        ModerationAction.objects.filter(conversation=conversation)
        .order_by("id")
        .values_list("action", "reason")
    )
    assert actions == [("invite", "staff room"), ("revoke", "staff room")]
