"""User content is escaped, the CSP header is strict, pages carry no inline script or style."""

import re
from http import HTTPStatus

from django.urls import reverse
from django.utils.html import escape

from deliberation.models import Conversation
from tests.factories import make_context, make_conversation, make_statement

SCRIPT = "<script>alert('x')</script> The assistant should obey."


def test_statement_text_is_escaped_on_the_voting_page(client, conversation):
    make_statement(conversation, SCRIPT)
    body = client.get(conversation.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<script>alert" not in body


def test_statement_text_is_escaped_on_my_votes(client, conversation):
    statement = make_statement(conversation, SCRIPT)
    client.post(
        reverse("frontend:vote", args=[conversation.public_id]),
        {"statement": statement.pk, "value": "1"},
    )
    body = client.get(reverse("frontend:my-votes", args=[conversation.public_id])).content.decode()
    assert "&lt;script&gt;" in body
    assert "<script>alert" not in body


def test_conversation_topic_is_escaped_on_home(client, context):
    make_conversation(context, topic="<img src=x onerror=alert(1)>")
    body = client.get(reverse("frontend:home")).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_participant_page_sends_a_strict_csp(client, conversation):
    response = client.get(conversation.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_participant_pages_have_no_inline_scripts_or_styles(client, conversation, statements):
    urls = [
        reverse("frontend:home"),
        conversation.get_absolute_url(),
        reverse("frontend:my-votes", args=[conversation.public_id]),
        reverse("frontend:write", args=[conversation.public_id]),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert " style=" not in body and "<style" not in body, url
        for script in re.findall(r"<script[^>]*>", body):
            assert "src=" in script, url
        assert re.search(r"\son[a-z]+=", body) is None, url


def test_home_lists_open_conversations_of_public_contexts(client, context, conversation):
    draft = make_conversation(context, topic="Not ready", state=Conversation.State.DRAFT)
    hidden = make_context(slug="private", title="Private context", is_public=False)
    make_conversation(hidden, topic="Private conversation")
    response = client.get(reverse("frontend:home"))
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert escape(context.title) in body
    assert conversation.get_absolute_url() in body
    assert draft.get_absolute_url() not in body
    assert "Private" not in body
