"""The "my votes" page: every vote the participant cast, each one changeable."""

from http import HTTPStatus

from django.urls import reverse

from deliberation.models import Conversation, Statement, Vote, VoteEvent
from tests.factories import make_conversation, make_statement

HTMX = {"HTTP_HX_REQUEST": "true"}


def cast(client, conversation, statement, value):
    url = reverse("frontend:vote", args=[conversation.public_id])
    client.post(url, {"statement": statement.pk, "value": value})


def change_url(conversation, statement):
    return reverse("frontend:change-vote", args=[conversation.public_id, statement.pk])


def my_votes_url(conversation):
    return reverse("frontend:my-votes", args=[conversation.public_id])


def test_my_votes_lists_each_voted_statement_with_its_vote(client, conversation, statements):
    cast(client, conversation, statements[0], "1")
    cast(client, conversation, statements[1], "-1")
    body = client.get(my_votes_url(conversation)).content.decode()
    assert statements[0].text in body and statements[1].text in body
    assert statements[2].text not in body
    assert "Agree" in body and "Disagree" in body


def test_my_votes_for_a_visitor_says_nothing_voted_yet(client, conversation, statements):
    body = client.get(my_votes_url(conversation)).content.decode()
    assert "not voted on any statement yet" in body


def test_my_votes_leaves_out_statements_rejected_later(client, conversation, statements):
    cast(client, conversation, statements[0], "1")
    Statement.objects.filter(pk=statements[0].pk).update(state=Statement.State.REJECTED)
    assert statements[0].text not in client.get(my_votes_url(conversation)).content.decode()


def test_change_vote_with_htmx_returns_the_updated_row(client, conversation, statements):
    cast(client, conversation, statements[0], "1")
    response = client.post(change_url(conversation, statements[0]), {"value": "0"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "<html" not in body
    assert f'id="vote-{statements[0].pk}"' in body
    assert statements[0].text in body
    assert 'value="0" class="button button-pass" aria-pressed="true"' in body
    assert Vote.objects.get().value == 0
    assert list(VoteEvent.objects.order_by("id").values_list("value", flat=True)) == [1, 0]


def test_change_vote_without_javascript_redirects_back(client, conversation, statements):
    cast(client, conversation, statements[0], "1")
    response = client.post(change_url(conversation, statements[0]), {"value": "-1"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == my_votes_url(conversation)
    assert "Your vote was changed." in client.get(response["Location"]).content.decode()
    assert Vote.objects.get().value == -1


def test_change_vote_refused_in_a_closed_conversation(client, conversation, statements):
    cast(client, conversation, statements[0], "1")
    Conversation.objects.filter(pk=conversation.pk).update(state=Conversation.State.CLOSED)
    response = client.post(change_url(conversation, statements[0]), {"value": "-1"}, **HTMX)
    assert response.status_code == HTTPStatus.CONFLICT
    assert "not open for votes" in response.content.decode()
    assert Vote.objects.get().value == 1


def test_change_vote_invalid_value_is_400(client, conversation, statements):
    cast(client, conversation, statements[0], "1")
    response = client.post(change_url(conversation, statements[0]), {"value": "maybe"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "agree, disagree or pass" in response.content.decode()
    assert Vote.objects.get().value == 1


def test_change_vote_by_someone_who_never_joined_is_404(client, conversation, statements):
    response = client.post(change_url(conversation, statements[0]), {"value": "1"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Vote.objects.exists()


def test_my_votes_and_change_vote_of_a_draft_are_not_found(client, context):
    draft = make_conversation(context, topic="Not ready", state=Conversation.State.DRAFT)
    statement = make_statement(draft, "Not public yet.")
    assert client.get(my_votes_url(draft)).status_code == HTTPStatus.NOT_FOUND
    response = client.post(change_url(draft, statement), {"value": "1"}, **HTMX)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Vote.objects.exists()
