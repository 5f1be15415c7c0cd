"""Voting one statement at a time: with htmx (a fragment) and without JavaScript (PRG)."""

from http import HTTPStatus

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deliberation.identity.cookie import PARTICIPANT_COOKIE
from deliberation.models import Conversation, Participant, Vote
from tests.factories import make_statement

HTMX = {"HTTP_HX_REQUEST": "true"}


def vote_url(conversation):
    return reverse("frontend:vote", args=[conversation.public_id])


def test_vote_without_javascript_redirects_to_the_next_statement(client, conversation, statements):
    response = client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "-1"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == conversation.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Your vote was recorded." in page
    assert statements[1].text in page
    assert "1 of 5 statements" in page
    assert Vote.objects.get().value == -1


def test_vote_with_htmx_returns_only_the_voting_fragment(client, conversation, statements):
    response = client.post(
        vote_url(conversation), {"statement": statements[0].pk, "value": "1"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "<html" not in body
    assert statements[1].text in body
    assert '<progress id="voting-progress" max="5" value="1">' in body
    assert "1 of 5 statements" in body
    assert PARTICIPANT_COOKIE in response.cookies


def test_progress_moves_with_each_vote(client, conversation, statements):
    for index, statement in enumerate(statements[:3], start=1):
        body = client.post(
            vote_url(conversation), {"statement": statement.pk, "value": "0"}, **HTMX
        ).content.decode()
        assert f"{index} of 5 statements" in body


def test_voting_on_everything_says_so_with_links(client, conversation, statements):
    for statement in statements:
        response = client.post(
            vote_url(conversation), {"statement": statement.pk, "value": "1"}, **HTMX
        )
    body = response.content.decode()
    assert "voted on everything" in body
    assert reverse("frontend:my-votes", args=[conversation.public_id]) in body
    assert reverse("frontend:write", args=[conversation.public_id]) in body


def test_meta_statement_is_offered_first(client, conversation, statements):
    meta = make_statement(conversation, "I borrow books every month.", is_meta=True)
    assert meta.text in client.get(conversation.get_absolute_url()).content.decode()


def test_invalid_vote_value_is_400_with_message_in_the_fragment(client, conversation, statements):
    response = client.post(
        vote_url(conversation), {"statement": statements[0].pk, "value": "2"}, **HTMX
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "agree, disagree or pass" in response.content.decode()
    assert not Participant.objects.exists()


def test_unknown_statement_is_404_with_message_and_no_participant(client, conversation, statements):
    response = client.post(vote_url(conversation), {"statement": "999999", "value": "1"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "does not exist in this conversation" in response.content.decode()
    assert not Participant.objects.exists()


def test_closed_conversation_refuses_votes_with_message(client, conversation, statements):
    Conversation.objects.filter(pk=conversation.pk).update(state=Conversation.State.CLOSED)
    page = client.get(conversation.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    assert "This conversation is closed" in page.content.decode()
    assert 'name="value"' not in page.content.decode()
    response = client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    assert response.status_code == HTTPStatus.CONFLICT
    assert "not open for votes" in response.content.decode()
    assert not Participant.objects.exists()
    assert not Vote.objects.exists()


def test_vote_refused_without_javascript_answers_the_whole_page(client, conversation, statements):
    # The vote reads the conversation without its context; the page shows the context's title.
    Conversation.objects.filter(pk=conversation.pk).update(state=Conversation.State.CLOSED)
    response = client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    body = response.content.decode()
    assert response.status_code == HTTPStatus.CONFLICT
    assert "<html" in body
    assert conversation.context.title.replace("'", "&#x27;") in body
    assert conversation.topic in body


def test_excluded_participant_is_refused_with_message(client, conversation, statements):
    client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    Participant.objects.update(excluded_at=timezone.now(), excluded_reason="spam")
    page = client.get(conversation.get_absolute_url())
    assert page.status_code == HTTPStatus.FORBIDDEN
    assert "excluded you" in page.content.decode()
    response = client.post(
        vote_url(conversation), {"statement": statements[1].pk, "value": "1"}, **HTMX
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "excluded you" in response.content.decode()
    assert Vote.objects.count() == 1


def test_vote_rate_limit_answers_429_with_message(client, conversation, statements, settings):
    settings.POLITY_RATE_LIMITS = {**settings.POLITY_RATE_LIMITS, "vote": (2, 60)}
    for statement in statements[:2]:
        client.post(vote_url(conversation), {"statement": statement.pk, "value": "1"})
    response = client.post(
        vote_url(conversation), {"statement": statements[2].pk, "value": "1"}, **HTMX
    )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "too fast" in response.content.decode()
    assert Vote.objects.count() == 2


def test_vote_requires_a_csrf_token(conversation, statements):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "This form has expired" in response.content.decode()
    assert not Vote.objects.exists()


def test_vote_with_the_csrf_token_of_the_page_is_accepted(conversation, statements):
    browser = Client(enforce_csrf_checks=True)
    browser.get(conversation.get_absolute_url())
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        vote_url(conversation),
        {"statement": statements[0].pk, "value": "1"},
        HTTP_X_CSRFTOKEN=token,
        **HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    assert Vote.objects.count() == 1


def test_vote_page_refuses_get(client, conversation):
    assert client.get(vote_url(conversation)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_reloading_the_page_shows_the_same_statement_once_priorities_decide(
    client, conversation, statements
):
    from tests.deliberation.test_routing_priorities import store_priorities

    client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    store_priorities(conversation, {statement.pk: 1.0 for statement in statements})
    shown = set()
    for _ in range(8):
        page = client.get(conversation.get_absolute_url()).content.decode()
        shown.add(next(s.pk for s in statements[1:] if s.text in page))
    assert len(shown) == 1


def test_vote_with_htmx_fills_the_live_region_with_recorded_out_of_band(
    client, conversation, statements
):
    response = client.post(
        vote_url(conversation), {"statement": statements[0].pk, "value": "-1"}, **HTMX
    )
    body = response.content.decode()
    assert '<p id="vote-feedback" hx-swap-oob="innerHTML">' in body
    assert "Recorded: Disagree (1 of 5)." in body


def test_refused_htmx_vote_empties_the_recorded_message(client, conversation, statements):
    response = client.post(vote_url(conversation), {"statement": "x", "value": "1"}, **HTMX)
    body = response.content.decode()
    assert response.status_code >= HTTPStatus.BAD_REQUEST
    assert '<p id="vote-feedback" hx-swap-oob="innerHTML"></p>' in body


def test_voting_page_says_how_many_took_part_and_links_how_it_works(
    client, conversation, statements
):
    for _ in range(3):
        Client().post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "3 people have taken part so far." in page
    assert reverse("frontend:how-it-works", args=[conversation.public_id]) in page


def test_how_it_works_page_explains_anonymity_votes_groups_and_constitution(client, conversation):
    response = client.get(reverse("frontend:how-it-works", args=[conversation.public_id]))
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    for heading in (
        "Who sees what you do",
        "What is done with your votes",
        "How opinion groups come out of the votes",
        "How the constitution comes out of the groups",
    ):
        assert heading in page
    assert "without giving your name" in page
    assert reverse("frontend:my-votes", args=[conversation.public_id]) in page


def test_how_it_works_page_of_a_draft_is_not_found(client, conversation):
    conversation.state = Conversation.State.DRAFT
    conversation.save(update_fields=["state"])
    response = client.get(reverse("frontend:how-it-works", args=[conversation.public_id]))
    assert response.status_code == HTTPStatus.NOT_FOUND
