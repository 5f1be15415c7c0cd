"""Participants of a conversation: who joined how, how much they took part; exclude and readmit.

Rows swap in place with htmx (the `participant-row` partial) and work as plain forms without it.
"""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from deliberation.access import facilitated_conversation_or_404
from deliberation.models import Participant
from deliberation.services.facilitation import exclude_participant, readmit_participant
from frontend.forms.facilitate import ParticipantSearchForm, ReasonForm
from frontend.views.facilitate.common import (
    CONFIRMED,
    action,
    confirm_page,
    confirmed,
    paginate,
    redirect_back,
    safe_next,
)

TEMPLATE = "frontend/facilitate/participants.html"
STATUS_FILTERS = ("taking-part", "excluded")


def _participants(conversation):
    # distinct: both counts join from the same participant row.
    return conversation.participants.annotate(
        vote_count=Count("votes", distinct=True), statement_count=Count("statements", distinct=True)
    ).order_by("id")


@login_required
def participant_list(request, public_id):
    """Everyone, 25 to a page; `?status=excluded` or `taking-part` narrows the list, `?number=N`
    finds one participant (400 with a message if N is not a number, and then the whole list)."""
    conversation = facilitated_conversation_or_404(request.user, public_id)
    participants = _participants(conversation)
    search = ParticipantSearchForm(request.GET if "number" in request.GET else None)
    searching = search.is_valid()  # False for an unbound form: no search asked
    if searching:
        participants = participants.filter(pk=search.cleaned_data["number"])
    status = request.GET.get("status")
    if status in STATUS_FILTERS:
        participants = participants.filter(excluded_at__isnull=status == "taking-part")
    page = {
        "conversation": conversation,
        "context": conversation.context,
        "page": paginate(request, participants),
        "search": search,
        "searching": searching,
        "status": status if status in STATUS_FILTERS else "",
        "counts": conversation.participants.aggregate(
            everyone=Count("id"), excluded=Count("id", filter=Q(excluded_at__isnull=False))
        ),
        "next": request.get_full_path(),
    }
    refused = search.is_bound and not searching
    return render(
        request, TEMPLATE, page, status=HTTPStatus.BAD_REQUEST if refused else HTTPStatus.OK
    )


def _participant_or_404(request, public_id, participant_id) -> Participant:
    conversation = facilitated_conversation_or_404(request.user, public_id)
    return get_object_or_404(_participants(conversation), pk=participant_id)


def _answer(request, participant, *, message, form=None, status=HTTPStatus.OK):
    conversation = participant.conversation
    list_url = reverse("frontend:facilitate-participants", args=[conversation.public_id])
    context = {
        "participant": participant,
        "conversation": conversation,
        "context": conversation.context,
        "next": safe_next(request, request.POST.get("next", ""), list_url),
        "exclude_form": form,
        "row_message": message,
        "confirm_value": CONFIRMED,
    }
    if request.htmx:
        return render(request, f"{TEMPLATE}#participant-row", context, status=status)
    if status >= HTTPStatus.BAD_REQUEST:
        return render(
            request, "frontend/facilitate/participant_exclude.html", context, status=status
        )
    messages.success(request, message)
    return redirect_back(request, list_url)


@login_required
@require_http_methods(["GET", "POST"])
def participant_exclude(request, public_id, participant_id):
    """GET: the exclusion form, which says what excluding does (the confirmation); POST with
    its reason excludes. A POST that did not come from that page is asked to confirm first."""
    participant = _participant_or_404(request, public_id, participant_id)
    if request.method == "GET":
        conversation = participant.conversation
        list_url = reverse("frontend:facilitate-participants", args=[conversation.public_id])
        return render(
            request,
            "frontend/facilitate/participant_exclude.html",
            {
                "participant": participant,
                "conversation": conversation,
                "context": conversation.context,
                "next": safe_next(request, request.GET.get("next", ""), list_url),
                "exclude_form": ReasonForm(),
                "confirm_value": CONFIRMED,
            },
        )
    form = ReasonForm(request.POST)
    if form.is_valid() and not confirmed(request):
        conversation = participant.conversation
        return confirm_page(
            request,
            title=_("Exclude participant %(number)s?") % {"number": participant.pk},
            question=_(
                "They will no longer be able to vote or write, and their votes leave the "
                "analysis. Reason: “%(reason)s”. Readmitting them later restores everything."
            )
            % {"reason": form.cleaned_data["reason"]},
            action_url=request.path,
            button=_("Exclude"),
            cancel_url=reverse("frontend:facilitate-participants", args=[conversation.public_id]),
            carry=("reason", "next"),
            context=conversation.context,
            conversation=conversation,
        )
    if form.is_valid():
        try:
            exclude_participant(
                participant=participant, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            return _answer(request, participant, message=_("Excluded."))
    return _answer(
        request,
        participant,
        message=_("Not excluded: say why."),
        form=form,
        status=HTTPStatus.BAD_REQUEST,
    )


@action
def participant_readmit(request, public_id, participant_id):
    participant = _participant_or_404(request, public_id, participant_id)
    readmit_participant(participant=participant, actor=request.user)
    return _answer(request, participant, message=_("Readmitted."))
