"""Conversations: create, edit, open and close, invite links, signed external ids, seed
statements, the audit log."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deliberation.access import facilitated_context_or_404, facilitated_conversation_or_404
from deliberation.errors import DeliberationError, DuplicateStatement, InvalidUpload
from deliberation.models import Conversation
from deliberation.services.facilitation import (
    create_conversation,
    create_invite,
    regenerate_xid_key,
    revoke_invite,
    set_conversation_state,
    set_xid_signing,
    update_conversation,
)
from deliberation.services.seeding import import_seed_csv, seed_statement
from frontend.forms.facilitate import (
    ConversationForm,
    InviteForm,
    SeedCsvForm,
    SeedStatementForm,
    StateForm,
    XidSigningForm,
)
from frontend.views.facilitate.common import (
    action,
    add_errors,
    confirm_page,
    confirmed,
    paginate,
    statement_counts,
)
from frontend.views.facilitate.sharing import participant_link

INVITES_SHOWN = 20


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
def conversation_create(request, slug):
    context = facilitated_context_or_404(request.user, slug)
    form = ConversationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            conversation = create_conversation(
                context=context, actor=request.user, fields=form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("frontend:facilitate-conversation", public_id=conversation.public_id)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render(
        request,
        "frontend/facilitate/conversation_form.html",
        {"form": form, "context": context},
        status=status,
    )


@login_required
def conversation_edit(request, public_id):
    conversation = facilitated_conversation_or_404(request.user, public_id)
    form = ConversationForm(_posted(request), instance=conversation)
    if request.method == "POST" and form.is_valid():
        # The form set the new values on `conversation` already; the service needs the old state.
        conversation.refresh_from_db()
        try:
            update_conversation(
                conversation=conversation, actor=request.user, fields=form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("frontend:facilitate-conversation", public_id=conversation.public_id)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render(
        request,
        "frontend/facilitate/conversation_form.html",
        {"form": form, "context": conversation.context, "conversation": conversation},
        status=status,
    )


def _detail(request, conversation, *, status=HTTPStatus.OK, **extra):
    log = conversation.moderation_actions.select_related("actor", "statement", "participant")
    page = {
        "conversation": conversation,
        "context": conversation.context,
        "counts": statement_counts(conversation),
        "participant_counts": conversation.participants.aggregate(
            total=Count("id"), excluded=Count("id", filter=Q(excluded_at__isnull=False))
        ),
        "invites": conversation.invites.select_related("created_by")[:INVITES_SHOWN],
        "invite_count": conversation.invites.count(),
        "log_page": paginate(request, log.order_by("-id"), param="log"),
        "invite_form": InviteForm(),
        "participant_link": participant_link(conversation),
        **extra,
    }
    return render(request, "frontend/facilitate/conversation_detail.html", page, status=status)


@login_required
def conversation_detail(request, public_id):
    conversation = facilitated_conversation_or_404(request.user, public_id)
    return _detail(request, conversation)


@action
def conversation_state(request, public_id):
    conversation = facilitated_conversation_or_404(request.user, public_id)
    form = StateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to open or close the conversation."))
        return _detail(request, conversation, status=HTTPStatus.BAD_REQUEST)
    closing = form.cleaned_data["state"] == Conversation.State.CLOSED
    if closing and not confirmed(request):
        return confirm_page(
            request,
            title=_("Close “%(topic)s”?") % {"topic": conversation.topic},
            question=_(
                "Participants will no longer be able to vote or write; their votes and the "
                "results stay. You can reopen it later."
            ),
            action_url=request.path,
            button=_("Close the conversation"),
            cancel_url=reverse("frontend:facilitate-conversation", args=[conversation.public_id]),
            carry=("state",),
            context=conversation.context,
            conversation=conversation,
        )
    set_conversation_state(
        conversation=conversation, actor=request.user, state=form.cleaned_data["state"]
    )
    messages.success(
        request,
        _("The conversation is now %(state)s.") % {"state": conversation.get_state_display()},
    )
    return redirect("frontend:facilitate-conversation", public_id=conversation.public_id)


def invite_link(conversation, token: str) -> str:
    return f"{participant_link(conversation)}?{urlencode({'invite': token})}"


@action
def invite_create(request, public_id):
    conversation = facilitated_conversation_or_404(request.user, public_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _detail(request, conversation, status=HTTPStatus.BAD_REQUEST, invite_form=form)
    token = create_invite(
        conversation=conversation,
        actor=request.user,
        single_use=form.cleaned_data["single_use"],
        label=form.cleaned_data["label"],
    )
    # Shown once, in this answer only: the database keeps nothing but the token's hash.
    return _detail(
        request,
        conversation,
        status=HTTPStatus.CREATED,
        new_invite_link=invite_link(conversation, token),
    )


@action
def invite_revoke(request, public_id, invite_id):
    conversation = facilitated_conversation_or_404(request.user, public_id)
    invite = get_object_or_404(conversation.invites, pk=invite_id)
    revoke_invite(invite=invite, actor=request.user)
    return redirect("frontend:facilitate-conversation", public_id=conversation.public_id)


@action
def xid_signing(request, public_id):
    conversation = facilitated_conversation_or_404(request.user, public_id)
    form = XidSigningForm(request.POST)
    form.is_valid()  # a missing or unticked box is "not required"
    required = form.cleaned_data["required"]
    set_xid_signing(conversation=conversation, actor=request.user, required=required)
    if required:
        messages.success(
            request, _("From now on, only links signed with this conversation's key let people in.")
        )
    else:
        messages.success(request, _("External ids are accepted without a signature."))
    return redirect("frontend:facilitate-conversation", public_id=conversation.public_id)


@action
def xid_key_regenerate(request, public_id):
    conversation = facilitated_conversation_or_404(request.user, public_id)
    regenerate_xid_key(conversation=conversation, actor=request.user)
    messages.success(
        request,
        _("A new key is in place: links signed with the old one no longer work."),
    )
    return redirect("frontend:facilitate-conversation", public_id=conversation.public_id)


def _seed_page(request, conversation, *, status=HTTPStatus.OK, **forms):
    seeds = conversation.statements.filter(is_seed=True).order_by("-id")
    page = {
        "conversation": conversation,
        "context": conversation.context,
        "seed_form": forms.get("seed_form") or SeedStatementForm(),
        "csv_form": forms.get("csv_form") or SeedCsvForm(),
        "problems": forms.get("problems"),
        "seeds_page": paginate(request, seeds),
    }
    return render(request, "frontend/facilitate/seed.html", page, status=status)


@login_required
def seed(request, public_id):
    conversation = facilitated_conversation_or_404(request.user, public_id)
    if request.method != "POST":
        return _seed_page(request, conversation)
    form = SeedStatementForm(request.POST)
    if form.is_valid():
        try:
            seed_statement(
                conversation=conversation,
                actor=request.user,
                text=form.cleaned_data["text"],
                is_meta=form.cleaned_data["is_meta"],
            )
        except DuplicateStatement as error:
            form.add_error(
                "text",
                _("This is (nearly) the same as a statement already here: “%(text)s”.")
                % {"text": error.existing.text},
            )
            return _seed_page(request, conversation, status=error.status, seed_form=form)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("The statement was added."))
            return redirect("frontend:facilitate-seed", public_id=conversation.public_id)
    return _seed_page(request, conversation, status=HTTPStatus.BAD_REQUEST, seed_form=form)


@action
def seed_csv(request, public_id):
    conversation = facilitated_conversation_or_404(request.user, public_id)
    form = SeedCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return _seed_page(request, conversation, status=HTTPStatus.BAD_REQUEST, csv_form=form)
    try:
        seeded = import_seed_csv(
            conversation=conversation, actor=request.user, data=form.cleaned_data["file"].read()
        )
    except InvalidUpload as error:
        return _seed_page(
            request, conversation, status=error.status, csv_form=form, problems=error.problems
        )
    except DeliberationError as error:
        # A statement written by someone else while the file was being checked.
        form.add_error(None, error.message)
        return _seed_page(request, conversation, status=error.status, csv_form=form)
    messages.success(
        request,
        ngettext(
            "%(count)d statement was imported.", "%(count)d statements were imported.", len(seeded)
        )
        % {"count": len(seeded)},
    )
    return redirect("frontend:facilitate-seed", public_id=conversation.public_id)
