"""Participant pages of the process record (issue 13): screening before the first vote, and the
optional self-description questions after some votes.

The voting views call only `require_screening` and `process_prompts`, so the joining and voting
flow itself stays as it is. Neither costs a query in a context that asks nothing (the question
plan is cached).
"""

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from constitutions.services.ratification import conversations_ratifying
from deliberation.errors import DeliberationError, NotYourAnswer, ScreenedOut
from deliberation.identity.acting import join_as
from deliberation.identity.cookie import current_participant, remember_participant
from deliberation.identity.resolver import carried_fields, visitor_for
from deliberation.models import Conversation, Participant
from deliberation.services.questions import (
    describe_self,
    question_plan,
    record_screening,
    require_screened,
    screen,
    screening_questions,
    self_description_due,
    self_description_questions,
)
from frontend.views.participant_pages import conversation_or_404, see_other

SCREENED_OUT_COOKIE = "polity_screened_out"
SCREENED_OUT_SALT = "polity.frontend.screened-out"
T = "frontend/participate/"


def require_screening(conversation: Conversation, participant: Participant | None) -> None:
    """Refuse a vote from someone screening has not let in (ScreeningRequired, 403)."""
    require_screened(conversation=conversation, participant=participant)


def process_prompts(conversation: Conversation, participant: Participant | None, voted: int):
    """What the voting page adds: a link to screening, the offer to describe oneself, and a
    link to an open ratification."""
    plan = question_plan(conversation.context_id)
    needs_screening = False
    if plan.screening:
        try:
            require_screened(conversation=conversation, participant=participant)
        except DeliberationError:
            needs_screening = True
    return {
        "needs_screening": needs_screening,
        "self_description_due": self_description_due(
            conversation=conversation, participant=participant, voted=voted
        ),
        # Asked for visitors too, so the page warms the cache before their first vote.
        "ratification_open": conversation.public_id
        in conversations_ratifying(conversation.context_id)
        and participant is not None,
    }


def _screened_out(request, conversation: Conversation) -> bool:
    value = request.get_signed_cookie(SCREENED_OUT_COOKIE, default="", salt=SCREENED_OUT_SALT)
    return conversation.public_id in value.split(",")


@require_http_methods(["GET", "POST"])
def screening(request, public_id: str):
    conversation = conversation_or_404(public_id, with_context=True)
    questions = list(screening_questions(conversation.context))
    try:
        visitor = visitor_for(request, conversation)
    except (DeliberationError, ValidationError):
        raise Http404 from None
    page = {"conversation": conversation, "questions": questions, **carried_fields(visitor)}
    if _screened_out(request, conversation):
        page["error"], page["screened_out"] = ScreenedOut().message, True
        return render(request, T + "screening.html", page, status=HTTPStatus.FORBIDDEN)
    try:
        require_screened(conversation=conversation, participant=visitor.participant)
    except DeliberationError:
        pass
    else:
        return see_other(conversation.get_absolute_url())
    if request.method == "GET":
        return render(request, T + "screening.html", page)
    answers = {q.key: request.POST.get(q.key, "") for q in questions}
    page["chosen"] = answers
    try:
        # Counted before anything else is written; an ineligible person leaves only the count.
        if not screen(conversation=conversation, answers=answers):
            raise ScreenedOut()
        with transaction.atomic():
            participant = join_as(conversation=conversation, visitor=visitor)
            record_screening(participant=participant, answers=answers)
    except ScreenedOut as refusal:
        page["error"], page["screened_out"] = refusal.message, True
        response = render(request, T + "screening.html", page, status=refusal.status)
        response.set_signed_cookie(
            SCREENED_OUT_COOKIE,
            conversation.public_id,
            salt=SCREENED_OUT_SALT,
            httponly=True,
            samesite="Lax",
            secure=not settings.DEBUG,
        )
        return response
    except (DeliberationError, ValidationError) as error:
        page["error"] = getattr(error, "message", None) or " ".join(error.messages)
        return render(request, T + "screening.html", page, status=HTTPStatus.BAD_REQUEST)
    messages.success(request, _("Thank you. You can vote now."))
    response = see_other(conversation.get_absolute_url())
    remember_participant(request, response, participant)
    return response


@require_http_methods(["GET", "POST"])
def about_you(request, public_id: str):
    """The optional self-description questions; answering or skipping, they are asked once."""
    conversation = conversation_or_404(public_id, with_context=True)
    participant = current_participant(request, conversation)
    if participant is None:
        return see_other(conversation.get_absolute_url())
    questions = list(self_description_questions(conversation.context))
    page = {"conversation": conversation, "questions": questions}
    if request.method == "GET":
        return render(request, T + "about_you.html", page)
    claimed = request.POST.get("participant", "")
    answers = {}
    if "skip" not in request.POST:
        answers = {q.key: request.POST[q.key] for q in questions if request.POST.get(q.key)}
    try:
        acting = participant
        if claimed and claimed != str(participant.pk):
            # Someone answering for another participant: refused, whoever that would be.
            raise NotYourAnswer()
        describe_self(participant=participant, answers=answers, acting=acting)
    except DeliberationError as error:
        page["error"] = error.message
        return render(request, T + "about_you.html", page, status=error.status)
    messages.success(
        request,
        _("Thank you for telling us.") if answers else _("No problem. We won't ask again."),
    )
    return see_other(conversation.get_absolute_url())
