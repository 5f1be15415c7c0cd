"""Failed sign-ins counted per account and per client address, on both sign-in pages.

Django's AuthenticationForm answers every attempt, so passwords could be guessed without end.
This uses the project's own cache rate limiter (deliberation/ratelimit.py) rather than
django-axes: no new tables or middleware, the same Redis and the same client-address rule as
the join limits, and a failure is counted where the form learns of it. Past either limit every
attempt is refused, the right password included, until the window ends. The cost: anyone can
hold an account's sign-in back for one window by failing on purpose (an account limit always
allows that); a Redis outage lets attempts through, as every limit here does.
"""

import hashlib
from http import HTTPStatus

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.utils.translation import gettext as _

from deliberation.identity.network import client_ip, network_key
from deliberation.ratelimit import count_only, limit_reached


class ThrottledLoginMixin:
    """For AuthenticationForm subclasses, which get the request from the login view."""

    throttled = False

    def _keys(self) -> list[tuple[str, str]]:
        username = str(self.data.get("username", "")).casefold()
        # Hashed: the cache key stays short and ASCII whatever was typed.
        account = hashlib.sha256(username.encode()).hexdigest()[:32]
        return [("login_account", account), ("login_address", network_key(client_ip(self.request)))]

    def clean(self):
        keys = self._keys()
        if any(limit_reached(scope, key) for scope, key in keys):
            self.throttled = True
            minutes = max(settings.POLITY_RATE_LIMITS[scope][1] for scope, _key in keys) // 60
            raise forms.ValidationError(
                _(
                    "Too many failed sign-ins for this account or from this address. "
                    "Wait %(minutes)d minutes, then try again."
                )
                % {"minutes": minutes},
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                for scope, key in keys:
                    count_only(scope, key)
            raise


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class ThrottledLoginView(LoginView):
    """The facilitators' sign-in page; a throttled attempt answers 429."""

    authentication_form = ThrottledAuthenticationForm
    template_name = "frontend/login.html"

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = HTTPStatus.TOO_MANY_REQUESTS
        return response
