"""The signature of an external id: made by the embedding site, checked before anyone joins."""

import hashlib
import hmac
import time

import pytest

from deliberation.errors import JoinRefused
from deliberation.identity.joining import check_external_id, join_by_external_id
from deliberation.identity.signed_xids import (
    EXPIRED,
    MAX_LIFETIME_SECONDS,
    NOT_VALID,
    PAGE_GRACE_SECONDS,
    check_xid_signature,
    page_pass,
    xid_signature,
)
from deliberation.models import Conversation, Participant
from tests.factories import make_conversation

KEY = "k" * 64
PUBLIC_ID = "abc234"
NOW = 1_900_000_000
IP = "192.0.2.1"


def _check(*, xid="member-42", expires=NOW + 3600, signature=None, key=KEY, public_id=PUBLIC_ID):
    if signature is None:
        signature = xid_signature(key=key, public_id=public_id, xid=xid, expires=expires)
    check_xid_signature(
        key=KEY,
        public_id=PUBLIC_ID,
        xid=xid,
        expires=str(expires),
        signature=signature,
        now=NOW,
    )


def test_xid_signature_is_the_hmac_sha256_of_public_id_xid_and_expiry_one_per_line():
    expected = hmac.new(
        KEY.encode(), f"{PUBLIC_ID}\nmember-42\n{NOW}".encode(), hashlib.sha256
    ).hexdigest()
    assert xid_signature(key=KEY, public_id=PUBLIC_ID, xid="member-42", expires=NOW) == expected


def test_check_xid_signature_accepts_a_valid_signature_in_either_case():
    _check()
    signature = xid_signature(key=KEY, public_id=PUBLIC_ID, xid="member-42", expires=NOW + 60)
    _check(expires=NOW + 60, signature=signature.upper())


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("another key", NOT_VALID),
        ("another conversation", NOT_VALID),
        ("another id", NOT_VALID),
        ("no signature", NOT_VALID),
        ("not hex", NOT_VALID),
        ("expired", EXPIRED),
        ("too far ahead", NOT_VALID),
    ],
)
def test_check_xid_signature_refuses_with_a_message(case, message):
    signed_for_42 = xid_signature(key=KEY, public_id=PUBLIC_ID, xid="member-42", expires=NOW + 60)
    arguments = {
        "another key": {"key": "x" * 64},
        "another conversation": {"public_id": "other567"},
        "another id": {"xid": "member-43", "expires": NOW + 60, "signature": signed_for_42},
        "no signature": {"signature": ""},
        "not hex": {"signature": "é" * 64},
        "expired": {"expires": NOW - 1},
        "too far ahead": {"expires": NOW + MAX_LIFETIME_SECONDS + 1},
    }[case]
    with pytest.raises(JoinRefused) as refusal:
        _check(**arguments)
    assert refusal.value.message == str(message)


@pytest.mark.parametrize("expires", ["", "soon", "-5", "1e10", "١٢٣", "9" * 13])
def test_check_xid_signature_refuses_an_expiry_that_is_not_unix_seconds(expires):
    signature = xid_signature(key=KEY, public_id=PUBLIC_ID, xid="member-42", expires=expires)
    with pytest.raises(JoinRefused) as refusal:
        check_xid_signature(
            key=KEY,
            public_id=PUBLIC_ID,
            xid="member-42",
            expires=expires,
            signature=signature,
            now=NOW,
        )
    assert refusal.value.message == str(NOT_VALID)


def _check_expired_link_at(now, *, token, signature=None):
    """A link for member-42 that expired at NOW - 60, checked at `now` with `token`."""
    expires = NOW - 60
    if signature is None:
        signature = xid_signature(key=KEY, public_id=PUBLIC_ID, xid="member-42", expires=expires)
    check_xid_signature(
        key=KEY,
        public_id=PUBLIC_ID,
        xid="member-42",
        expires=str(expires),
        signature=signature,
        now=now,
        page_pass_token=token,
    )


def _pass(*, served, xid="member-42", expires=NOW - 60, public_id=PUBLIC_ID):
    return page_pass(public_id=public_id, xid=xid, expires=str(expires), now=served)


def test_page_pass_honours_an_expired_link_for_the_grace_after_its_page_was_served():
    served = NOW - 120  # the page was served a minute before the link expired
    _check_expired_link_at(NOW, token=_pass(served=served))
    _check_expired_link_at(served + PAGE_GRACE_SECONDS, token=_pass(served=served))


@pytest.mark.parametrize(
    "case",
    [
        "no pass",
        "grace over",
        "served after expiry",
        "another id",
        "another expiry",
        "another conversation",
        "tampered",
    ],
)
def test_page_pass_does_not_honour_an_expired_link_otherwise(case):
    served = NOW - 120
    token = {
        "no pass": "",
        "grace over": _pass(served=NOW - PAGE_GRACE_SECONDS - 1),
        "served after expiry": _pass(served=NOW - 30),
        "another id": _pass(served=served, xid="member-43"),
        "another expiry": _pass(served=served, expires=NOW + 3600),
        "another conversation": _pass(served=served, public_id="other567"),
        "tampered": _pass(served=served)[:-2] + "xx",
    }[case]
    with pytest.raises(JoinRefused) as refusal:
        _check_expired_link_at(NOW, token=token)
    assert refusal.value.message == str(EXPIRED)


def test_page_pass_never_stands_in_for_the_sites_signature():
    with pytest.raises(JoinRefused) as refusal:
        _check_expired_link_at(NOW, token=_pass(served=NOW - 120), signature="0" * 64)
    assert refusal.value.message == str(NOT_VALID)


@pytest.fixture
def signed_conversation(context):
    return make_conversation(context, identity_mode=Conversation.Identity.XID, xid_signed=True)


def _signed(conversation, xid, expires):
    signature = xid_signature(
        key=conversation.xid_key, public_id=conversation.public_id, xid=xid, expires=expires
    )
    return {"xid": xid, "expires": str(expires), "signature": signature}


def test_join_by_external_id_needs_a_current_signature_when_required(signed_conversation):
    with pytest.raises(JoinRefused):
        join_by_external_id(conversation=signed_conversation, xid="member-42", ip_address=IP)
    expired = _signed(signed_conversation, "member-42", int(time.time()) - 10)
    with pytest.raises(JoinRefused):
        join_by_external_id(conversation=signed_conversation, **expired, ip_address=IP)
    assert not Participant.objects.exists()
    current = _signed(signed_conversation, "member-42", int(time.time()) + 60)
    participant = join_by_external_id(conversation=signed_conversation, **current, ip_address=IP)
    assert (participant.kind, participant.xid) == (Participant.Kind.EXTERNAL, "member-42")


def test_check_external_id_cleans_the_id_after_checking_its_signature(signed_conversation):
    # The site signed the id as it sent it; the participant is stored under the cleaned id.
    signed = _signed(signed_conversation, "  member-42 ", int(time.time()) + 60)
    assert check_external_id(conversation=signed_conversation, **signed) == "member-42"


def test_each_conversation_gets_its_own_random_key(context):
    first, second = make_conversation(context), make_conversation(context)
    assert first.xid_key != second.xid_key
    assert len(first.xid_key) == 64 and int(first.xid_key, 16) >= 0
