"""The facilitator's home, and contexts of use: create, show, edit."""

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from deliberation.access import (
    can_create_contexts,
    facilitated_context_or_404,
    facilitated_contexts,
)
from deliberation.models import Conversation, Statement
from deliberation.services.facilitation import create_context, update_context
from frontend.forms.facilitate import ContextEditForm, ContextForm
from frontend.views.facilitate.common import add_errors


def _with_counts(conversations):
    pending = Count("statements", filter=Q(statements__state=Statement.State.PENDING))
    return conversations.annotate(pending_count=pending)


@login_required
def home(request):
    contexts = facilitated_contexts(request.user).prefetch_related(
        Prefetch("conversations", queryset=_with_counts(Conversation.objects.all()))
    )
    return render(
        request,
        "frontend/facilitate/home.html",
        {"contexts": contexts, "can_create": can_create_contexts(request.user)},
    )


@login_required
def context_create(request):
    if not can_create_contexts(request.user):
        raise PermissionDenied(
            _(
                "Creating a context of use needs the role “may create contexts”. Ask an "
                "administrator to grant it to your account; until then, a context's facilitators "
                "can add you to theirs."
            )
        )
    form = ContextForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            context = create_context(creator=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("frontend:facilitate-context", slug=context.slug)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render(request, "frontend/facilitate/context_form.html", {"form": form}, status=status)


@login_required
def context_detail(request, slug):
    context = facilitated_context_or_404(request.user, slug)
    conversations = _with_counts(context.conversations.all())
    return render(
        request,
        "frontend/facilitate/context_detail.html",
        {"context": context, "conversations": conversations},
    )


@login_required
def context_edit(request, slug):
    context = facilitated_context_or_404(request.user, slug)
    form = ContextEditForm(request.POST if request.method == "POST" else None, instance=context)
    if request.method == "POST" and form.is_valid():
        try:
            update_context(context=context, fields=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("frontend:facilitate-context", slug=context.slug)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render(
        request,
        "frontend/facilitate/context_form.html",
        {"form": form, "context": context},
        status=status,
    )
