"""Joining by a signed external id: only the embedding site's links admit anyone.

A conversation that requires signed ids takes `?xid=&expires=&signature=`; every way a link can
be wrong is answered 403 with a message and writes nothing, and an id without its signature never
acts as anyone.
"""

import re
import time
from http import HTTPStatus
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from deliberation.identity import joining
from deliberation.identity.signed_xids import (
    EXPIRED,
    MAX_LIFETIME_SECONDS,
    NOT_VALID,
    PAGE_GRACE_SECONDS,
    xid_signature,
)
from deliberation.models import Conversation, Participant, Statement, Vote
from deliberation.services.facilitation import regenerate_xid_key
from tests.factories import make_conversation, make_participant

HTMX = {"HTTP_HX_REQUEST": "true"}
README = Path(__file__).resolve().parents[2] / "README.md"


def signed(conversation, xid, *, expires=None, key=None):
    """The parameters of a link the embedding site made for `xid`."""
    expires = int(time.time()) + 3600 if expires is None else expires
    signature = xid_signature(
        key=key or conversation.xid_key,
        public_id=conversation.public_id,
        xid=xid,
        expires=expires,
    )
    return {"xid": xid, "expires": str(expires), "signature": signature}


def vote_url(conversation):
    return reverse("frontend:vote", args=[conversation.public_id])


def write_url(conversation):
    return reverse("frontend:write", args=[conversation.public_id])


@pytest.fixture
def signed_conversation(conversation):
    conversation.identity_mode = Conversation.Identity.XID
    conversation.xid_signed = True
    conversation.save()
    return conversation


@pytest.fixture
def other_conversation(context):
    return make_conversation(context, identity_mode=Conversation.Identity.XID, xid_signed=True)


def test_signed_link_joins_on_first_vote_and_the_cookie_carries_the_later_ones(
    client, signed_conversation, statements
):
    link = signed(signed_conversation, "member-42")
    page = client.get(signed_conversation.get_absolute_url(), link).content.decode()
    for name, value in link.items():
        assert f'name="{name}" value="{value}"' in page
    assert not Participant.objects.exists()
    first = client.post(
        vote_url(signed_conversation), {"statement": statements[0].pk, "value": "1", **link}
    )
    assert first.status_code == HTTPStatus.SEE_OTHER
    # No id, no signature: the participant cookie says who this browser is now.
    later = client.post(
        vote_url(signed_conversation), {"statement": statements[1].pk, "value": "-1"}, **HTMX
    )
    assert later.status_code == HTTPStatus.OK
    assert 'name="signature"' not in later.content.decode()
    participant = Participant.objects.get()
    assert (participant.kind, participant.xid) == (Participant.Kind.EXTERNAL, "member-42")
    assert dict(participant.votes.values_list("statement_id", "value")) == {
        statements[0].pk: 1,
        statements[1].pk: -1,
    }


def test_a_page_served_from_a_valid_link_still_votes_after_the_link_expires(
    client, signed_conversation, statements, monkeypatch
):
    now = time.time()
    link = signed(signed_conversation, "member-42", expires=int(now) + 60)
    page = client.get(signed_conversation.get_absolute_url(), link).content.decode()
    page_pass = re.search(r'name="page_pass" value="([^"]+)"', page).group(1)
    vote = {"statement": statements[0].pk, "value": "1", **link}

    def clock_at(seconds):
        monkeypatch.setattr(joining, "time", SimpleNamespace(time=lambda: seconds))

    clock_at(now + 600)  # the person read for ten minutes; the link lived one
    refused = Client().post(vote_url(signed_conversation), vote)  # the bare link has expired
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert str(EXPIRED) in refused.content.decode()
    clock_at(now + PAGE_GRACE_SECONDS + 120)  # beyond the grace, the page's pass is no help
    late = client.post(vote_url(signed_conversation), {**vote, "page_pass": page_pass})
    assert late.status_code == HTTPStatus.FORBIDDEN
    assert not Participant.objects.exists()

    clock_at(now + 600)
    voted = client.post(vote_url(signed_conversation), {**vote, "page_pass": page_pass})
    assert voted.status_code == HTTPStatus.SEE_OTHER
    assert Participant.objects.get().votes.get().value == 1


def test_signed_link_is_the_same_participant_in_another_browser(
    client, signed_conversation, statements
):
    url = vote_url(signed_conversation)
    client.post(
        url, {"statement": statements[0].pk, "value": "1", **signed(signed_conversation, "m")}
    )
    other = Client().post(
        url, {"statement": statements[1].pk, "value": "0", **signed(signed_conversation, "m")}
    )
    assert other.status_code == HTTPStatus.SEE_OTHER
    assert Participant.objects.get().votes.count() == 2


def _bad_link(case, conversation, other_conversation):
    now = int(time.time())
    link = signed(conversation, "member-42")
    return {
        "tampered id": {**link, "xid": "member-43"},
        "tampered expiry": {**link, "expires": str(int(link["expires"]) + 60)},
        "wrong key": signed(conversation, "member-42", key="0" * 64),
        "other conversation's link": signed(other_conversation, "member-42"),
        "expired": signed(conversation, "member-42", expires=now - 60),
        "far-future expiry": signed(
            conversation, "member-42", expires=now + MAX_LIFETIME_SECONDS + 3600
        ),
        "missing signature": {"xid": "member-42", "expires": link["expires"]},
        "bare id": {"xid": "member-42"},
    }[case]


BAD_LINKS = [
    ("tampered id", NOT_VALID),
    ("tampered expiry", NOT_VALID),
    ("wrong key", NOT_VALID),
    ("other conversation's link", NOT_VALID),
    ("expired", EXPIRED),
    ("far-future expiry", NOT_VALID),
    ("missing signature", NOT_VALID),
    ("bare id", NOT_VALID),
]


@pytest.mark.parametrize(("case", "message"), BAD_LINKS)
def test_bad_link_is_refused_with_its_message_and_writes_nothing(
    client, signed_conversation, other_conversation, statements, case, message
):
    link = _bad_link(case, signed_conversation, other_conversation)
    page = client.get(signed_conversation.get_absolute_url(), link)
    assert page.status_code == HTTPStatus.FORBIDDEN
    assert str(message) in page.content.decode()
    for data in ({"statement": statements[0].pk, "value": "1"}, {"text": "A new idea here."}):
        url = vote_url if "value" in data else write_url
        response = client.post(url(signed_conversation), {**data, **link})
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert str(message) in response.content.decode()
    assert not Participant.objects.exists()
    assert not Vote.objects.exists()
    assert not Statement.objects.exclude(pk__in=[s.pk for s in statements]).exists()


def test_vote_with_only_the_id_never_acts_as_that_participant(signed_conversation, statements):
    member = make_participant(signed_conversation, kind=Participant.Kind.EXTERNAL, xid="member-42")
    url = vote_url(signed_conversation)
    Client().post(
        url,
        {"statement": statements[0].pk, "value": "1", **signed(signed_conversation, "member-42")},
    )
    forged = Client().post(url, {"statement": statements[0].pk, "value": "-1", "xid": "member-42"})
    assert forged.status_code == HTTPStatus.FORBIDDEN
    forged = Client().post(
        url, {"statement": statements[1].pk, "value": "-1", "xid": "member-42"}, **HTMX
    )
    assert forged.status_code == HTTPStatus.FORBIDDEN
    written = Client().post(write_url(signed_conversation), {"text": "Forged.", "xid": "member-42"})
    assert written.status_code == HTTPStatus.FORBIDDEN
    assert dict(member.votes.values_list("statement_id", "value")) == {statements[0].pk: 1}
    assert not member.statements.exists()
    assert Participant.objects.count() == 1


def test_regenerating_the_key_ends_the_old_links(client, signed_conversation, statements):
    old_link = signed(signed_conversation, "member-42")
    regenerate_xid_key(conversation=signed_conversation, actor=None)
    response = client.post(
        vote_url(signed_conversation), {"statement": statements[0].pk, "value": "1", **old_link}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert str(NOT_VALID) in response.content.decode()
    assert not Participant.objects.exists()
    new_link = signed(signed_conversation, "member-42")
    response = client.post(
        vote_url(signed_conversation), {"statement": statements[0].pk, "value": "1", **new_link}
    )
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Participant.objects.get().xid == "member-42"


def test_allow_list_still_applies_to_signed_links(client, signed_conversation, statements):
    signed_conversation.xid_allowlist = "member-1"
    signed_conversation.save()
    url = vote_url(signed_conversation)
    refused = client.post(
        url,
        {"statement": statements[0].pk, "value": "1", **signed(signed_conversation, "member-2")},
    )
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert not Participant.objects.exists()
    admitted = client.post(
        url,
        {"statement": statements[0].pk, "value": "1", **signed(signed_conversation, "member-1")},
    )
    assert admitted.status_code == HTTPStatus.SEE_OTHER
    assert Participant.objects.get().xid == "member-1"


def test_signed_link_still_needs_the_csrf_token(signed_conversation, statements):
    browser = Client(enforce_csrf_checks=True)
    link = signed(signed_conversation, "member-42")
    assert browser.get(signed_conversation.get_absolute_url(), link).status_code == HTTPStatus.OK
    data = {"statement": statements[0].pk, "value": "1", **link}
    refused = browser.post(vote_url(signed_conversation), data)
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert not Participant.objects.exists()
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(vote_url(signed_conversation), {**data, "csrfmiddlewaretoken": token})
    assert accepted.status_code == HTTPStatus.SEE_OTHER
    assert Participant.objects.get().xid == "member-42"


def test_signed_link_carries_over_to_the_write_page_and_writes(
    client, signed_conversation, statements
):
    link = signed(signed_conversation, "member-42")
    page = client.get(signed_conversation.get_absolute_url(), link).content.decode()
    write_link = re.search(r'href="(/c/[^"]*/write/\?[^"]*)"', page).group(1)
    carried = dict(parse_qsl(urlsplit(write_link.replace("&amp;", "&")).query))
    assert carried.pop("page_pass") and carried == link
    form = client.get(write_url(signed_conversation), link).content.decode()
    assert f'name="signature" value="{link["signature"]}"' in form
    response = client.post(
        write_url(signed_conversation), {"text": "The assistant should cite its sources.", **link}
    )
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Statement.objects.get(text__startswith="The assistant should cite").author.xid == (
        "member-42"
    )


def test_plain_ids_keep_working_while_signing_is_not_required(client, conversation, statements):
    conversation.identity_mode = Conversation.Identity.XID
    conversation.save()
    response = client.post(
        vote_url(conversation), {"statement": statements[0].pk, "value": "1", "xid": "member-42"}
    )
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert Participant.objects.get().xid == "member-42"


def _readme_signed_link():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## What anonymous participation can and cannot guarantee") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace = {}
    exec(compile(code, str(README), "exec"), namespace)  # noqa: S102 - our README
    return namespace["signed_link"]


def test_readme_example_makes_a_link_that_joins(client, signed_conversation, statements):
    page = f"http://testserver{signed_conversation.get_absolute_url()}"
    link = _readme_signed_link()(
        page, signed_conversation.public_id, signed_conversation.xid_key, "member 42/ü"
    )
    parts = urlsplit(link)
    assert client.get(f"{parts.path}?{parts.query}").status_code == HTTPStatus.OK
    data = {"statement": statements[0].pk, "value": "1", **dict(parse_qsl(parts.query))}
    assert client.post(vote_url(signed_conversation), data).status_code == HTTPStatus.SEE_OTHER
    assert Participant.objects.get().xid == "member 42/ü"


def test_links_between_pages_keep_the_signed_link_before_joining(client, signed_conversation):
    link = signed(signed_conversation, "member-9")
    page = client.get(write_url(signed_conversation), link).content.decode()
    vote_page = reverse("frontend:participate", args=[signed_conversation.public_id])
    hrefs = re.findall(r'href="([^"]+)"', page)
    back = [urlsplit(h.replace("&amp;", "&")) for h in hrefs if urlsplit(h).path == vote_page]
    assert back, "the write page links back to voting"
    carried = [dict(parse_qsl(h.query)) for h in back]
    assert all(c.pop("page_pass") and c == link for c in carried)
