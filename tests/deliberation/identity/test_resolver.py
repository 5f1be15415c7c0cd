"""The resolver checks a signed link once per request, and joining is one transaction with the
first action (real requests through the participant pages)."""

import time
from http import HTTPStatus

from django.test import Client
from django.urls import reverse

from deliberation.identity import joining
from deliberation.identity.signed_xids import xid_signature
from deliberation.models import Conversation, Participant


def test_visitor_for_checks_a_signed_link_once_per_joining_post(
    conversation, statements, monkeypatch
):
    conversation.identity_mode = Conversation.Identity.XID
    conversation.xid_signed = True
    conversation.save()
    checks = []
    check = joining.check_xid_signature

    def counted(**link):
        checks.append(link["xid"])
        check(**link)

    monkeypatch.setattr(joining, "check_xid_signature", counted)
    expires = str(int(time.time()) + 600)
    link = {
        "xid": "member-7",
        "expires": expires,
        "signature": xid_signature(
            key=conversation.xid_key,
            public_id=conversation.public_id,
            xid="member-7",
            expires=expires,
        ),
    }
    url = reverse("frontend:vote", args=[conversation.public_id])
    response = Client().post(url, {"statement": statements[0].pk, "value": "1", **link})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert checks == ["member-7"]
    assert Participant.objects.get().xid == "member-7"


def test_vote_as_a_refused_first_vote_leaves_no_participant(conversation, statements):
    url = reverse("frontend:vote", args=[conversation.public_id])
    response = Client().post(url, {"statement": statements[-1].pk + 1000, "value": "1"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Participant.objects.exists()
