"""Which statement a participant sees next.

Once an analysis exists, Polis draws the next comment at random with probability proportional
to its priority (its `comment-priorities`, OPINION_MATH 1.11; computed by
`deliberation.opinions.routing`). We do the same with the latest snapshot's priorities, and keep
Polis' habit of asking meta statements (about the participant, not a norm) first. A statement
newer than the snapshot has no priority yet: it gets the highest priority of the snapshot, so
fresh statements gather votes quickly, as Polis' new-statement boost intends.

Before any snapshot exists, `choose_fewest_seen` decides: meta first, then fewest seen.

This runs on every vote, so the choosing functions work on plain (id, is_meta) rows that the
caller has read once, and a snapshot's priorities are read from the database once per process.
"""

import random
from collections.abc import Sequence
from functools import lru_cache

from django.db.models import Count
from django.db.models.fields.json import KeyTransform

from deliberation.models import AnalysisSnapshot, Conversation, Vote
from deliberation.readers import latest_snapshot_key

# When every known priority is zero, fresh statements still need a positive weight.
MINIMUM_DEFAULT_PRIORITY = 1.0

# (statement id, is_meta), in increasing id order.
Row = tuple[int, bool]


@lru_cache(maxsize=256)
def snapshot_priorities(snapshot_id: int, created_at: object) -> dict[int, float]:
    """Statement id -> routing priority in one snapshot, for statements in its maths.

    Cached per process: a snapshot is never changed once written, so its priorities never go
    stale. The key holds the creation time too, because an id can come back (SQLite reuses the
    ids of rolled-back rows; a restored backup may hold other snapshots under the same ids).
    """
    # Only the statements' part of the result: the participants' part of a big conversation is
    # megabytes.
    statements = (
        AnalysisSnapshot.objects.filter(pk=snapshot_id)
        .values_list(KeyTransform("statements", "result"), flat=True)
        .first()
    )
    return {
        entry["statement_id"]: float(entry["priority"])
        for entry in statements or ()
        if entry.get("in_maths") and not entry.get("is_meta")
    }


def latest_priorities(conversation: Conversation) -> dict[int, float] | None:
    """The latest snapshot's priorities, or None when the conversation has no snapshot yet."""
    key = latest_snapshot_key(conversation)
    return None if key is None else snapshot_priorities(*key)


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


def draw_by_priority(
    rows: Sequence[Row], priorities: dict[int, float], *, seed: int | None = None
) -> int | None:
    """The id of the next statement among `rows` (in id order) by `priorities`, or None if
    `rows` is empty. Meta statements come first, oldest first; the rest are drawn at random in
    proportion to their priority; `seed` makes the draw reproducible."""
    if not rows:
        return None
    meta = [pk for pk, is_meta in rows if is_meta]
    if meta:
        return meta[0]
    default = max([*priorities.values(), MINIMUM_DEFAULT_PRIORITY])
    weights = [(pk, priorities.get(pk, default)) for pk, _ in rows]
    # Not for security: a participant may predict their own next statement without harm.
    rng = random.Random(seed)  # noqa: S311
    chosen = draw_weighted(weights, rng=rng)
    if chosen is None:  # every candidate had priority 0: treat them alike
        chosen = rows[rng.randrange(len(rows))][0]
    return chosen


def seen_counts(conversation: Conversation) -> dict[int, int]:
    """Statement id -> how many participants have voted on it (one grouped, indexed query)."""
    rows = (
        Vote.objects.filter(conversation=conversation)
        .order_by()
        .values_list("statement_id")
        .annotate(seen=Count("id"))
    )
    return dict(rows)


def choose_fewest_seen(rows: Sequence[Row], seen: dict[int, int]) -> int | None:
    """The rule until an analysis exists: meta statements first (as Polis shows them early),
    then the statement fewest people have seen, so new statements gather votes; ties go to the
    oldest. None if `rows` is empty."""
    if not rows:
        return None
    return min(rows, key=lambda row: (not row[1], seen.get(row[0], 0), row[0]))[0]


def choose_next_id(
    conversation: Conversation, rows: Sequence[Row], *, seed: int | None = None
) -> int | None:
    """The id of the statement to show next among `rows` (in id order), or None if empty."""
    if not rows:
        return None
    priorities = latest_priorities(conversation)
    if priorities is None:
        return choose_fewest_seen(rows, seen_counts(conversation))
    return draw_by_priority(rows, priorities, seed=seed)
