"""A participant's own votes: the list, and changing one of them (a whole page, or one row with
htmx)."""

from http import HTTPStatus

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from deliberation.errors import DeliberationError, StatementUnavailable
from deliberation.identity.cookie import current_participant
from deliberation.models import Conversation, Participant, Vote
from deliberation.readers import statement_by_id
from deliberation.services.participation import cast_vote, visible_statements
from frontend.views.participant_pages import conversation_or_404, see_other, vote_value

MY_VOTES_TEMPLATE = "frontend/participate/my_votes.html"


def _my_votes(participant: Participant | None, conversation: Conversation):
    if participant is None:
        return Vote.objects.none()
    return (
        Vote.objects.filter(participant=participant, statement__in=visible_statements(conversation))
        .select_related("statement")
        .order_by("statement_id")
    )


@require_GET
def my_votes(request, public_id: str):
    conversation = conversation_or_404(public_id)
    return _my_votes_page(request, conversation, current_participant(request, conversation))


def _my_votes_page(request, conversation, participant, error: str = "", status=HTTPStatus.OK):
    page = {
        "conversation": conversation,
        "votes": _my_votes(participant, conversation),
        "can_vote": conversation.is_open,
        "error": error,
    }
    return render(request, MY_VOTES_TEMPLATE, page, status=status)


@require_POST
def change_vote(request, public_id: str, statement_id: int):
    conversation = conversation_or_404(public_id)
    participant = current_participant(request, conversation)
    error, status, vote = "", HTTPStatus.OK, None
    try:
        if participant is None:
            raise StatementUnavailable()
        vote = cast_vote(
            participant=participant,
            statement_id=statement_id,
            value=vote_value(request.POST.get("value")),
        )
    except DeliberationError as error_:
        status, error = error_.status, error_.message
    if request.htmx:
        if vote is None:
            vote = _my_votes(participant, conversation).filter(statement_id=statement_id).first()
        else:
            # cast_vote wrote it, so its statement is visible: only the text is left to read
            # (in plain SQL, deliberation/readers.py; the ORM's query was a third of this request).
            vote.statement = statement_by_id(statement_id)
        return render(
            request,
            f"{MY_VOTES_TEMPLATE}#vote-row",
            {
                "conversation": conversation,
                "vote": vote,
                "row_error": error,
                "can_vote": conversation.is_open,
            },
            status=status,
        )
    if error:
        return _my_votes_page(request, conversation, participant, error, status)
    messages.success(request, _("Your vote was changed."))
    return see_other(reverse("frontend:my-votes", args=[conversation.public_id]))
