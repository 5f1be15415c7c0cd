"""Signed external ids: proof that the embedding site itself sent this person with this id.

The site signs "<conversation public id>\\n<xid>\\n<expires>" with the conversation's key
(HMAC-SHA256, in hex) and links to `?xid=<xid>&expires=<unix seconds>&signature=<hex>`. Binding
the public id stops a link being replayed in another conversation; the expiry bounds a leaked
link.

A person may read a page for longer than its link lives. So each page served from a valid link
also carries a page pass: our own signature (Django's signing, with SECRET_KEY) that this link
was valid when the page was served. With it, the link is still honoured for PAGE_GRACE_SECONDS
after that moment, never beyond. The pass is no credential by itself: the site's signature is
still checked in full, only the expiry is relaxed.

Pure functions: no database, and the time is passed in.
"""

import hashlib
import hmac

from django.core import signing
from django.utils.translation import gettext_lazy as _

from deliberation.errors import JoinRefused

# An expiry bounds a leaked link only if it is near, so links valid for longer are refused.
MAX_LIFETIME_SECONDS = 30 * 24 * 60 * 60
# Long enough to read a conversation and vote, short enough that a pass adds little to a leak.
PAGE_GRACE_SECONDS = 2 * 60 * 60
PAGE_PASS_SALT = "polity.signed-xids.page-pass"  # noqa: S105 - a salt names a use, not a secret

EXPIRED = _("This link has expired — ask the site that sent you for a new one.")
NOT_VALID = _(
    "This link is not valid for this conversation — ask the site that sent you for a new one."
)


def xid_signature(*, key: str, public_id: str, xid: str, expires: int | str) -> str:
    """The signature an embedding site puts in its link (the README shows the same in Python)."""
    message = f"{public_id}\n{xid}\n{expires}"
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def page_pass(*, public_id: str, xid: str, expires: str, now: float) -> str:
    """Our signature that the link (public id, xid, expiry) was valid at `now`, when a page
    was served from it."""
    return signing.dumps([public_id, xid, expires, int(now)], salt=PAGE_PASS_SALT)


def _served_while_valid(*, token: str, public_id: str, xid: str, expires: str, now: float) -> bool:
    """Whether `token` is our page pass for exactly this link, issued before the link expired
    and at most PAGE_GRACE_SECONDS ago."""
    try:
        issued_for = signing.loads(token, salt=PAGE_PASS_SALT)
        *link, served = issued_for
        return (
            link == [public_id, xid, expires]
            and served <= int(expires)
            and now - served <= PAGE_GRACE_SECONDS
        )
    except (signing.BadSignature, TypeError, ValueError):
        return False


def check_xid_signature(
    *,
    key: str,
    public_id: str,
    xid: str,
    expires: str,
    signature: str,
    now: float,
    page_pass_token: str = "",
) -> None:
    """Raise JoinRefused unless `signature` signs exactly this xid and expiry for this
    conversation, and the expiry is neither past (unless `page_pass_token` shows a page was
    served from this link while it was valid, at most PAGE_GRACE_SECONDS ago) nor more than
    MAX_LIFETIME_SECONDS ahead.

    `xid` and `expires` are taken as the link carried them: the site signed those strings.
    """
    if not (expires.isascii() and expires.isdigit() and len(expires) <= 12):
        raise JoinRefused(NOT_VALID)
    expected = xid_signature(key=key, public_id=public_id, xid=xid, expires=expires)
    # Constant time, so the signature cannot be found byte by byte from response times; as
    # bytes, since compare_digest refuses str with characters outside ASCII.
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise JoinRefused(NOT_VALID)
    if int(expires) < now and not _served_while_valid(
        token=page_pass_token, public_id=public_id, xid=xid, expires=expires, now=now
    ):
        raise JoinRefused(EXPIRED)
    if int(expires) > now + MAX_LIFETIME_SECONDS:
        raise JoinRefused(NOT_VALID)
