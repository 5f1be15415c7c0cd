"""The moderation queue and the list of all statements, with their row actions.

Each row action is a small POST form. With htmx the answer is the row alone (the
`statement-row` partial) and it swaps in place; without JavaScript it redirects back to the
list, or shows a page with the problem.
"""

from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from deliberation.access import facilitated_conversation_or_404
from deliberation.models import Statement
from deliberation.services.facilitation import moderate_statement, set_meta
from frontend.forms.facilitate import MetaForm, ReasonForm
from frontend.views.facilitate.common import (
    action,
    paginate,
    redirect_back,
    statement_counts,
)

TEMPLATE = "frontend/facilitate/moderation.html"


def _statements(conversation):
    return conversation.statements.select_related("author", "moderated_by")


def _list_page(request, conversation, statements, *, queue: bool):
    page = {
        "conversation": conversation,
        "context": conversation.context,
        "counts": statement_counts(conversation),
        "page": paginate(request, statements),
        "queue": queue,
        "state": request.GET.get("state"),
        "next": request.get_full_path(),
    }
    return render(request, TEMPLATE, page)


@login_required
def queue(request, public_id):
    """Pending statements, oldest first: whoever waited longest is moderated first."""
    conversation = facilitated_conversation_or_404(request.user, public_id)
    pending = _statements(conversation).filter(state=Statement.State.PENDING)
    return _list_page(request, conversation, pending.order_by("created_at", "id"), queue=True)


@login_required
def statement_list(request, public_id):
    conversation = facilitated_conversation_or_404(request.user, public_id)
    statements = _statements(conversation).order_by("id")
    state = request.GET.get("state")
    if state in Statement.State.values:
        statements = statements.filter(state=state)
    return _list_page(request, conversation, statements, queue=False)


def _statement_or_404(request, public_id, statement_id) -> Statement:
    conversation = facilitated_conversation_or_404(request.user, public_id)
    return get_object_or_404(_statements(conversation), pk=statement_id)


def _answer(request, statement, *, message, reject_form=None, status=HTTPStatus.OK):
    queue_url = reverse("frontend:facilitate-queue", args=[statement.conversation.public_id])
    if request.htmx:
        row = {
            "statement": statement,
            "conversation": statement.conversation,
            "next": request.POST.get("next") or queue_url,
            "reject_form": reject_form,
            "row_message": message,
        }
        # The row, and the tabs with their new counts swapped in out of band. The tabs mark the
        # page the row came from as current, so they are drawn as for that page.
        came_from = urlsplit(row["next"])
        tabs = {
            "conversation": statement.conversation,
            "counts": statement_counts(statement.conversation),
            "queue": came_from.path == queue_url,
            "state": parse_qs(came_from.query).get("state", [None])[0],
            "oob": True,
        }
        body = render_to_string(f"{TEMPLATE}#statement-row", row, request=request)
        body += render_to_string(f"{TEMPLATE}#statement-tabs", tabs)
        return HttpResponse(body, status=status)
    if status >= HTTPStatus.BAD_REQUEST:
        page = {
            "statement": statement,
            "conversation": statement.conversation,
            "context": statement.conversation.context,
            "form": reject_form,
            "next": request.POST.get("next") or queue_url,
        }
        return render(request, "frontend/facilitate/statement_reject.html", page, status=status)
    messages.success(request, message)
    return redirect_back(request, queue_url)


@action
def statement_accept(request, public_id, statement_id):
    statement = _statement_or_404(request, public_id, statement_id)
    moderate_statement(statement=statement, actor=request.user, accept=True)
    return _answer(request, statement, message=_("Accepted."))


@action
def statement_reject(request, public_id, statement_id):
    statement = _statement_or_404(request, public_id, statement_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            moderate_statement(
                statement=statement,
                actor=request.user,
                accept=False,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            return _answer(request, statement, message=_("Rejected."))
    return _answer(
        request,
        statement,
        message=_("Not rejected: say why."),
        reject_form=form,
        status=HTTPStatus.BAD_REQUEST,
    )


@action
def statement_meta(request, public_id, statement_id):
    statement = _statement_or_404(request, public_id, statement_id)
    form = MetaForm(request.POST)
    form.is_valid()  # a missing or unticked box means "not meta"
    is_meta = form.cleaned_data.get("is_meta", False)
    set_meta(statement=statement, actor=request.user, is_meta=is_meta)
    message = _("Marked as meta.") if is_meta else _("No longer meta.")
    return _answer(request, statement, message=message)
