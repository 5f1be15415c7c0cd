"""Downloading and deleting one's own data from the participant pages."""

import json
import re
from http import HTTPStatus

from django.core import signing
from django.test import Client
from django.urls import reverse

from deliberation.identity.cookie import PARTICIPANT_COOKIE, PARTICIPANT_COOKIE_SALT
from deliberation.models import Participant, Vote, VoteEvent
from deliberation.services.facilitation import exclude_participant
from deliberation.services.privacy import participant_pseudonym
from tests.factories import make_conversation, make_statement

SCRIPT = "<script>alert('x')</script> The assistant should obey."


def vote(client, conversation, statement, value="1"):
    response = client.post(
        reverse("frontend:vote", args=[conversation.public_id]),
        {"statement": statement.pk, "value": value},
    )
    assert response.status_code == HTTPStatus.SEE_OTHER


def my_data_url(conversation):
    return reverse("frontend:my-data", args=[conversation.public_id])


def delete_url(conversation):
    return reverse("frontend:delete-data", args=[conversation.public_id])


def test_my_data_downloads_the_participants_json(client, conversation, statements):
    vote(client, conversation, statements[0], "1")
    vote(client, conversation, statements[0], "-1")
    response = client.get(my_data_url(conversation))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    participant = Participant.objects.get()
    assert data["participant"]["pseudonym"] == participant_pseudonym(participant)
    assert data["votes"] == [
        {
            "statement": statements[0].pk,
            "text": statements[0].text,
            "vote": "disagree",
            "first_cast_at": data["votes"][0]["first_cast_at"],
            "changed_at": data["votes"][0]["changed_at"],
        }
    ]
    assert [e["vote"] for e in data["vote_history"]] == ["agree", "disagree"]


def test_my_data_for_a_browser_that_never_joined_is_404(client, conversation, statements):
    response = client.get(my_data_url(conversation))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "holds nothing" in response.content.decode()


def test_my_data_contains_only_this_browsers_participant(client, conversation, statements):
    other = Client()
    vote(other, conversation, statements[1])
    vote(client, conversation, statements[0])
    data = json.loads(client.get(my_data_url(conversation)).content)
    assert [v["statement"] for v in data["votes"]] == [statements[0].pk]


def test_my_votes_links_to_download_and_delete(client, conversation, statements):
    vote(client, conversation, statements[0])
    body = client.get(reverse("frontend:my-votes", args=[conversation.public_id])).content.decode()
    assert f'href="{my_data_url(conversation)}"' in body
    assert f'href="{delete_url(conversation)}"' in body


def test_delete_page_asks_for_confirmation_and_deletes_nothing(client, conversation, statements):
    vote(client, conversation, statements[0])
    response = client.get(delete_url(conversation))
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert f'action="{delete_url(conversation)}"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "current vote on 1 statement" in body
    assert Vote.objects.count() == 1


def test_delete_removes_the_data_and_clears_the_cookie(client, conversation, statements):
    vote(client, conversation, statements[0])
    vote(client, conversation, statements[1], "0")
    response = client.post(delete_url(conversation))
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == reverse("frontend:home")
    assert response.cookies[PARTICIPANT_COOKIE].value == ""
    assert response.cookies[PARTICIPANT_COOKIE]["max-age"] == 0
    assert not Participant.objects.exists()
    assert not Vote.objects.exists() and not VoteEvent.objects.exists()
    assert "was deleted" in client.get(response["Location"]).content.decode()
    assert client.get(my_data_url(conversation)).status_code == HTTPStatus.NOT_FOUND


def test_delete_keeps_the_cookie_entries_of_other_conversations(client, context, statements):
    conversation = statements[0].conversation
    second = make_conversation(context, topic="Another conversation")
    elsewhere = make_statement(second, "The assistant should whisper.")
    vote(client, conversation, statements[0])
    vote(client, second, elsewhere)
    response = client.post(delete_url(conversation))
    mapping = signing.loads(
        response.cookies[PARTICIPANT_COOKIE].value, salt=PARTICIPANT_COOKIE_SALT
    )
    assert list(mapping) == [second.public_id]
    assert Vote.objects.filter(statement=elsewhere).count() == 1


def test_delete_leaves_another_participants_data_untouched(client, conversation, statements):
    other = Client()
    vote(other, conversation, statements[0], "-1")
    vote(client, conversation, statements[0], "1")
    client.post(delete_url(conversation))
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    assert other.get(my_data_url(conversation)).status_code == HTTPStatus.OK


def test_delete_without_a_csrf_token_is_refused(conversation, statements):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(conversation.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    browser.post(
        reverse("frontend:vote", args=[conversation.public_id]),
        {"statement": statements[0].pk, "value": "1", "csrfmiddlewaretoken": token},
    )
    assert Participant.objects.count() == 1
    response = browser.post(delete_url(conversation))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Participant.objects.count() == 1 and Vote.objects.count() == 1
    response = browser.post(delete_url(conversation), {"csrfmiddlewaretoken": token})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert not Participant.objects.exists()


def test_delete_with_get_changes_nothing(client, conversation, statements):
    vote(client, conversation, statements[0])
    client.get(delete_url(conversation))
    assert Participant.objects.count() == 1


def test_delete_for_a_browser_that_never_joined_is_404(client, conversation, statements):
    assert client.post(delete_url(conversation)).status_code == HTTPStatus.NOT_FOUND


def test_excluded_participant_can_download_and_delete(
    client, conversation, statements, facilitator
):
    vote(client, conversation, statements[0])
    exclude_participant(participant=Participant.objects.get(), actor=facilitator, reason="Spam.")
    data = json.loads(client.get(my_data_url(conversation)).content)
    assert data["participant"]["excluded_reason"] == "Spam."
    assert client.post(delete_url(conversation)).status_code == HTTPStatus.SEE_OTHER
    assert not Participant.objects.exists() and not Vote.objects.exists()


def test_privacy_pages_escape_statement_text_and_have_no_inline_code(
    client, conversation, statements
):
    hostile = make_statement(conversation, SCRIPT)
    vote(client, conversation, hostile)
    body = client.get(delete_url(conversation)).content.decode()
    assert " style=" not in body and "<style" not in body
    for script in re.findall(r"<script[^>]*>", body):
        assert "src=" in script
    download = client.get(my_data_url(conversation))
    # JSON, never sniffed as HTML: the text comes back as data, not markup.
    assert download["X-Content-Type-Options"] == "nosniff"
    assert json.loads(download.content)["votes"][0]["text"] == SCRIPT


def test_facilitators_audit_log_shows_the_deletion_without_the_participant(
    facilitator_client, conversation, statements
):
    browser = Client()
    vote(browser, conversation, statements[0])
    participant = Participant.objects.get()
    browser.post(delete_url(conversation))
    url = reverse("frontend:facilitate-conversation", args=[conversation.public_id])
    response = facilitator_client.get(url)
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "participant deleted their own data" in body
    assert f"participant {participant.pk}" not in body
