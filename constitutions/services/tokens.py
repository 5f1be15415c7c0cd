"""API tokens for researchers: named, scoped, expiring, revocable; only a SHA-256 is stored.

Issued and revoked here (the token pages call it); the API looks a token up in api/tokens.py.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from constitutions.errors import ConstitutionError
from constitutions.models import ApiToken
from core.hashing import token_hash
from deliberation.access import facilitated_contexts
from deliberation.text import clean_text

TOKEN_PREFIX = "pol_"  # noqa: S105 - a public marker that makes leaked tokens greppable
MAX_DAYS = 366


def create_token(*, user, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never shown again."""
    name = clean_text(name, max_length=100, field=_("Name"))
    if scope not in ApiToken.Scope.values:
        raise ConstitutionError(_("Choose what the token may read."))
    # Raw data reads only contexts the owner facilitates (checked again on every request).
    if scope == ApiToken.Scope.RAW and not facilitated_contexts(user).exists():
        raise ConstitutionError(
            _("Raw-data tokens are for facilitators: you facilitate no context of use.")
        )
    if not 1 <= days <= MAX_DAYS:
        raise ConstitutionError(
            _("A token lasts between 1 and %(days)d days.") % {"days": MAX_DAYS}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        token_sha256=token_hash(raw),
        prefix=raw[:10],
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


def revoke_token(*, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
