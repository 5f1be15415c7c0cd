"""`Authorization: Bearer <token>` for the API, and who may read what with which token."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.tokens import find_active_token
from constitutions.models import ApiToken
from deliberation.access import can_facilitate, facilitated_contexts
from deliberation.models import Context


class BearerTokenAuthentication(BaseAuthentication):
    """No header: anonymous. A header with an unknown, expired or revoked token: 401."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts:
            return None
        if len(parts) != 2 or parts[0].lower() != self.keyword:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”.")
            )
        token = find_active_token(parts[1].decode("ascii", errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is unknown, expired or revoked."))
        return token.user, token

    def authenticate_header(self, request):
        # Having a challenge makes DRF answer 401 (not 403) to missing or bad credentials.
        return 'Bearer realm="polity"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}


def readable_contexts(request):
    """Public contexts, and those facilitated by the owner of a constitutions-scope token."""
    token = request.auth
    public = Context.objects.filter(is_public=True)
    if isinstance(token, ApiToken) and token.scope == ApiToken.Scope.CONSTITUTIONS:
        return (public | facilitated_contexts(token.user)).distinct()
    return public


def context_for(request, slug: str, scope: str) -> Context:
    """The context `slug` if the request may read `scope` data of it.

    Contexts a request may not know of answer 404; raw data with no token 401; a token that may
    see the context but lacks the scope 403, as does a raw-data token whose owner does not
    facilitate the context (public or not).
    """
    context = Context.objects.filter(slug=slug).first()
    if context is None:
        raise Http404
    check_context_access(request, context, scope)
    return context


def check_context_access(request, context: Context, scope: str) -> None:
    """`context_for`'s checks for a context already at hand (read together with a version)."""
    token = request.auth if isinstance(request.auth, ApiToken) else None
    own = token is not None and can_facilitate(token.user, context)
    if scope == ApiToken.Scope.RAW:
        if not (context.is_public or own):
            raise Http404
        if token is None:
            raise exceptions.NotAuthenticated(_("Raw conversation data needs an API token."))
        if token.scope not in (ApiToken.Scope.RAW, ApiToken.Scope.RAW_ANSWERS):
            raise exceptions.PermissionDenied(_("This token may not read raw conversation data."))
        if not own:
            # A public context's constitutions are everyone's; its participants' votes are not.
            raise exceptions.PermissionDenied(
                _("Raw-data tokens read only the contexts their owner facilitates.")
            )
        return
    if context.is_public:
        return
    if not own:
        raise Http404
    if token.scope != ApiToken.Scope.CONSTITUTIONS:
        raise exceptions.PermissionDenied(_("This token may not read constitutions."))
