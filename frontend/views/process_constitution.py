"""The process record on constitution pages (issue 13): weighted verdicts and the facilitator's
decisions on flips, ratification rounds on a draft, and the participants' ratification page."""

from http import HTTPStatus

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from constitutions.models import ConstitutionVersion, RatificationRound
from constitutions.services.ratification import (
    close_ratification,
    open_ratification,
    open_round_for,
    ratifiable_principles,
    ratify,
)
from constitutions.services.weighted_consensus import decide_weighting, weighted_candidates
from core.errors import DomainError
from deliberation.access import facilitated_context_or_404
from deliberation.identity.cookie import current_participant
from deliberation.models import Conversation
from frontend.views.facilitate.common import action


def draft_process(version: ConstitutionVersion) -> dict:
    """What the draft page adds: candidates whose verdict flips, and the ratification rounds."""
    candidates = weighted_candidates(version=version)
    return {
        "flips": [c for c in candidates if c.flips],
        "candidates_count": len(candidates),
        "ratifications": RatificationRound.objects.filter(version=version).order_by("-id"),
    }


def _draft(request, slug, version_id):
    context = facilitated_context_or_404(request.user, slug)
    version = get_object_or_404(
        ConstitutionVersion, pk=version_id, constitution__context=context, published_at__isnull=True
    )
    return version


def _back(version):
    return redirect("frontend:constitution-draft", version.constitution.context.slug, version.pk)


@action
def weighting_decision(request, slug, version_id):
    version = _draft(request, slug, version_id)
    try:
        decide_weighting(
            version=version,
            actor=request.user,
            conversation=request.POST.get("conversation", ""),
            statement_id=int(request.POST.get("statement") or 0),
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("That decision is not possible.")))
        return _back(version)
    messages.success(request, _("Your decision is recorded."))
    return _back(version)


@action
def ratification(request, slug, version_id):
    """Open a ratification round on the draft, or close the open one."""
    version = _draft(request, slug, version_id)
    try:
        if request.POST.get("action") == "close":
            current = get_object_or_404(RatificationRound, version=version, closed_at__isnull=True)
            close_ratification(ratification=current)
            messages.success(request, _("The ratification is closed and its results are kept."))
        else:
            open_ratification(version=version, actor=request.user)
            messages.success(request, _("Participants can now ratify this draft."))
    except DomainError as error:
        messages.error(request, error.message)
    return _back(version)


@require_http_methods(["GET", "POST"])
def ratify_page(request, public_id: str):
    """A participant approves or rejects each principle and the whole text (phone-first)."""
    conversation = get_object_or_404(
        Conversation.objects.select_related("context").exclude(state=Conversation.State.DRAFT),
        public_id=public_id,
    )
    participant = current_participant(request, conversation)
    current = open_round_for(conversation)
    principles = list(ratifiable_principles(current.version)) if current else []
    page = {"conversation": conversation, "ratification": current, "principles": principles}
    if current is None or participant is None:
        page["error"] = (
            _("There is nothing to ratify in this conversation now.")
            if current is None
            else _("Only people who took part in this conversation can ratify its constitution.")
        )
        return render(
            request, "frontend/participate/ratify.html", page, status=HTTPStatus.NOT_FOUND
        )
    if request.method == "GET":
        return render(request, "frontend/participate/ratify.html", page)
    choices = {p.pk: request.POST.get(f"principle-{p.pk}") for p in principles}
    whole = request.POST.get("whole")
    if whole not in ("approve", "reject") or any(
        v not in (None, "", "approve", "reject") for v in choices.values()
    ):
        page["error"] = _("Please choose approve or reject for the whole text.")
        return render(
            request, "frontend/participate/ratify.html", page, status=HTTPStatus.BAD_REQUEST
        )
    try:
        ratify(
            ratification=current,
            participant=participant,
            approvals={pk: v == "approve" for pk, v in choices.items() if v},
            whole=whole == "approve",
        )
    except DomainError as error:
        page["error"] = error.message
        return render(request, "frontend/participate/ratify.html", page, status=error.status)
    page["done"] = True
    return render(request, "frontend/participate/ratify.html", page)
