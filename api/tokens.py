"""The API's side of its tokens: which live token a request's bearer secret is."""

from datetime import timedelta

from django.utils import timezone

from constitutions.models import ApiToken
from core.hashing import token_hash


def find_active_token(raw: str) -> ApiToken | None:
    """The live token with this secret, or None (unknown, expired or revoked alike)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            token_sha256=token_hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # Coarse last-use time: one write per token per minute at most.
    if token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
