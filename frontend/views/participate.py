"""Pages for community members: find a conversation, join, vote, write.

A browser remembers which participant it is in each conversation through one signed cookie
(conversation public id -> participant id). The signature makes it tamper-proof: an edited or
forged value is ignored, so nobody can act as another participant by guessing ids. Participants
are created on their first state-changing POST, never on a GET, so crawlers and link previews
create no one. Every refusal of the domain is answered with its status and its message, in the
page or in the htmx fragment that was asked for.
"""

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deliberation.errors import (
    DeliberationError,
    DuplicateStatement,
    JoinRefused,
    ParticipantExcluded,
    StatementUnavailable,
)
from deliberation.identity.acting import switch_identity, vote_as, write_as
from deliberation.identity.cookie import current_participant, remember_participant
from deliberation.identity.joining import join_by_invite
from deliberation.identity.network import client_ip
from deliberation.identity.resolver import (
    SwitchAsked,
    Visitor,
    carried_fields,
    may_act,
    visitor_for,
)
from deliberation.models import (
    STATEMENT_MAX_LENGTH,
    Context,
    Conversation,
    Statement,
    VoteValue,
)
from deliberation.services.participation import visible_statements, voting_step
from frontend.views.participant_pages import (
    conversation_or_404,
    error_page,
    refusal,
    see_other,
    vote_value,
)
from frontend.views.process_participate import process_prompts, require_screening

CONVERSATION_TEMPLATE = "frontend/participate/conversation.html"
SWITCH_TEMPLATE = "frontend/participate/switch.html"
WRITE_TEMPLATE = "frontend/participate/write.html"
# One answer for a duplicate, whether the statement it repeats is public or still waiting for
# review, so the answer tells no more than the public statements do (a pending one is not shown).
DUPLICATE_MESSAGE = gettext_lazy(
    "A statement like this one has been written already: it is open for votes, or waiting for "
    "a facilitator's review."
)


# --- Helpers ------------------------------------------------------------------------------------


def _statement_id(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        raise StatementUnavailable() from None


def _switch_page(request, conversation: Conversation, asked: SwitchAsked):
    """Asks before this browser becomes the participant of the link it brought (never on a GET
    alone); a POST that brought one is answered the same, with 409, and did nothing."""
    status = HTTPStatus.OK if request.method == "GET" else HTTPStatus.CONFLICT
    return render(
        request,
        SWITCH_TEMPLATE,
        {"conversation": conversation, "link": asked.link, "message": asked.message},
        status=status,
    )


def _voting_context(conversation: Conversation, visitor: Visitor, error: str = "") -> dict:
    participant = visitor.participant
    if participant is not None and participant.is_excluded and not error:
        error = ParticipantExcluded().message
    step = voting_step(conversation=conversation, participant=participant)
    return {
        "conversation": conversation,
        "participant": participant,
        **carried_fields(visitor),
        "statement": step.statement,
        "progress": step.progress,
        "error": error,
        **process_prompts(conversation, participant, step.progress.voted),
    }


def _page_context(conversation: Conversation, visitor: Visitor, error: str = "") -> dict:
    """The whole voting page also says how many took part; the htmx fragment does not, so
    the vote path keeps its pinned queries."""
    return {
        **_voting_context(conversation, visitor, error),
        "taken_part": conversation.participants.count(),
    }


# --- Pages --------------------------------------------------------------------------------------


@require_GET
def home(request):
    open_conversations = Conversation.objects.filter(
        state=Conversation.State.OPEN, identity_mode=Conversation.Identity.ANONYMOUS
    ).order_by("-created_at", "id")
    contexts = Context.objects.filter(is_public=True).prefetch_related(
        Prefetch("conversations", queryset=open_conversations, to_attr="open_conversations")
    )
    return render(request, "frontend/home.html", {"contexts": contexts})


@require_GET
def conversation(request, public_id: str):
    conversation = conversation_or_404(public_id, with_context=True)
    try:
        visitor = visitor_for(request, conversation)
    except SwitchAsked as asked:
        return _switch_page(request, conversation, asked)
    except (DeliberationError, ValidationError) as error:
        status, message = refusal(error)
        return error_page(request, title=_("You cannot join"), message=message, status=status)
    if visitor.participant is None and conversation.identity_mode == Conversation.Identity.INVITE:
        token = request.GET.get("invite", "")
        if not token:
            return error_page(
                request,
                title=_("You cannot join"),
                message=JoinRefused().message,
                status=HTTPStatus.FORBIDDEN,
            )
        return render(
            request,
            "frontend/participate/invite.html",
            {"conversation": conversation, "token": token},
        )
    context = _page_context(conversation, visitor)
    status = HTTPStatus.FORBIDDEN if context["error"] else HTTPStatus.OK
    response = render(request, CONVERSATION_TEMPLATE, context, status=status)
    if visitor.participant is not None:
        # Someone who arrived by external id keeps being recognised on the other pages.
        remember_participant(request, response, visitor.participant)
    return response


@require_POST
def join(request, public_id: str):
    """Join by invitation: the token from the link, posted by the "Join" button."""
    conversation = conversation_or_404(public_id)
    if current_participant(request, conversation) is not None:
        return see_other(conversation.get_absolute_url())
    try:
        participant = join_by_invite(
            conversation=conversation,
            token=request.POST.get("invite", ""),
            ip_address=client_ip(request),
        )
    except DeliberationError as error:
        return error_page(
            request, title=_("You cannot join"), message=error.message, status=error.status
        )
    messages.success(request, _("Welcome. You can vote now."))
    response = see_other(conversation.get_absolute_url())
    remember_participant(request, response, participant)
    return response


@require_POST
def vote(request, public_id: str):
    conversation = conversation_or_404(public_id)
    visitor = Visitor(None)
    try:
        value = vote_value(request.POST.get("value"))
        statement_id = _statement_id(request.POST.get("statement"))
        visitor = visitor_for(request, conversation)
        require_screening(conversation, visitor.participant)
        participant = vote_as(
            conversation=conversation, visitor=visitor, statement_id=statement_id, value=value
        )
    except SwitchAsked as asked:
        return _switch_page(request, conversation, asked)
    except (DeliberationError, ValidationError) as error:
        status, message = refusal(error)
        if request.htmx:
            template, context = f"{CONVERSATION_TEMPLATE}#voting", _voting_context
        else:
            template, context = CONVERSATION_TEMPLATE, _page_context
        return render(request, template, context(conversation, visitor, message), status=status)
    if request.htmx:
        # The partial also fills the page's live region with "Recorded: ..." (out of band).
        context = _voting_context(conversation, Visitor(participant))
        context["recorded"] = VoteValue(value).label
        response = render(request, f"{CONVERSATION_TEMPLATE}#voting", context)
    else:
        messages.success(request, _("Your vote was recorded."))
        response = see_other(conversation.get_absolute_url())
    remember_participant(request, response, participant)
    return response


@require_http_methods(["GET", "POST"])
def write(request, public_id: str):
    conversation = conversation_or_404(public_id)
    try:
        visitor = visitor_for(request, conversation)
    except SwitchAsked as asked:
        return _switch_page(request, conversation, asked)
    except (DeliberationError, ValidationError) as error:
        status, message = refusal(error)
        return error_page(request, title=_("You cannot join"), message=message, status=status)
    participant = visitor.participant
    context = {
        "conversation": conversation,
        **carried_fields(visitor),
        "can_write": conversation.is_open
        and conversation.participants_can_write
        and may_act(conversation, visitor),
        "excluded": participant is not None and participant.is_excluded,
        "text": "",
        "max_length": STATEMENT_MAX_LENGTH,
    }
    if request.method == "GET":
        return render(request, WRITE_TEMPLATE, context)
    context["text"] = request.POST.get("text", "")
    try:
        require_screening(conversation, visitor.participant)
        participant, statement = write_as(
            conversation=conversation, visitor=visitor, text=context["text"]
        )
    except DuplicateStatement as duplicate:
        existing = duplicate.existing
        if (
            existing is not None
            and not visible_statements(conversation).filter(pk=existing.pk).exists()
        ):
            existing = None  # still waiting for moderation: its text is not public yet
        context.update(error=DUPLICATE_MESSAGE, duplicate=existing)
        return render(request, WRITE_TEMPLATE, context, status=duplicate.status)
    except (DeliberationError, ValidationError) as error:
        status, context["error"] = refusal(error)
        return render(request, WRITE_TEMPLATE, context, status=status)
    if statement.state == Statement.State.PENDING and (
        conversation.moderation == Conversation.Moderation.STRICT
    ):
        messages.success(request, _("Thanks — it will appear once a facilitator has reviewed it."))
    else:
        messages.success(
            request, _("Thanks — your statement is open for votes. It counts as your agree vote.")
        )
    response = see_other(conversation.get_absolute_url())
    remember_participant(request, response, participant)
    return response


@require_POST
def switch(request, public_id: str):
    """The switch page's button: this browser takes part as the link's identity from now on."""
    conversation = conversation_or_404(public_id)
    try:
        participant = switch_identity(request=request, conversation=conversation)
    except (DeliberationError, ValidationError) as error:
        status, message = refusal(error)
        return error_page(request, title=_("You cannot join"), message=message, status=status)
    messages.success(request, _("This browser now takes part as the identity in the link."))
    response = see_other(conversation.get_absolute_url())
    remember_participant(request, response, participant)
    return response
