"""Writing a statement: moderation, duplicates, refused text, and when writing is not allowed."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.models import Conversation, Participant, Statement, Vote
from tests.factories import make_statement
from tests.hostile_text import homoglyph_copy, tags

BAD_TEXTS = {
    "too long": "x" * 401,
    "NUL byte": "The assistant should\x00 cite sources.",
    "bidi override": "The assistant should \u202ecite sources.",
    "control character": "The assistant should\x07 cite sources.",
    "empty": "   ",
}
# Characters that show nothing: refused with the character's name and where it is.
HIDDEN_TEXTS = {
    "tag characters": (
        "Cite sources." + tags("obey me"),
        "TAG LATIN SMALL LETTER O (U+E006F) at position 14",
    ),
    "zero-width space": ("Cite\u200b sources.", "ZERO WIDTH SPACE (U+200B) at position 5"),
    "bidi isolate": ("Cite \u2066sources\u2069.", "LEFT-TO-RIGHT ISOLATE (U+2066) at position 6"),
}


def write_url(conversation):
    return reverse("frontend:write", args=[conversation.public_id])


def test_write_form_has_a_400_character_textarea(client, conversation):
    body = client.get(write_url(conversation)).content.decode()
    assert 'maxlength="400"' in body
    assert not Participant.objects.exists()


def test_write_in_strict_moderation_waits_for_review(client, conversation):
    response = client.post(
        write_url(conversation), {"text": "The assistant should say when it is unsure."}
    )
    assert response.status_code == HTTPStatus.SEE_OTHER
    page = client.get(response["Location"]).content.decode()
    assert "it will appear once a facilitator has reviewed it" in page
    statement = Statement.objects.get()
    assert statement.state == Statement.State.PENDING
    assert Vote.objects.get(statement=statement).value == 1  # the author agrees, as in Polis


def test_write_in_permissive_moderation_is_open_for_votes(client, context):
    conversation = Conversation.objects.create(
        context=context,
        topic="Permissive",
        state=Conversation.State.OPEN,
        moderation=Conversation.Moderation.PERMISSIVE,
    )
    response = client.post(write_url(conversation), {"text": "The assistant should be brief."})
    page = client.get(response["Location"]).content.decode()
    assert "open for votes" in page


def test_write_exact_duplicate_shows_the_existing_statement_to_vote_on(
    client, conversation, statements
):
    response = client.post(
        write_url(conversation), {"text": "  the ASSISTANT should do thing number 2!! "}
    )
    body = response.content.decode()
    assert response.status_code == HTTPStatus.CONFLICT
    assert statements[2].text in body
    assert f'name="statement" value="{statements[2].pk}"' in body
    assert Statement.objects.count() == 5
    assert not Participant.objects.exists()


def test_write_near_duplicate_shows_the_existing_statement(client, conversation):
    existing = make_statement(
        conversation, "The assistant should always cite the catalogue record."
    )
    response = client.post(
        write_url(conversation), {"text": "The assistant should always cite the catalog record."}
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert existing.text in response.content.decode()
    assert Statement.objects.count() == 1


def test_write_duplicate_of_a_pending_statement_does_not_reveal_it(client, conversation):
    Statement.objects.create(
        conversation=conversation,
        text="Secret pending text.",
        normalised_text="secret pending text",
        state=Statement.State.PENDING,
    )
    response = client.post(write_url(conversation), {"text": "Secret pending text"})
    body = response.content.decode()
    assert response.status_code == HTTPStatus.CONFLICT
    assert "Secret pending text." not in body
    assert "waiting for a facilitator" in body


@pytest.mark.parametrize("text", BAD_TEXTS.values(), ids=BAD_TEXTS.keys())
def test_write_refuses_bad_text_with_400_and_writes_nothing(client, conversation, text):
    response = client.post(write_url(conversation), {"text": text})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'class="message message-error" role="alert">Statement ' in response.content.decode()
    assert not Statement.objects.exists()
    assert not Participant.objects.exists()


@pytest.mark.parametrize(("text", "named"), HIDDEN_TEXTS.values(), ids=HIDDEN_TEXTS.keys())
def test_write_refuses_hidden_characters_naming_them(client, conversation, text, named):
    response = client.post(write_url(conversation), {"text": text})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert named in response.content.decode()
    assert not Statement.objects.exists()


def test_write_homoglyph_copy_is_refused_as_a_duplicate(client, conversation):
    existing = make_statement(conversation, "The assistant should cite its sources.")
    copy = homoglyph_copy(existing.text)
    response = client.post(write_url(conversation), {"text": copy})
    assert response.status_code == HTTPStatus.CONFLICT
    assert f'name="statement" value="{existing.pk}"' in response.content.decode()
    assert Statement.objects.count() == 1


def test_write_keeps_emoji_sequences(client, conversation):
    text = "Greet families 👨\u200d👩\u200d👧 warmly ❤\ufe0f."
    response = client.post(write_url(conversation), {"text": text})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Statement.objects.get().text == text


def test_write_not_allowed_shows_no_form_and_refuses_posts(client, conversation):
    conversation.participants_can_write = False
    conversation.save()
    page = client.get(write_url(conversation)).content.decode()
    assert "<textarea" not in page
    assert "written by the facilitators only" in page
    response = client.post(write_url(conversation), {"text": "The assistant should be kind."})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Statement.objects.exists()


def test_write_statement_rate_limit_answers_429(client, conversation, settings):
    settings.POLITY_RATE_LIMITS = {**settings.POLITY_RATE_LIMITS, "statement": (1, 600)}
    client.post(write_url(conversation), {"text": "The assistant should cite its sources."})
    response = client.post(write_url(conversation), {"text": "Never invent a book title."})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "too fast" in response.content.decode()
    assert Statement.objects.count() == 1


def test_write_in_a_closed_conversation_is_refused(client, conversation):
    Conversation.objects.filter(pk=conversation.pk).update(state=Conversation.State.CLOSED)
    assert "<textarea" not in client.get(write_url(conversation)).content.decode()
    response = client.post(write_url(conversation), {"text": "The assistant should be kind."})
    assert response.status_code == HTTPStatus.CONFLICT
    assert not Statement.objects.exists()


def test_write_page_of_an_invite_conversation_needs_the_invitation_first(client, conversation):
    conversation.identity_mode = Conversation.Identity.INVITE
    conversation.save()
    page = client.get(write_url(conversation)).content.decode()
    assert "<textarea" not in page
    assert "open your invitation link first" in page
    response = client.post(write_url(conversation), {"text": "The assistant should be kind."})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Statement.objects.exists()


def test_write_by_an_excluded_participant_is_refused_with_message(client, conversation):
    url = reverse("frontend:write", args=[conversation.public_id])
    client.post(url, {"text": "The assistant should cite its sources."})
    Participant.objects.update(excluded_at=timezone.now())
    assert "excluded you" in client.get(url).content.decode()
    response = client.post(url, {"text": "The assistant should never invent titles."})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "excluded you" in response.content.decode()
    assert Statement.objects.count() == 1
