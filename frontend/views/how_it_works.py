"""The participant's "how this works" page: anonymity, what is done with the votes, and how
opinion groups and the context's constitution come out of them."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from deliberation.models import Conversation
from frontend.views.participant_pages import conversation_or_404


@require_GET
def how_it_works(request, public_id: str):
    conversation = conversation_or_404(public_id, with_context=True)
    return render(
        request,
        "frontend/participate/how_it_works.html",
        {
            "conversation": conversation,
            "anonymous": conversation.identity_mode == Conversation.Identity.ANONYMOUS,
        },
    )
