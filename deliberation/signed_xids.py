"""Signed external ids: proof that the embedding site itself sent this person with this id.

The site signs "<conversation public id>\\n<xid>\\n<expires>" with the conversation's key
(HMAC-SHA256, in hex) and links to `?xid=<xid>&expires=<unix seconds>&signature=<hex>`. Binding
the public id stops a link being replayed in another conversation; the expiry bounds a leaked
link. Pure functions: no database, and the time is passed in.
"""

import hashlib
import hmac

from django.utils.translation import gettext_lazy as _

from deliberation.errors import JoinRefused

# An expiry bounds a leaked link only if it is near, so links valid for longer are refused.
MAX_LIFETIME_SECONDS = 30 * 24 * 60 * 60

EXPIRED = _("This link has expired — ask the site that sent you for a new one.")
NOT_VALID = _(
    "This link is not valid for this conversation — ask the site that sent you for a new one."
)


def xid_signature(*, key: str, public_id: str, xid: str, expires: int | str) -> str:
    """The signature an embedding site puts in its link (the README shows the same in Python)."""
    message = f"{public_id}\n{xid}\n{expires}"
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def check_xid_signature(
    *, key: str, public_id: str, xid: str, expires: str, signature: str, now: float
) -> None:
    """Raise JoinRefused unless `signature` signs exactly this xid and expiry for this
    conversation, and the expiry is neither past nor more than MAX_LIFETIME_SECONDS ahead.

    `xid` and `expires` are taken as the link carried them: the site signed those strings.
    """
    if not (expires.isascii() and expires.isdigit() and len(expires) <= 12):
        raise JoinRefused(NOT_VALID)
    expected = xid_signature(key=key, public_id=public_id, xid=xid, expires=expires)
    # Constant time, so the signature cannot be found byte by byte from response times; as
    # bytes, since compare_digest refuses str with characters outside ASCII.
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise JoinRefused(NOT_VALID)
    if int(expires) < now:
        raise JoinRefused(EXPIRED)
    if int(expires) > now + MAX_LIFETIME_SECONDS:
        raise JoinRefused(NOT_VALID)
