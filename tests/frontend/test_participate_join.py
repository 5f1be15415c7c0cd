"""Joining in each identity mode, and the signed cookie that remembers who you are."""

from http import HTTPStatus

from django.core import signing
from django.test import Client, RequestFactory
from django.urls import reverse

from deliberation.identity.cookie import (
    PARTICIPANT_COOKIE,
    PARTICIPANT_COOKIE_SALT,
    current_participant,
)
from deliberation.models import Conversation, Invite, Participant, Vote
from deliberation.services.facilitation import create_invite
from tests.factories import make_conversation, make_participant


def vote_url(conversation):
    return reverse("frontend:vote", args=[conversation.public_id])


def test_conversation_page_creates_no_participant_on_get(client, conversation, statements):
    response = client.get(conversation.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert statements[0].text in response.content.decode()
    assert not Participant.objects.exists()


def test_anonymous_join_happens_on_first_vote_and_is_remembered(client, conversation, statements):
    client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    client.post(vote_url(conversation), {"statement": statements[1].pk, "value": "-1"})
    participant = Participant.objects.get()
    assert participant.kind == Participant.Kind.ANONYMOUS
    assert Vote.objects.filter(participant=participant).count() == 2


def test_participant_cookie_is_signed_httponly_and_lax(client, conversation, statements):
    response = client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    cookie = response.cookies[PARTICIPANT_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"]  # tests run with DEBUG off
    mapping = signing.loads(cookie.value, salt=PARTICIPANT_COOKIE_SALT)
    assert mapping == {conversation.public_id: Participant.objects.get().pk}


def test_forged_cookie_does_not_impersonate_another_participant(client, conversation, statements):
    victim = make_participant(conversation)
    forged = signing.dumps({conversation.public_id: victim.pk}, salt="some-other-purpose")
    client.cookies[PARTICIPANT_COOKIE] = forged
    client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    assert not Vote.objects.filter(participant=victim).exists()
    assert Vote.objects.get().participant != victim


def test_edited_cookie_value_is_ignored(client, conversation, statements):
    victim = make_participant(conversation)
    client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    value = client.cookies[PARTICIPANT_COOKIE].value
    signature = value.rpartition(":")[2]
    tampered = signing.b64_encode(f'{{"{conversation.public_id}":{victim.pk}}}'.encode()).decode()
    client.cookies[PARTICIPANT_COOKIE] = f"{tampered}:{signature}"
    client.post(vote_url(conversation), {"statement": statements[1].pk, "value": "1"})
    assert not Vote.objects.filter(participant=victim).exists()


def test_current_participant_ignores_a_participant_of_another_conversation(context, conversation):
    stranger = make_participant(make_conversation(context, topic="Another conversation"))
    request = RequestFactory().get("/")
    request.COOKIES[PARTICIPANT_COOKIE] = signing.dumps(
        {conversation.public_id: stranger.pk}, salt=PARTICIPANT_COOKIE_SALT
    )
    assert current_participant(request, conversation) is None


def test_invite_link_shows_a_join_button_and_creates_no_one_on_get(client, conversation):
    conversation.identity_mode = Conversation.Identity.INVITE
    conversation.save()
    token = create_invite(conversation=conversation, actor=None, single_use=True)
    response = client.get(conversation.get_absolute_url(), {"invite": token})
    assert response.status_code == HTTPStatus.OK
    assert reverse("frontend:join", args=[conversation.public_id]) in response.content.decode()
    assert not Participant.objects.exists()


def test_single_use_invite_admits_exactly_one_person(client, conversation, statements):
    conversation.identity_mode = Conversation.Identity.INVITE
    conversation.save()
    token = create_invite(conversation=conversation, actor=None, single_use=True)
    join_url = reverse("frontend:join", args=[conversation.public_id])

    first = client.post(join_url, {"invite": token})
    assert first.status_code == HTTPStatus.SEE_OTHER
    assert PARTICIPANT_COOKIE in first.cookies
    voted = client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    assert voted.status_code == HTTPStatus.SEE_OTHER

    refused = Client().post(join_url, {"invite": token})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "valid invitation" in refused.content.decode()
    assert Participant.objects.count() == 1
    assert Participant.objects.get().kind == Participant.Kind.INVITED


def test_shared_invite_admits_several_people(conversation):
    conversation.identity_mode = Conversation.Identity.INVITE
    conversation.save()
    token = create_invite(conversation=conversation, actor=None, single_use=False)
    join_url = reverse("frontend:join", args=[conversation.public_id])
    for _ in range(3):
        assert Client().post(join_url, {"invite": token}).status_code == HTTPStatus.SEE_OTHER
    assert Participant.objects.count() == 3
    assert Invite.objects.get().uses == 3


def test_invite_conversation_refuses_votes_without_joining(client, conversation, statements):
    conversation.identity_mode = Conversation.Identity.INVITE
    conversation.save()
    page = client.get(conversation.get_absolute_url())
    assert page.status_code == HTTPStatus.FORBIDDEN
    response = client.post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Participant.objects.exists()


def test_external_id_joins_on_first_vote_and_is_the_same_participant_later(
    client, conversation, statements
):
    conversation.identity_mode = Conversation.Identity.XID
    conversation.save()
    page = client.get(conversation.get_absolute_url(), {"xid": "member-42"})
    assert 'name="xid" value="member-42"' in page.content.decode()
    assert not Participant.objects.exists()
    client.post(
        vote_url(conversation), {"statement": statements[0].pk, "value": "1", "xid": "member-42"}
    )
    Client().post(
        vote_url(conversation), {"statement": statements[1].pk, "value": "0", "xid": "member-42"}
    )
    participant = Participant.objects.get()
    assert (participant.kind, participant.xid) == (Participant.Kind.EXTERNAL, "member-42")
    assert participant.votes.count() == 2


def test_external_id_outside_the_allow_list_is_refused(client, conversation, statements):
    conversation.identity_mode = Conversation.Identity.XID
    conversation.xid_allowlist = "member-1\nmember-2"
    conversation.save()
    page = client.get(conversation.get_absolute_url(), {"xid": "intruder"})
    assert page.status_code == HTTPStatus.FORBIDDEN
    response = client.post(
        vote_url(conversation), {"statement": statements[0].pk, "value": "1", "xid": "intruder"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Participant.objects.exists()
    allowed = client.post(
        vote_url(conversation), {"statement": statements[0].pk, "value": "1", "xid": "member-2"}
    )
    assert allowed.status_code == HTTPStatus.SEE_OTHER
    assert Participant.objects.get().xid == "member-2"


def test_draft_conversation_is_not_found(client, context):
    draft = make_conversation(context, state=Conversation.State.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert (
        client.post(vote_url(draft), {"statement": 1, "value": "1"}).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert not Participant.objects.exists()


def test_join_rate_limit_answers_429_and_creates_no_one(client, conversation, statements, settings):
    settings.POLITY_RATE_LIMITS = {**settings.POLITY_RATE_LIMITS, "join": (1, 600)}
    Client().post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    response = Client().post(vote_url(conversation), {"statement": statements[0].pk, "value": "1"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "too fast" in response.content.decode()
    assert Participant.objects.count() == 1
