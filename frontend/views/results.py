"""The results of a conversation: opinion map, groups, consensus, bridging, contested statements.

The page is drawn from the latest `AnalysisSnapshot` only; it never waits for a new analysis,
except in the embedded default (tasks eager, no worker), where a request for stale results runs
the analysis first, so votes never wait for it and results are still current.

While the conversation is open (or its analysis stale) the content polls
`results-poll?after=<snapshot id>` every 10 s. The poll answers 204 (nothing swapped) while no
newer snapshot exists, 304 to an `If-None-Match` of the current ETag, the new content when there
is one, and 286 (htmx: stop polling) once the conversation is closed and fully analysed.
"""

import math
from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from constitutions.renderers.common import group_name as constitution_group_name
from deliberation.access import can_facilitate, facilitated_conversation_or_404
from deliberation.models import AnalysisSnapshot, Conversation
from deliberation.services.analysis import (
    analyse_conversation,
    analysis_status,
    is_stale,
    latest_snapshot,
)
from frontend.participant_cookie import current_participant

TEMPLATE = "frontend/results/page.html"
STATUS_TEMPLATE = "frontend/results/status.html"
POLL_SECONDS = 10
STATUS_POLL_SECONDS = 3
# Past this many participants the map shows base clusters (at most 100 discs sized by members)
# instead of one point per person, so the SVG stays small.
MAX_POINTS = 1500
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 480, 320, 24
# Statements listed per section; the snapshot keeps them all.
TOP = 5
# Statements drawn on the map when asked for: the ones that pull hardest; more would hide people.
MAP_STATEMENTS = 15
# Group i is drawn with the i-th shape and colour (results.css), so colour is never the only cue.
SHAPES = (_lazy("circle"), _lazy("square"), _lazy("triangle"), _lazy("diamond"), _lazy("cross"))


def group_name(index: int | None) -> str:
    if index is None:
        return _("not yet grouped")
    return constitution_group_name(index)


@dataclass(frozen=True)
class Bar:
    """One group's (or everyone's) votes on a statement, as widths of a 100-unit SVG bar."""

    label: str
    agree: int
    disagree: int
    passed: int
    seen: int

    @property
    def agree_width(self) -> int:
        return round(100 * self.agree / self.seen) if self.seen else 0

    @property
    def disagree_width(self) -> int:
        return round(100 * self.disagree / self.seen) if self.seen else 0

    @property
    def pass_width(self) -> int:
        return 100 - self.agree_width - self.disagree_width if self.seen else 0

    @property
    def pass_x(self) -> int:
        return self.agree_width + self.disagree_width


def _bars(entry: dict) -> list[Bar]:
    bars = [
        Bar(
            group_name(g["group"]),
            g["agree"],
            g["disagree"],
            g["seen"] - g["agree"] - g["disagree"],
            g["seen"],
        )
        for g in entry["groups"]
    ]
    bars.append(
        Bar(_("Everyone"), entry["n_agree"], entry["n_disagree"], entry["n_pass"], entry["n_votes"])
    )
    return bars


class _Scale:
    """Maps the analysis' 2-D coordinates into the SVG box, keeping the aspect ratio."""

    def __init__(self, points: list[tuple[float, float]]):
        xs = [x for x, _ in points] or [0.0]
        ys = [y for _, y in points] or [0.0]
        self.x0, self.y0 = min(xs), min(ys)
        width, height = max(max(xs) - self.x0, 1e-9), max(max(ys) - self.y0, 1e-9)
        self.k = min((MAP_WIDTH - 2 * MAP_MARGIN) / width, (MAP_HEIGHT - 2 * MAP_MARGIN) / height)
        self.dx = (MAP_WIDTH - width * self.k) / 2
        self.dy = (MAP_HEIGHT - height * self.k) / 2

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        # SVG's y axis points down; flip it so "up" in the analysis is up on the page.
        return (
            round(self.dx + (x - self.x0) * self.k, 1),
            round(MAP_HEIGHT - self.dy - (y - self.y0) * self.k, 1),
        )


def _map(result: dict, viewer_id: int | None, texts: dict | None = None) -> dict:
    """The SVG's content. With `texts` (statement id -> text) the statements are drawn too."""
    participants = result["participants"]
    statements = _biplot(result) if texts is not None else []
    # The box fits the statements too, so none is drawn outside it.
    scale = _Scale([(p["x"], p["y"]) for p in participants] + [(x, y) for _, x, y in statements])
    marks = []
    if len(participants) <= MAX_POINTS:
        for p in participants:
            x, y = scale(p["x"], p["y"])
            marks.append({"x": x, "y": y, "group": p["group"], "scale": 1})
    else:
        largest = max((b["size"] for b in result["base_clusters"]), default=1)
        for b in result["base_clusters"]:
            x, y = scale(b["x"], b["y"])
            # Area proportional to members: scale the marker by the square root.
            factor = round(1 + 3 * math.sqrt(b["size"] / largest), 2)
            marks.append({"x": x, "y": y, "group": b["group"], "scale": factor})
    labels = []
    for g in result["groups"]:
        x, y = scale(g["x"], g["y"])
        labels.append({"x": x, "y": y, "name": group_name(g["id"]), "group": g["id"]})
    you = None
    for p in participants:
        if p["participant_id"] == viewer_id:
            x, y = scale(p["x"], p["y"])
            you = {"x": x, "y": y, "group": p["group"], "group_name": group_name(p["group"])}
    drawn = []
    for number, (statement, x, y) in enumerate(statements, start=1):
        sx, sy = scale(x, y)
        text = texts.get(statement["statement_id"], "")
        drawn.append({"number": number, "text": text, "x": sx, "y": sy})
    return {
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        "marks": marks,
        "labels": labels,
        "you": you,
        "per_person": len(participants) <= MAX_POINTS,
        "statements": drawn,
    }


def _biplot(result: dict) -> list[tuple[dict, float, float]]:
    """The MAP_STATEMENTS most extreme statements as in a PCA biplot (Gabriel 1971): each at
    the direction where a participant agreeing with only it would land (Polis' statement
    projection), all shrunk by one factor so the farthest sits at the participants' own
    farthest distance from the centre. Directions and relative pull are kept; absolute
    distances are not, since one agree vote is scaled out far beyond where people are."""
    shown = sorted(
        (s for s in result["statements"] if s["in_maths"] and s["n_votes"] > 0),
        key=lambda s: (-s["extremity"], str(s["statement_id"])),
    )[:MAP_STATEMENTS]
    reach = max((math.hypot(p["x"], p["y"]) for p in result["participants"]), default=0.0)
    pull = max((math.hypot(s["x"], s["y"]) for s in shown), default=0.0)
    factor = reach / pull if pull > 0 else 0.0
    return [(s, s["x"] * factor, s["y"] * factor) for s in shown]


def results_view_model(
    snapshot: AnalysisSnapshot, viewer_id: int | None, with_statements: bool = False
) -> dict:
    """Everything the template shows, with statement texts looked up once."""
    result = snapshot.result
    texts = dict(snapshot.conversation.statements.values_list("id", "text"))
    by_id = {s["statement_id"]: s for s in result["statements"]}

    def statement(statement_id, **extra) -> dict:
        entry = by_id[statement_id]
        return {"id": statement_id, "text": texts.get(statement_id, ""), "bars": _bars(entry),
                "entry": entry, **extra}  # fmt: skip

    total = result["n_in_conversation"] or 1
    groups = [
        {
            "id": g["id"],
            "name": group_name(g["id"]),
            "shape": SHAPES[g["id"] % len(SHAPES)],
            "size": g["size"],
            "percent": round(100 * g["size"] / total),
            "x": round(g["x"], 2),
            "y": round(g["y"], 2),
            "representative": [
                statement(r["statement_id"], rep=r) for r in g["representative"][:TOP]
            ],
        }
        for g in result["groups"]
    ]
    bridging = sorted(
        (
            s
            for s in result["statements"]
            if s["in_maths"] and s["bridging_ratings"] >= result["parameters"]["bridging_min_votes"]
        ),
        key=lambda s: (-s["bridging_intercept"], s["statement_id"]),
    )[:TOP]
    return {
        "snapshot": snapshot,
        "result": result,
        "map": _map(result, viewer_id, texts if with_statements else None),
        "groups": groups,
        "majority_agree": [
            statement(m["statement_id"], m=m) for m in result["majority_agree"][:TOP]
        ],
        "majority_disagree": [
            statement(m["statement_id"], m=m) for m in result["majority_disagree"][:TOP]
        ],
        "consensus_agree": [
            statement(c["statement_id"], score=c["score"]) for c in result["consensus_agree"][:TOP]
        ],
        "consensus_disagree": [
            statement(c["statement_id"], score=c["score"])
            for c in result["consensus_disagree"][:TOP]
        ],
        "bridging": [statement(s["statement_id"]) for s in bridging],
        "contested": [
            statement(
                c["statement_id"],
                agreeing=[group_name(g) for g in c["agreeing_groups"]],
                disagreeing=[group_name(g) for g in c["disagreeing_groups"]],
            )
            for c in result["contested"][:TOP]
        ],
    }


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
    return latest_snapshot(conversation)


def _keeps_polling(conversation: Conversation) -> bool:
    return conversation.is_open or is_stale(conversation)


def _etag(snapshot_id: int) -> str:
    return f'"snapshot-{snapshot_id}"'


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
    latest_id = (
        AnalysisSnapshot.objects.filter(conversation=conversation)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    ) or 0
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
            "latest": AnalysisSnapshot.objects.filter(conversation=conversation)
            .order_by("-id")
            .defer("result", "state")
            .first(),
            "status_poll_seconds": STATUS_POLL_SECONDS,
        },
        request=request,
    )
    return HttpResponse(html)
