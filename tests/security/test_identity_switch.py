"""Finding 1 of issue 16: a link never switches a browser to another participant on its own.

A participant who joined with their own link (signed or unsigned external id, or invite) and
then opens a valid link of someone else gets a page that explains and asks; only its POST (with
the CSRF token) switches, and the switch is in the conversation's audit log. Real requests.
"""

import time
from http import HTTPStatus

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from deliberation.identity.cookie import PARTICIPANT_COOKIE, PARTICIPANT_COOKIE_SALT
from deliberation.identity.signed_xids import xid_signature
from deliberation.models import Conversation, Invite, ModerationAction, Participant, Vote
from deliberation.services.facilitation import create_invite
from tests.factories import make_conversation, make_statement


def _link(conversation, xid):
    """The parameters of an embedding site's link for `xid` (signed where required)."""
    if not conversation.xid_signed:
        return {"xid": xid}
    expires = str(int(time.time()) + 3600)
    signature = xid_signature(
        key=conversation.xid_key, public_id=conversation.public_id, xid=xid, expires=expires
    )
    return {"xid": xid, "expires": expires, "signature": signature}


def _cookie_participant(browser, conversation):
    mapping = signing.loads(browser.cookies[PARTICIPANT_COOKIE].value, salt=PARTICIPANT_COOKIE_SALT)
    return Participant.objects.get(pk=mapping[conversation.public_id])


def _csrf(browser):
    return browser.cookies["csrftoken"].value


@pytest.fixture(params=["signed", "unsigned"])
def xid_conversation(context, request):
    conversation = make_conversation(
        context, identity_mode=Conversation.Identity.XID, xid_signed=request.param == "signed"
    )
    statements = [make_statement(conversation, f"The assistant should do {n}.") for n in range(3)]
    return conversation, statements


def test_identity_switch_another_external_id_link_asks_and_only_a_post_switches(xid_conversation):
    conversation, statements = xid_conversation
    browser = Client(enforce_csrf_checks=True)
    mine = _link(conversation, "member-1")
    browser.get(conversation.get_absolute_url(), mine)
    vote = {"statement": statements[0].pk, "value": "1", "csrfmiddlewaretoken": _csrf(browser)}
    voted = browser.post(reverse("frontend:vote", args=[conversation.public_id]), {**vote, **mine})
    assert voted.status_code == HTTPStatus.SEE_OTHER
    me = _cookie_participant(browser, conversation)
    assert me.xid == "member-1"

    theirs = _link(conversation, "member-2")
    page = browser.get(conversation.get_absolute_url(), theirs)
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert "Switch to the identity in the link" in body
    assert f'action="{reverse("frontend:switch", args=[conversation.public_id])}"' in body
    assert PARTICIPANT_COOKIE not in page.cookies  # the GET did not touch the cookie
    assert _cookie_participant(browser, conversation) == me
    # The next vote change, with no link, still lands on this browser's own participant.
    change = reverse("frontend:change-vote", args=[conversation.public_id, statements[0].pk])
    browser.post(change, {"value": "-1", "csrfmiddlewaretoken": _csrf(browser)})
    assert Vote.objects.get(statement=statements[0]).participant == me
    assert Vote.objects.get(statement=statements[0]).value == -1
    assert not Participant.objects.filter(xid="member-2").exists()

    switch = reverse("frontend:switch", args=[conversation.public_id])
    assert browser.post(switch, theirs).status_code == HTTPStatus.FORBIDDEN  # no CSRF token
    assert not ModerationAction.objects.filter(action=ModerationAction.Action.SWITCH).exists()
    switched = browser.post(switch, {**theirs, "csrfmiddlewaretoken": _csrf(browser)})
    assert switched.status_code == HTTPStatus.SEE_OTHER
    other = _cookie_participant(browser, conversation)
    assert other.xid == "member-2"
    audit = ModerationAction.objects.get(action=ModerationAction.Action.SWITCH)
    assert (audit.conversation, audit.participant, audit.actor) == (conversation, other, None)
    assert str(me.pk) in audit.reason


def test_identity_switch_a_vote_carrying_another_link_writes_nothing(xid_conversation):
    conversation, statements = xid_conversation
    browser = Client()
    url = reverse("frontend:vote", args=[conversation.public_id])
    browser.post(url, {"statement": statements[0].pk, "value": "1", **_link(conversation, "m-1")})
    me = _cookie_participant(browser, conversation)
    answer = browser.post(
        url, {"statement": statements[1].pk, "value": "1", **_link(conversation, "m-2")}
    )
    assert answer.status_code == HTTPStatus.CONFLICT
    assert "Switch to the identity in the link" in answer.content.decode()
    assert PARTICIPANT_COOKIE not in answer.cookies
    assert list(Vote.objects.values_list("participant", "statement")) == [(me.pk, statements[0].pk)]
    assert list(Participant.objects.values_list("xid", flat=True)) == ["m-1"]


def test_identity_switch_own_link_again_is_no_switch(xid_conversation):
    conversation, statements = xid_conversation
    browser = Client()
    link = _link(conversation, "member-1")
    url = reverse("frontend:vote", args=[conversation.public_id])
    browser.post(url, {"statement": statements[0].pk, "value": "1", **link})
    page = browser.get(conversation.get_absolute_url(), link)
    assert page.status_code == HTTPStatus.OK
    assert "Switch to the identity in the link" not in page.content.decode()
    assert browser.post(url, {"statement": statements[1].pk, "value": "1", **link}).status_code == (
        HTTPStatus.SEE_OTHER
    )
    assert Participant.objects.get().votes.count() == 2


def test_identity_switch_another_invite_asks_and_only_a_post_switches(context):
    conversation = make_conversation(context, identity_mode=Conversation.Identity.INVITE)
    make_statement(conversation, "The assistant should be polite.")
    mine = create_invite(conversation=conversation, actor=None, single_use=True)
    theirs = create_invite(conversation=conversation, actor=None, single_use=True)
    browser = Client(enforce_csrf_checks=True)
    browser.get(conversation.get_absolute_url(), {"invite": mine})
    join = reverse("frontend:join", args=[conversation.public_id])
    browser.post(join, {"invite": mine, "csrfmiddlewaretoken": _csrf(browser)})
    me = _cookie_participant(browser, conversation)

    # Their own link again is the voting page; another person's asks.
    assert (
        "Switch to"
        not in browser.get(conversation.get_absolute_url(), {"invite": mine}).content.decode()
    )
    page = browser.get(conversation.get_absolute_url(), {"invite": theirs})
    assert "Switch to the identity in the link" in page.content.decode()
    assert PARTICIPANT_COOKIE not in page.cookies
    assert Invite.objects.get(uses=0)  # the other person's invitation is not spent by looking

    switch = reverse("frontend:switch", args=[conversation.public_id])
    switched = browser.post(switch, {"invite": theirs, "csrfmiddlewaretoken": _csrf(browser)})
    assert switched.status_code == HTTPStatus.SEE_OTHER
    other = _cookie_participant(browser, conversation)
    assert other != me and other.kind == Participant.Kind.INVITED
    audit = ModerationAction.objects.get(action=ModerationAction.Action.SWITCH)
    assert audit.participant == other
