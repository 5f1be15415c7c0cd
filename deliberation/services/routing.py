"""Which statement a participant sees next, once an analysis exists.

Polis draws the next comment at random with probability proportional to its priority (its
`comment-priorities`, OPINION_MATH 1.11; computed by `deliberation.opinions.routing`). We do
the same with the latest snapshot's priorities, and keep Polis' habit of asking meta statements
(about the participant, not a norm) first. A statement newer than the snapshot has no priority
yet: it gets the highest priority of the snapshot, so fresh statements gather votes quickly, as
Polis' new-statement boost intends.

Without any snapshot, `deliberation.services.participation.choose_statement` (meta first, then
fewest seen) decides.
"""

import random

from django.db.models import QuerySet
from django.db.models.fields.json import KeyTransform

from deliberation.models import AnalysisSnapshot, Conversation, Statement

# When every known priority is zero, fresh statements still need a positive weight.
MINIMUM_DEFAULT_PRIORITY = 1.0


def latest_priorities(conversation: Conversation) -> dict[int, float] | None:
    """Statement id -> routing priority of the latest snapshot, for statements in its maths."""
    # Only the statements' part of the result: the participants' part of a big conversation is
    # megabytes, and this runs on every page that shows a statement to vote on.
    rows = list(
        AnalysisSnapshot.objects.filter(conversation=conversation)
        .order_by("-id")
        .values_list(KeyTransform("statements", "result"), flat=True)[:1]
    )
    if not rows:
        return None
    return {
        entry["statement_id"]: float(entry["priority"])
        for entry in rows[0] or ()
        if entry.get("in_maths") and not entry.get("is_meta")
    }


def draw_weighted(weights: list[tuple[int, float]], *, rng: random.Random) -> int | None:
    """One id drawn with probability proportional to its weight (ids in a fixed order, so a
    seeded `rng` always draws the same sequence)."""
    total = sum(weight for _, weight in weights)
    if total <= 0:
        return None
    point = rng.random() * total
    for statement_id, weight in weights:
        point -= weight
        if point < 0:
            return statement_id
    return weights[-1][0]  # floating-point remainder


def choose_by_priority(
    conversation: Conversation, candidates: QuerySet[Statement], *, seed: int | None = None
) -> Statement | None:
    """The next statement among `candidates` by the latest snapshot's priorities.

    Returns None when no snapshot exists yet (the caller falls back to fewest-seen) or nothing
    is left. Meta statements come first, oldest first; the rest are drawn at random in
    proportion to their priority; `seed` makes the draw reproducible.
    """
    priorities = latest_priorities(conversation)
    if priorities is None:
        return None
    rows = list(candidates.order_by("id").values_list("id", "is_meta"))
    if not rows:
        return None
    meta = [pk for pk, is_meta in rows if is_meta]
    if meta:
        return Statement.objects.get(pk=meta[0])
    default = max([*priorities.values(), MINIMUM_DEFAULT_PRIORITY])
    weights = [(pk, priorities.get(pk, default)) for pk, _ in rows]
    # Not for security: a participant may predict their own next statement without harm.
    rng = random.Random(seed)  # noqa: S311
    chosen = draw_weighted(weights, rng=rng)
    if chosen is None:  # every candidate had priority 0: treat them alike
        chosen = rows[rng.randrange(len(rows))][0]
    return Statement.objects.get(pk=chosen)
