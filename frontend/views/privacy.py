"""A participant's own data, from the browser: download a copy, or delete it.

Both act only on the participant this browser's signed cookie names in the conversation (see
participate.py), so nobody can reach another person's data by changing an id. Excluded
participants can use both: exclusion keeps someone out of the maths, not out of their data.
"""

import json
from http import HTTPStatus

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from deliberation.identity.cookie import current_participant, forget_participant
from deliberation.models import Vote, VoteEvent
from deliberation.services.privacy import delete_participant_data, participant_data
from frontend.views.participant_pages import conversation_or_404, error_page, see_other

DELETE_TEMPLATE = "frontend/participate/delete_data.html"


def _nothing_stored(request):
    return error_page(
        request,
        title=_("No data for this browser"),
        message=_(
            "This browser has not taken part in this conversation, so Polity holds nothing "
            "for it here."
        ),
        status=HTTPStatus.NOT_FOUND,
    )


@require_GET
def my_data(request, public_id: str):
    conversation = conversation_or_404(public_id)
    participant = current_participant(request, conversation)
    if participant is None:
        return _nothing_stored(request)
    body = json.dumps(participant_data(participant=participant), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="polity-{conversation.public_id}-my-data.json"'
    )
    # Personal data: no shared or browser cache keeps a copy.
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def delete_data(request, public_id: str):
    """GET: what deletion removes and keeps, and a confirm button. POST: delete, forget, leave."""
    conversation = conversation_or_404(public_id)
    participant = current_participant(request, conversation)
    if participant is None:
        return _nothing_stored(request)
    if request.method == "GET":
        return render(
            request,
            DELETE_TEMPLATE,
            {
                "conversation": conversation,
                "vote_count": Vote.objects.filter(participant=participant).count(),
                "change_count": VoteEvent.objects.filter(participant=participant).count(),
                "statement_count": participant.statements.count(),
            },
        )
    delete_participant_data(participant=participant)
    messages.success(
        request,
        _("Your data in “%(topic)s” was deleted. This browser no longer takes part in it.")
        % {"topic": conversation.topic},
    )
    response = see_other(reverse("frontend:home"))
    forget_participant(request, response, conversation)
    return response
