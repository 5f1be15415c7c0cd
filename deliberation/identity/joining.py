"""Becoming a participant: anonymously, by invite, or by an external id (signed or not).

Each way of joining is one function; a refusal raises a `DeliberationError` before anything is
written. Joins that nothing else bounds are counted per network (`network.network_key`): one
person could otherwise make participants without end from one IPv6 /64. A single-use invite
admits one person, ever, a signed external id is vouched for by the embedding site and an
allow-list names every id that may join, so those are not counted.
"""

import time

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.hashing import token_hash
from deliberation.errors import ConversationClosed, JoinRefused, RateLimited
from deliberation.identity.network import network_key
from deliberation.identity.signed_xids import check_xid_signature, page_pass
from deliberation.models import Conversation, Invite, Participant
from deliberation.ratelimit import check_rate
from deliberation.text import clean_text

TOO_MANY_JOINS = gettext_lazy(
    "Too many people joined from your network in the last few minutes: you are going too fast. "
    "Please wait a few minutes and try again."
)


def count_join(ip_address: str) -> None:
    """Count one new participant from `ip_address`'s network; RateLimited past the limit."""
    try:
        check_rate("join", network_key(ip_address))
    except RateLimited:
        raise RateLimited(TOO_MANY_JOINS) from None


def join_anonymously(*, conversation: Conversation, ip_address: str) -> Participant:
    if conversation.identity_mode != Conversation.Identity.ANONYMOUS:
        raise JoinRefused()
    count_join(ip_address)
    return Participant.objects.create(conversation=conversation, kind=Participant.Kind.ANONYMOUS)


def _usable_invites(conversation: Conversation, token: str) -> QuerySet[Invite]:
    """The invite `token` opens in `conversation`, if it can still admit someone."""
    return Invite.objects.filter(
        conversation=conversation, token_sha256=token_hash(token), revoked_at__isnull=True
    ).filter(Q(single_use=False) | Q(uses=0))


def invite_admits(*, conversation: Conversation, token: str) -> bool:
    return _usable_invites(conversation, token).exists()


def join_by_invite(*, conversation: Conversation, token: str, ip_address: str) -> Participant:
    """Join with an invite token; a single-use token admits exactly one participant, ever."""
    if not conversation.is_open:
        # Checked first so that a single-use invitation is not spent on a closed conversation.
        raise ConversationClosed()
    with transaction.atomic():
        # Compare-and-set on `uses` so two people racing on one single-use link cannot both join.
        claimed = _usable_invites(conversation, token).update(uses=F("uses") + 1)
        if not claimed:
            raise JoinRefused()
        invite = Invite.objects.get(token_sha256=token_hash(token))
        if not invite.single_use:
            # A shared link admits anyone who has it; refused here, the use is not counted.
            count_join(ip_address)
        return Participant.objects.create(
            conversation=conversation, kind=Participant.Kind.INVITED, invite=invite
        )


def check_external_id(
    *,
    conversation: Conversation,
    xid: str,
    expires: str = "",
    signature: str = "",
    page_pass_token: str = "",
) -> str:
    """Return `xid` cleaned if this conversation admits it, else raise JoinRefused.

    Where the conversation requires signed ids, `expires` and `signature` must be the embedding
    site's signature of this very id for this conversation (signed_xids.py; an expired one still
    counts on a page served while it was valid, with that page's pass); the allow-list, if any,
    applies on top. Pages call this before anyone joins, so a refused id is told so at once, not
    at the first vote.
    """
    if conversation.identity_mode != Conversation.Identity.XID:
        raise JoinRefused()
    if conversation.xid_signed:
        # On the id as the link carried it, before cleaning: the site signed that string.
        check_xid_signature(
            key=conversation.xid_key,
            public_id=conversation.public_id,
            xid=xid,
            expires=expires,
            signature=signature,
            now=time.time(),
            page_pass_token=page_pass_token,
        )
    xid = clean_text(xid, max_length=200, field=_("External id"))
    allowed = conversation.allowed_xids()
    if allowed and xid not in allowed:
        raise JoinRefused()
    return xid


def page_pass_for(*, conversation: Conversation, xid: str, expires: str, carried: str = "") -> str:
    """The page pass for a page served from a signed link that check_external_id admitted: a
    fresh one while the link is valid, else the one the request carried, so the grace after
    expiry never slides forward. Empty where links are not signed."""
    if not conversation.xid_signed:
        return ""
    now = time.time()
    if int(expires) >= now:
        return page_pass(public_id=conversation.public_id, xid=xid, expires=expires, now=now)
    return carried


def join_checked_external_id(
    *, conversation: Conversation, xid: str, ip_address: str
) -> Participant:
    """The participant of `xid`, as check_external_id returned it in this request (so it is not
    checked again); the same xid is always the same participant. A new participant with an
    unsigned id and no allow-list is counted against the network's joins: anyone can make up
    such ids."""
    existing = conversation.participants.filter(xid=xid).first()
    if existing is not None:
        return existing
    if not conversation.xid_signed and not conversation.allowed_xids():
        count_join(ip_address)
    participant, _created = Participant.objects.get_or_create(
        conversation=conversation, xid=xid, defaults={"kind": Participant.Kind.EXTERNAL}
    )
    return participant


def join_by_external_id(
    *,
    conversation: Conversation,
    xid: str,
    expires: str = "",
    signature: str = "",
    page_pass_token: str = "",
    ip_address: str,
) -> Participant:
    """The embedding site vouches for `xid` (and signs it, where the conversation asks for that);
    the same xid is always the same participant."""
    xid = check_external_id(
        conversation=conversation,
        xid=xid,
        expires=expires,
        signature=signature,
        page_pass_token=page_pass_token,
    )
    return join_checked_external_id(conversation=conversation, xid=xid, ip_address=ip_address)
