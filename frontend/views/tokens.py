"""The facilitator's API tokens: create one (shown once), list them, revoke one."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from constitutions import forms
from constitutions.models import ApiToken
from constitutions.services.tokens import create_token, revoke_token
from core.errors import DomainError
from frontend.views.facilitate.common import action, add_errors

T = "frontend/constitutions/"


@never_cache
@login_required
def tokens(request):
    form = forms.TokenForm(request.POST if request.method == "POST" else None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created = create_token(user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_errors(form, error)
        else:
            form = forms.TokenForm()
    return render(
        request,
        T + "tokens.html",
        {"form": form, "created": created, "tokens": ApiToken.objects.filter(user=request.user)},
        status=HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK,
    )


@action
def token_revoke(request, token_id):
    revoke_token(token=get_object_or_404(ApiToken, pk=token_id, user=request.user))
    messages.success(request, _("The token is revoked."))
    return redirect("frontend:constitution-tokens")
