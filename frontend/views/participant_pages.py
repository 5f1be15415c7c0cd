"""What every participant page does alike: find the conversation, read a vote, refuse with a
message, and redirect after a POST."""

from http import HTTPStatus

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from deliberation.errors import DeliberationError, InvalidVote
from deliberation.models import Conversation, VoteValue
from deliberation.readers import conversation_for_participants


def conversation_or_404(public_id: str, *, with_context: bool = False) -> Conversation:
    """The conversation at `public_id`; drafts are not there yet for participants, so they are
    answered exactly like an unknown id. Its context is read along only for the page that shows
    it (else on first use); without it the read is plain SQL (deliberation/readers.py), as it runs
    on every vote."""
    draft = Conversation.State.DRAFT
    if with_context:
        return get_object_or_404(
            Conversation.objects.select_related("context").exclude(state=draft),
            public_id=public_id,
        )
    conversation = conversation_for_participants(public_id)
    if conversation is None:
        raise Http404
    return conversation


def refusal(error: Exception) -> tuple[int, str]:
    if isinstance(error, DeliberationError):
        return error.status, error.message
    if isinstance(error, ValidationError):
        return HTTPStatus.BAD_REQUEST, " ".join(error.messages)
    raise error


def see_other(url: str) -> HttpResponseRedirect:
    # 303: after a form POST, the browser fetches the next page with GET (post/redirect/get).
    return HttpResponseRedirect(url, status=HTTPStatus.SEE_OTHER)


def error_page(request, *, title: str, message: str, status: int):
    return render(
        request, "frontend/error.html", {"title": title, "message": message}, status=status
    )


def vote_value(raw: str | None) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        raise InvalidVote() from None
    if value not in VoteValue.values:
        raise InvalidVote()
    return value
