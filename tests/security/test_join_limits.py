"""Finding 8 of issue 16: joins that nothing else bounds are rate-limited per network.

Shared invites and unsigned external ids admit anyone who has the link or makes up an id, so new
participants through them count against the same per-address join limit as anonymous joins; an
IPv6 address counts as its /64 (one subscriber's usual allocation), an IPv4 address alone. The
counters live in the cache: Redis under POLITY_REQUIRE_SERVICES (the last test insists on it).
"""

from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client, override_settings
from django.urls import reverse

from deliberation.models import Conversation, Invite, Participant
from deliberation.services.facilitation import create_invite
from tests.factories import make_conversation, make_statement

TWO_JOINS = override_settings(
    POLITY_RATE_LIMITS={"vote": (100, 60), "statement": (10, 600), "join": (2, 600)}
)
TOO_FAST = "too fast"


def _vote(conversation, statement, address, **data):
    url = reverse("frontend:vote", args=[conversation.public_id])
    return Client(REMOTE_ADDR=address).post(url, {"statement": statement.pk, "value": "1", **data})


@TWO_JOINS
def test_join_limits_shared_invite_joins_are_counted_per_address(context):
    conversation = make_conversation(context, identity_mode=Conversation.Identity.INVITE)
    token = create_invite(conversation=conversation, actor=None, single_use=False)
    join = reverse("frontend:join", args=[conversation.public_id])
    statuses = [
        Client(REMOTE_ADDR="198.51.100.7").post(join, {"invite": token}).status_code
        for _ in range(3)
    ]
    assert statuses == [HTTPStatus.SEE_OTHER, HTTPStatus.SEE_OTHER, HTTPStatus.TOO_MANY_REQUESTS]
    refused = Client(REMOTE_ADDR="198.51.100.7").post(join, {"invite": token})
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert TOO_FAST in refused.content.decode()
    assert conversation.participants.count() == 2
    assert Invite.objects.get().uses == 2  # a refused join does not count as a use
    other = Client(REMOTE_ADDR="203.0.113.9").post(join, {"invite": token})
    assert other.status_code == HTTPStatus.SEE_OTHER


@TWO_JOINS
def test_join_limits_unsigned_external_ids_are_counted_per_address(context):
    conversation = make_conversation(context, identity_mode=Conversation.Identity.XID)
    statement = make_statement(conversation, "The assistant should be polite.")
    statuses = [
        _vote(conversation, statement, "198.51.100.7", xid=f"made-up-{n}").status_code
        for n in range(3)
    ]
    assert statuses == [HTTPStatus.SEE_OTHER, HTTPStatus.SEE_OTHER, HTTPStatus.TOO_MANY_REQUESTS]
    refused = _vote(conversation, statement, "198.51.100.7", xid="made-up-9")
    assert TOO_FAST in refused.content.decode()
    assert sorted(Participant.objects.values_list("xid", flat=True)) == ["made-up-0", "made-up-1"]
    # An id that has joined already is no new participant: it votes from a new browser.
    again = _vote(conversation, statement, "198.51.100.7", xid="made-up-0")
    assert again.status_code == HTTPStatus.SEE_OTHER


@TWO_JOINS
@pytest.mark.parametrize(
    ("first", "second", "third", "elsewhere"),
    [
        (
            "2001:db8:1:2::1",
            "2001:db8:1:2::2",
            "2001:db8:1:2:ffff:ffff:ffff:ffff",
            "2001:db8:1:3::1",
        ),
        ("192.0.2.1", "::ffff:192.0.2.1", "192.0.2.1", "192.0.2.2"),
    ],
    ids=["ipv6 /64", "ipv4 also written ipv4-mapped"],
)
def test_join_limits_count_an_ipv6_64_as_one_address(
    conversation, statements, first, second, third, elsewhere
):
    statuses = [_vote(conversation, statements[0], ip).status_code for ip in (first, second, third)]
    assert statuses == [HTTPStatus.SEE_OTHER, HTTPStatus.SEE_OTHER, HTTPStatus.TOO_MANY_REQUESTS]
    assert conversation.participants.count() == 2
    assert _vote(conversation, statements[0], elsewhere).status_code == HTTPStatus.SEE_OTHER


@TWO_JOINS
def test_join_limits_single_use_invites_are_not_counted(context):
    """Each admits one person, ever: the facilitator made one per person."""
    conversation = make_conversation(context, identity_mode=Conversation.Identity.INVITE)
    join = reverse("frontend:join", args=[conversation.public_id])
    for _ in range(3):
        token = create_invite(conversation=conversation, actor=None, single_use=True)
        response = Client(REMOTE_ADDR="198.51.100.7").post(join, {"invite": token})
        assert response.status_code == HTTPStatus.SEE_OTHER
    assert conversation.participants.count() == 3


@pytest.mark.services("redis")
@TWO_JOINS
def test_join_limits_on_redis_count_an_ipv6_64_as_one_address(conversation, statements):
    assert isinstance(caches["default"], RedisCache)
    addresses = ["2001:db8:7::a", "2001:db8:7::b", "2001:db8:7::c"]
    statuses = [_vote(conversation, statements[0], ip).status_code for ip in addresses]
    assert statuses == [HTTPStatus.SEE_OTHER, HTTPStatus.SEE_OTHER, HTTPStatus.TOO_MANY_REQUESTS]


@TWO_JOINS
def test_join_limits_allow_listed_external_ids_are_not_counted(context):
    """The allow-list names everyone who may join: nobody can make up another id."""
    members = [f"member-{n}" for n in range(3)]
    conversation = make_conversation(
        context, identity_mode=Conversation.Identity.XID, xid_allowlist="\n".join(members)
    )
    statement = make_statement(conversation, "The assistant should be polite.")
    for member in members:
        response = _vote(conversation, statement, "198.51.100.7", xid=member)
        assert response.status_code == HTTPStatus.SEE_OTHER
    assert conversation.participants.count() == 3
