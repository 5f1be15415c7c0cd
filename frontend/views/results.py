"""The results of a conversation: opinion map, groups, consensus, bridging, contested statements.

The page is drawn from the latest `AnalysisSnapshot` only; it never waits for a new analysis,
except in the embedded default (tasks eager, no worker), where a request for stale results runs
the analysis first, so votes never wait for it and results are still current.

While the conversation is open (or its analysis stale) the content polls
`results-poll?after=<snapshot id>` every 10 s. The poll answers 204 (nothing swapped) while no
newer snapshot exists, 304 to an `If-None-Match` of the current ETag, the new content when there
is one, and 286 (htmx: stop polling) once the conversation is closed and fully analysed.
"""

from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from constitutions.services.publishing import latest_published
from deliberation.access import can_facilitate, facilitated_conversation_or_404
from deliberation.identity.cookie import current_participant
from deliberation.models import AnalysisSnapshot, Conversation
from deliberation.services.analysis import (
    analyse_conversation,
    analysis_status,
    is_stale,
)
from frontend.presenters.results import results_view_model

TEMPLATE = "frontend/results/page.html"
STATUS_TEMPLATE = "frontend/results/status.html"
POLL_SECONDS = 10
STATUS_POLL_SECONDS = 3


def _conversation_for(request, public_id: str) -> tuple[Conversation, bool]:
    """The conversation and whether the viewer facilitates it. Participants see results of
    conversations that are not drafts; outside anonymous ones, only once they have joined."""
    conversation = get_object_or_404(
        Conversation.objects.select_related("context"), public_id=public_id
    )
    facilitates = can_facilitate(request.user, conversation.context)
    if facilitates:
        return conversation, True
    if conversation.state == Conversation.State.DRAFT:
        raise Http404
    invited_only = conversation.identity_mode != Conversation.Identity.ANONYMOUS
    if invited_only and current_participant(request, conversation) is None:
        raise Http404
    return conversation, False


def _fresh_snapshot(conversation: Conversation) -> AnalysisSnapshot | None:
    """In the embedded default no worker exists: analyse here when stale (see module doc)."""
    if settings.CELERY_TASK_ALWAYS_EAGER and is_stale(conversation):
        analyse_conversation(conversation_id=conversation.pk)
    return AnalysisSnapshot.objects.latest_for(conversation)


def _keeps_polling(conversation: Conversation) -> bool:
    return conversation.is_open or is_stale(conversation)


def _etag(snapshot_id: int) -> str:
    return f'"snapshot-{snapshot_id}"'


def _constitution_version(conversation: Conversation, facilitates: bool):
    """The context's current published constitution, linked from the summary when its page is
    open to this viewer (public contexts, or the context's facilitators)."""
    context = conversation.context
    constitution = getattr(context, "constitution", None)
    if constitution is None or not (context.is_public or facilitates):
        return None
    return latest_published(constitution.pk)


def _context(request, conversation: Conversation, facilitates: bool) -> dict:
    snapshot = _fresh_snapshot(conversation)
    viewer = current_participant(request, conversation)
    with_statements = request.GET.get("statements") == "on"
    context = {
        "conversation": conversation,
        "with_statements": with_statements,
        "facilitates": facilitates,
        "polling": _keeps_polling(conversation),
        "poll_seconds": POLL_SECONDS,
        "snapshot_id": snapshot.pk if snapshot else 0,
    }
    if snapshot is not None:
        context["constitution_version"] = _constitution_version(conversation, facilitates)
        context.update(results_view_model(snapshot, viewer.pk if viewer else None, with_statements))
    return context


@require_GET
def results(request, public_id: str):
    conversation, facilitates = _conversation_for(request, public_id)
    context = _context(request, conversation, facilitates)
    response = HttpResponse(render_to_string(TEMPLATE, context, request=request))
    response["ETag"] = _etag(context["snapshot_id"])
    return response


@require_GET
def results_poll(request, public_id: str):
    """Cheap while nothing changed: one conversation lookup, one snapshot id, two MAX queries."""
    conversation, facilitates = _conversation_for(request, public_id)
    if settings.CELERY_TASK_ALWAYS_EAGER and is_stale(conversation):
        analyse_conversation(conversation_id=conversation.pk)
    latest_id = AnalysisSnapshot.objects.values_list("id", flat=True).latest_for(conversation) or 0
    etag = _etag(latest_id)
    try:
        shown = int(request.GET.get("after", ""))
    except ValueError:
        shown = None
    unchanged = shown == latest_id or request.headers.get("If-None-Match") == etag
    if unchanged and _keeps_polling(conversation):
        if request.headers.get("If-None-Match") == etag:
            return HttpResponseNotModified(headers={"ETag": etag})
        return HttpResponse(status=HTTPStatus.NO_CONTENT, headers={"ETag": etag})
    context = _context(request, conversation, facilitates)
    html = render_to_string(TEMPLATE + "#results-content", context, request=request)
    # 286: htmx swaps this last content and stops polling.
    status = HTTPStatus.OK if context["polling"] else 286
    return HttpResponse(html, status=status, headers={"ETag": _etag(context["snapshot_id"])})


@require_GET
def status(request, public_id: str):
    """The facilitator's line about the analysis: running, queued, waiting, or up to date."""
    conversation = facilitated_conversation_or_404(request.user, public_id)
    state = analysis_status(conversation)
    html = render_to_string(
        STATUS_TEMPLATE,
        {
            "conversation": conversation,
            "analysis_status": state,
            # Without workers, a stale analysis runs when someone next opens the results.
            "runs_on_request": settings.CELERY_TASK_ALWAYS_EAGER,
            "latest": AnalysisSnapshot.objects.defer("result", "state").latest_for(conversation),
            "status_poll_seconds": STATUS_POLL_SECONDS,
        },
        request=request,
    )
    return HttpResponse(html)
