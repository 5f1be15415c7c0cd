"""Sharing a conversation: the absolute participant link, its QR code, and a preview of drafts."""

import io
from http import HTTPStatus

import segno
from django.test import Client
from django.urls import reverse

from tests.factories import make_conversation, make_statement


def _url(name, *args):
    return reverse(f"frontend:facilitate-{name}", args=args)


def test_conversation_page_shows_the_absolute_link_a_copy_button_and_the_qr_code(
    facilitator_client, conversation, settings
):
    settings.SITE_URL = "https://polity.example.org"
    html = facilitator_client.get(_url("conversation", conversation.public_id)).content.decode()
    link = f"https://polity.example.org/c/{conversation.public_id}/"
    assert f'id="participant-link" type="text" readonly value="{link}"' in html
    assert 'data-copy="participant-link"' in html and "frontend/copy.js" in html
    assert f'src="{_url("conversation-qr", conversation.public_id)}"' in html
    assert _url("conversation-preview", conversation.public_id) in html


def test_qr_code_is_an_svg_of_the_absolute_participant_link(
    facilitator_client, conversation, settings
):
    settings.SITE_URL = "https://polity.example.org"
    response = facilitator_client.get(_url("conversation-qr", conversation.public_id))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<script" not in svg
    # The same symbol segno draws for the absolute link: the code encodes exactly that link.
    expected = io.BytesIO()
    segno.make(f"https://polity.example.org/c/{conversation.public_id}/", error="m").save(
        expected, kind="svg", scale=8, border=4, xmldecl=False, title=conversation.topic
    )
    assert response.content == expected.getvalue()
    download = facilitator_client.get(
        _url("conversation-qr", conversation.public_id), {"download": "1"}
    )
    assert download["Content-Disposition"].startswith("attachment;")


def test_preview_shows_a_draft_to_its_facilitators(facilitator_client, context):
    draft = make_conversation(context, state="draft", topic="Draft topic")
    make_statement(draft, "The assistant should be brief.")
    response = facilitator_client.get(_url("conversation-preview", draft.public_id))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Draft topic" in html and "The assistant should be brief." in html
    assert "participants cannot open it yet" in html
    main = html.split('id="main"')[1].split("</main>")[0]
    assert "<form" not in main  # nothing on the preview votes (the footer's language form aside)
    # Participants still cannot open the draft, and a visitor is sent to sign in for the preview.
    client = Client()
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(_url("conversation-preview", draft.public_id)).status_code == HTTPStatus.FOUND
