"""Celery tasks of the deliberation domain: take ids, re-read the database, call a service.

Scheduling the analysis never touches the broker on the request path: a vote only writes its
`VoteEvent`, and the database is the outbox. Celery beat runs `polity.sweep_stale_analyses`
every few seconds (`CELERY_BEAT_SCHEDULE`); it finds conversations whose watermarks are ahead of
their latest snapshot and enqueues one analysis each.

- Debounced: a conversation analysed less than `POLITY_ANALYSIS_DEBOUNCE_SECONDS` ago waits for a
  later sweep, so a burst of votes costs one run, not one per vote.
- Coalesced: enqueuing first claims the cache key `queued_key(id)` with `cache.add`, which only
  one caller can win; the analysis task clears it when done, and its TTL frees it if a worker
  dies. At most one analysis per conversation sits in the queue (and the facilitator's status
  line reads the same key to say "queued").
- Large conversations never delay small ones: a conversation with more than
  `POLITY_ANALYSIS_LARGE_VOTES` votes goes to the `analysis-large` queue, everything else to
  `default`. Run one worker per queue so a long run can only ever occupy the large worker:

      celery -A config worker -B -Q default -c 2          # sweeps and small analyses
      celery -A config worker -Q analysis-large -c 1      # big conversations, one at a time

  (A single `-Q default,analysis-large -c 2` worker also works but two big runs could then take
  both processes.)

In the embedded default (no Redis, tasks eager, no beat) nothing sweeps: the results page runs
the analysis when results are requested and stale, so voting never waits for it.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from deliberation.services.analysis import analyse_conversation, queued_key, stale_conversations

logger = logging.getLogger(__name__)

LARGE_QUEUE = "analysis-large"


def queue_for(vote_count: int) -> str:
    if vote_count > settings.POLITY_ANALYSIS_LARGE_VOTES:
        return LARGE_QUEUE
    return settings.CELERY_TASK_DEFAULT_QUEUE


@shared_task(name="polity.analyse_conversation", ignore_result=True)
def analyse_conversation_task(conversation_id: int) -> int | None:
    """Returns the id of the snapshot covering the conversation, if this run got the lock."""
    try:
        snapshot = analyse_conversation(conversation_id=conversation_id)
    finally:
        cache.delete(queued_key(conversation_id))
    return snapshot.pk if snapshot is not None else None


@shared_task(name="polity.sweep_stale_analyses", ignore_result=True)
def sweep_stale_analyses() -> list[int]:
    """Enqueue one analysis per stale conversation not already queued; returns their ids."""
    enqueued = []
    for stale in stale_conversations():
        key = queued_key(stale.conversation_id)
        # A task lost with its worker (killed before it acked) leaves this claim behind; once
        # it expires the next sweep queues the analysis again. A duplicate is harmless:
        # analyses are idempotent per watermark and locked per conversation.
        if not cache.add(key, 1, timeout=settings.POLITY_ANALYSIS_REQUEUE_SECONDS):
            continue
        try:
            analyse_conversation_task.apply_async(
                args=[stale.conversation_id], queue=queue_for(stale.vote_count)
            )
        except Exception:
            cache.delete(key)  # let the next sweep try again
            raise
        enqueued.append(stale.conversation_id)
    if enqueued:
        logger.info("queued analyses of conversations %s", enqueued)
    return enqueued
