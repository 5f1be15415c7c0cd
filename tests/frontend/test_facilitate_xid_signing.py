"""Facilitators require signed external ids, see the signing key and regenerate it: each change
in the audit log, and nothing of it for the facilitator of another context."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from deliberation.models import Conversation, ModerationAction


def _url(name, conversation):
    return reverse(f"frontend:facilitate-{name}", args=[conversation.public_id])


@pytest.fixture
def xid_conversation(conversation):
    conversation.identity_mode = Conversation.Identity.XID
    conversation.save()
    return conversation


def _log(conversation):
    return list(conversation.moderation_actions.order_by("id").values_list("actor", "action"))


def test_facilitator_page_shows_the_signing_key_of_an_external_id_conversation(
    facilitator_client, xid_conversation
):
    page = facilitator_client.get(_url("conversation", xid_conversation)).content.decode()
    assert f'value="{xid_conversation.xid_key}"' in page
    assert _url("xid-key", xid_conversation) in page


def test_facilitator_page_shows_no_key_for_anonymous_conversations(
    facilitator_client, conversation
):
    page = facilitator_client.get(_url("conversation", conversation)).content.decode()
    assert conversation.xid_key not in page


def test_requiring_signed_links_is_switched_on_and_off_and_logged(
    facilitator_client, facilitator, xid_conversation
):
    url = _url("xid-signing", xid_conversation)
    assert facilitator_client.post(url, {"required": "on"}).status_code == HTTPStatus.FOUND
    xid_conversation.refresh_from_db()
    assert xid_conversation.xid_signed
    # Asking for the setting in force changes nothing and logs nothing.
    facilitator_client.post(url, {"required": "on"})
    assert facilitator_client.post(url, {}).status_code == HTTPStatus.FOUND
    xid_conversation.refresh_from_db()
    assert not xid_conversation.xid_signed
    assert _log(xid_conversation) == [
        (facilitator.pk, ModerationAction.Action.XID_SIGNED),
        (facilitator.pk, ModerationAction.Action.XID_UNSIGNED),
    ]
    page = facilitator_client.get(_url("conversation", xid_conversation)).content.decode()
    assert "stopped requiring signed external ids" in page


def test_regenerating_the_key_replaces_it_and_logs_without_it(
    facilitator_client, facilitator, xid_conversation
):
    old = xid_conversation.xid_key
    response = facilitator_client.post(_url("xid-key", xid_conversation))
    assert response.status_code == HTTPStatus.FOUND
    xid_conversation.refresh_from_db()
    assert xid_conversation.xid_key != old and len(xid_conversation.xid_key) == 64
    assert _log(xid_conversation) == [(facilitator.pk, ModerationAction.Action.XID_REKEY)]
    assert xid_conversation.moderation_actions.get().reason == ""
    page = facilitator_client.get(_url("conversation", xid_conversation)).content.decode()
    assert xid_conversation.xid_key in page and old not in page


def test_facilitator_of_another_context_cannot_see_or_change_the_key(
    client, other_facilitator, xid_conversation
):
    client.force_login(other_facilitator)
    key = xid_conversation.xid_key
    page = client.get(_url("conversation", xid_conversation))
    assert page.status_code == HTTPStatus.NOT_FOUND
    assert key not in page.content.decode()
    for name, data in (("xid-key", {}), ("xid-signing", {"required": "on"})):
        assert client.post(_url(name, xid_conversation), data).status_code == HTTPStatus.NOT_FOUND
    xid_conversation.refresh_from_db()
    assert (xid_conversation.xid_key, xid_conversation.xid_signed) == (key, False)
    assert not xid_conversation.moderation_actions.exists()


def test_conversation_settings_form_cannot_set_the_key_or_signing(
    facilitator_client, xid_conversation
):
    key = xid_conversation.xid_key
    data = {
        "topic": "Renamed",
        "state": "open",
        "moderation": "strict",
        "identity_mode": "xid",
        "xid_key": "0" * 64,
        "xid_signed": "on",
    }
    response = facilitator_client.post(_url("conversation-edit", xid_conversation), data)
    assert response.status_code == HTTPStatus.FOUND
    xid_conversation.refresh_from_db()
    assert (xid_conversation.topic, xid_conversation.xid_key) == ("Renamed", key)
    assert not xid_conversation.xid_signed
