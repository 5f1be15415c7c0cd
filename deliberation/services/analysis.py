"""Running the opinion analysis over a conversation and keeping its results as snapshots.

A snapshot is keyed by two watermarks: the highest `VoteEvent` id and the highest
`ModerationAction` id of the conversation (moderation, the meta flag and exclusions all write a
`ModerationAction`, so any change to the maths' input moves one of them). A conversation whose
watermarks are ahead of its latest snapshot is *stale*.

Locking: one run per conversation at a time.
- PostgreSQL: the whole run is one REPEATABLE READ transaction holding
  `pg_try_advisory_xact_lock(ANALYSIS_LOCK, conversation_id)`. The watermarks and the votes are read
  from the same database snapshot, so the stored watermarks describe the input exactly, and the lock
  goes away with the transaction even if the worker dies. The snapshot row is its only write.
- SQLite (the embedded default): a write transaction would block every vote for the length of the
  analysis, so the run reads in autocommit and the lock is a cache key taken with `cache.add`
  (atomic in the local-memory cache of the single embedded process). Watermarks are read before
  the votes, so a snapshot may include a vote newer than its watermark but never misses one below
  it: staleness errs towards one more run, never one fewer. Only the final INSERT is a transaction.
"""

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from deliberation import opinions
from deliberation.models import (
    AnalysisSnapshot,
    Conversation,
    ModerationAction,
    Participant,
    Statement,
    Vote,
    VoteEvent,
)

logger = logging.getLogger(__name__)

# First key of the two-int advisory lock: "PA" (Polity Analysis), so other users of advisory
# locks in the same database cannot collide with ours.
ANALYSIS_LOCK = 0x5041
# The cache lock outlives a crashed run by at most this long.
CACHE_LOCK_SECONDS = 15 * 60

MODERATION = {
    Statement.State.ACCEPTED: opinions.Moderation.ACCEPTED,
    Statement.State.PENDING: opinions.Moderation.UNMODERATED,
    Statement.State.REJECTED: opinions.Moderation.REJECTED,
}


@dataclass(frozen=True)
class Watermarks:
    votes: int
    moderation: int

    def covered_by(self, snapshot: AnalysisSnapshot | None) -> bool:
        if snapshot is None:
            return self.votes == 0 and self.moderation == 0
        return (
            self.votes <= snapshot.vote_watermark
            and self.moderation <= snapshot.moderation_watermark
        )


def current_watermarks(conversation_id: int) -> Watermarks:
    """Two index-only MAX lookups on (conversation, id)."""
    votes = VoteEvent.objects.filter(conversation_id=conversation_id).aggregate(top=Max("id"))
    actions = ModerationAction.objects.filter(conversation_id=conversation_id).aggregate(
        top=Max("id")
    )
    return Watermarks(votes=votes["top"] or 0, moderation=actions["top"] or 0)


def parameters_for(conversation: Conversation) -> opinions.Parameters:
    """Statements participants never see under strict moderation stay out of the maths."""
    return opinions.Parameters(
        strict_moderation=conversation.moderation == Conversation.Moderation.STRICT
    )


def analysis_input(conversation_id: int) -> opinions.Conversation:
    """The conversation as the engine sees it, read with a few column-only queries.

    `Vote` holds exactly one current row per (participant, statement), so times are not needed
    to pick the latest vote and are passed as zeros.
    """
    rows = Vote.objects.filter(conversation_id=conversation_id).values_list(
        "participant_id", "statement_id", "value"
    )
    table = np.fromiter(rows.iterator(chunk_size=20_000), dtype=np.dtype((np.int64, 3)))
    table = table.reshape(-1, 3)
    votes = opinions.VoteTable(
        participant_ids=table[:, 0],
        statement_ids=table[:, 1],
        values=table[:, 2],
        times=np.zeros(len(table)),
    )
    statements = [
        opinions.Statement(statement_id=pk, moderation=MODERATION[state], is_meta=is_meta)
        for pk, state, is_meta in Statement.objects.filter(
            conversation_id=conversation_id
        ).values_list("id", "state", "is_meta")
    ]
    excluded = Participant.objects.filter(
        conversation_id=conversation_id, excluded_at__isnull=False
    ).values_list("id", flat=True)
    return opinions.Conversation(
        votes=votes, statements=statements, excluded_participants=frozenset(excluded)
    )


def previous_state(conversation_id: int) -> opinions.State | None:
    """The latest snapshot's state. One written by another algorithm version hands on only
    who was in conversation (once in, always in) and their groups (names stay); its axes and k
    smoother may mean something else. Before any snapshot: who the platform a conversation was
    imported from had in conversation, and in which group."""
    state = AnalysisSnapshot.objects.values_list("state", flat=True).latest_for(conversation_id)
    if state:
        previous = opinions.State.from_dict(state)
        if previous.algorithm == opinions.ALGORITHM:
            return previous
        return opinions.State(
            algorithm=opinions.ALGORITHM,
            in_conversation=previous.in_conversation,
            groups=previous.groups,
        )
    carried = list(
        Participant.objects.filter(
            conversation_id=conversation_id, imported_group__isnull=False
        ).values_list("id", "imported_group")
    )
    if not carried:
        return None
    return opinions.State(
        algorithm=opinions.ALGORITHM,
        in_conversation=tuple(pk for pk, _ in carried),
        groups=tuple(group for _, group in carried),
    )


def is_stale(conversation: Conversation) -> bool:
    """Has anything the maths reads changed since the latest snapshot?"""
    latest = AnalysisSnapshot.objects.only("vote_watermark", "moderation_watermark").latest_for(
        conversation
    )
    return not current_watermarks(conversation.pk).covered_by(latest)


def running_key(conversation_id: int) -> str:
    return f"polity:analysis:running:{conversation_id}"


def queued_key(conversation_id: int) -> str:
    """Claimed by the sweep when it enqueues a run, cleared by the task (deliberation/tasks.py)."""
    return f"polity:analysis:queued:{conversation_id}"


def analysis_status(conversation: Conversation) -> str:
    """For the facilitator: "running", "queued", "stale" (waiting for the next sweep), "current"
    or "none" (nothing to analyse yet). The first two are cache hints; without a cache they are
    reported as "stale"."""
    try:
        hints = cache.get_many([running_key(conversation.pk), queued_key(conversation.pk)])
    except Exception:
        hints = {}
    if running_key(conversation.pk) in hints:
        return "running"
    if queued_key(conversation.pk) in hints:
        return "queued"
    latest = AnalysisSnapshot.objects.only("vote_watermark", "moderation_watermark").latest_for(
        conversation
    )
    watermarks = current_watermarks(conversation.pk)
    if watermarks.covered_by(latest):
        return "current" if latest is not None else "none"
    return "stale"


@contextmanager
def _run_lock(conversation_id: int):
    """Yield whether this run holds the conversation's lock; see the module docstring."""
    if connection.vendor == "postgresql":
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            with connection.cursor() as cursor:
                if outermost:
                    # Only allowed as the first statement of a transaction; inside an outer one
                    # (a test's) the outer isolation level stays.
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute(
                    "SELECT pg_try_advisory_xact_lock(%s, %s)", [ANALYSIS_LOCK, conversation_id]
                )
                acquired = bool(cursor.fetchone()[0])
            yield acquired
        return
    key = f"polity:analysis:lock:{conversation_id}"
    acquired = cache.add(key, 1, timeout=CACHE_LOCK_SECONDS)
    try:
        yield acquired
    finally:
        if acquired:
            cache.delete(key)


def analyse_conversation(*, conversation_id: int) -> AnalysisSnapshot | None:
    """Analyse a conversation and store the result, unless a snapshot covers it already.

    Returns the snapshot covering the current watermarks, or None when another run holds the
    conversation's lock (its result, or the next sweep, will cover the same input).
    Idempotent: for unchanged watermarks it returns the existing snapshot and writes nothing.
    """
    started = time.perf_counter()
    with _run_lock(conversation_id) as locked:
        if not locked:
            return None
        watermarks = current_watermarks(conversation_id)
        existing = AnalysisSnapshot.objects.filter(
            conversation_id=conversation_id,
            vote_watermark=watermarks.votes,
            moderation_watermark=watermarks.moderation,
        ).first()
        if existing is not None:
            return existing
        _mark_running(conversation_id, True)
        try:
            conversation = Conversation.objects.get(pk=conversation_id)
            parameters = parameters_for(conversation)
            engine_input = analysis_input(conversation_id)
            state = previous_state(conversation_id)
            loaded = time.perf_counter()
            analysis = opinions.analyse(engine_input, parameters=parameters, previous_state=state)
            analysed = time.perf_counter()
            result = analysis.to_dict()
            del result["state"]  # stored in its own column
            result["timings"] = {
                "load_seconds": loaded - started,
                "analyse_seconds": analysed - loaded,
            }
            with transaction.atomic():
                snapshot = AnalysisSnapshot.objects.create(
                    conversation_id=conversation_id,
                    vote_watermark=watermarks.votes,
                    moderation_watermark=watermarks.moderation,
                    algorithm=analysis.algorithm,
                    parameters=parameters.to_dict(),
                    result=result,
                    state=analysis.state.to_dict(),
                    participant_count=analysis.n_participants,
                    vote_count=analysis.n_votes,
                    seconds=time.perf_counter() - started,
                )
        finally:
            _mark_running(conversation_id, False)
    logger.info(
        "analysed conversation %s: %d votes in %.2f s",
        conversation_id,
        snapshot.vote_count,
        snapshot.seconds,
    )
    return snapshot


def _mark_running(conversation_id: int, running: bool) -> None:
    """A hint for the facilitator's status line; a cache outage only loses the hint."""
    try:
        if running:
            cache.set(running_key(conversation_id), 1, timeout=CACHE_LOCK_SECONDS)
        else:
            cache.delete(running_key(conversation_id))
    except Exception:
        logger.warning("analysis status of %s not recorded", conversation_id, exc_info=True)


@dataclass(frozen=True)
class StaleConversation:
    conversation_id: int
    vote_count: int  # votes at its latest snapshot, or now when it has none


def stale_conversations(*, debounce_seconds: int | None = None) -> list[StaleConversation]:
    """Conversations with votes whose watermarks are ahead of their latest snapshot, leaving out
    those analysed less than `debounce_seconds` ago (the next sweep takes them)."""
    if debounce_seconds is None:
        debounce_seconds = settings.POLITY_ANALYSIS_DEBOUNCE_SECONDS
    latest = AnalysisSnapshot.objects.newest_first(OuterRef("pk"))
    candidates = (
        Conversation.objects.annotate(
            vote_mark=Subquery(
                VoteEvent.objects.filter(conversation=OuterRef("pk"))
                .order_by("-id")
                .values("id")[:1]
            ),
            moderation_mark=Coalesce(
                Subquery(
                    ModerationAction.objects.filter(conversation=OuterRef("pk"))
                    .order_by("-id")
                    .values("id")[:1]
                ),
                0,
            ),
            snapshot_votes=Coalesce(Subquery(latest.values("vote_watermark")[:1]), -1),
            snapshot_moderation=Coalesce(Subquery(latest.values("moderation_watermark")[:1]), -1),
            snapshot_at=Subquery(latest.values("created_at")[:1]),
            snapshot_vote_count=Subquery(latest.values("vote_count")[:1]),
        )
        .filter(vote_mark__isnull=False)
        .values_list(
            "pk",
            "vote_mark",
            "moderation_mark",
            "snapshot_votes",
            "snapshot_moderation",
            "snapshot_at",
            "snapshot_vote_count",
        )
        .order_by("pk")
    )
    quiet_since = timezone.now() - timedelta(seconds=debounce_seconds)
    stale = []
    for pk, votes, moderation, seen_votes, seen_moderation, at, count in candidates:
        if votes <= seen_votes and moderation <= seen_moderation:
            continue
        if at is not None and at > quiet_since:
            continue
        if count is None:
            count = Vote.objects.filter(conversation_id=pk).count()
        stale.append(StaleConversation(conversation_id=pk, vote_count=count))
    return stale
