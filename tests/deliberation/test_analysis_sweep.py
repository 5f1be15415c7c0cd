"""The beat sweep: one analysis queued per stale conversation, debounced, big ones apart."""

import pytest
from django.core.cache import cache

from deliberation import tasks
from deliberation.models import AnalysisSnapshot
from deliberation.services.analysis import analyse_conversation, queued_key
from deliberation.services.participation import cast_vote
from tests.deliberation.test_analysis_service import vote_in_two_camps
from tests.factories import make_conversation, make_participant, make_statement


@pytest.fixture
def enqueued(monkeypatch):
    """Record what the sweep sends to the broker instead of sending it."""
    calls = []

    def apply_async(args, queue):
        calls.append((args[0], queue))

    monkeypatch.setattr(tasks.analyse_conversation_task, "apply_async", apply_async)
    return calls


@pytest.fixture
def no_debounce(settings):
    settings.POLITY_ANALYSIS_DEBOUNCE_SECONDS = 0


def conversation_with_votes(context, topic, *, voters=3):
    conversation = make_conversation(context, topic=topic)
    statement = make_statement(conversation, f"A norm for {topic}.")
    for _ in range(voters):
        cast_vote(participant=make_participant(conversation), statement_id=statement.pk, value=1)
    return conversation, statement


def test_sweep_stale_analyses_enqueues_only_stale_conversations(context, enqueued, no_debounce):
    current, _ = conversation_with_votes(context, "current")
    analyse_conversation(conversation_id=current.pk)
    stale, _ = conversation_with_votes(context, "stale")
    make_conversation(context, topic="silent")  # nobody voted: nothing to analyse

    assert tasks.sweep_stale_analyses() == [stale.pk]
    assert enqueued == [(stale.pk, "default")]


def test_sweep_stale_analyses_enqueues_a_conversation_once_while_queued(
    context, enqueued, no_debounce
):
    stale, _ = conversation_with_votes(context, "stale")
    tasks.sweep_stale_analyses()
    tasks.sweep_stale_analyses()
    assert enqueued == [(stale.pk, "default")]


def test_sweep_stale_analyses_waits_for_the_debounce(context, enqueued, settings):
    settings.POLITY_ANALYSIS_DEBOUNCE_SECONDS = 60
    conversation, statement = conversation_with_votes(context, "busy")
    analyse_conversation(conversation_id=conversation.pk)
    cast_vote(participant=make_participant(conversation), statement_id=statement.pk, value=-1)

    assert tasks.sweep_stale_analyses() == []
    settings.POLITY_ANALYSIS_DEBOUNCE_SECONDS = 0
    assert tasks.sweep_stale_analyses() == [conversation.pk]


def test_sweep_stale_analyses_never_debounces_a_first_analysis(context, enqueued, settings):
    settings.POLITY_ANALYSIS_DEBOUNCE_SECONDS = 60
    conversation, _ = conversation_with_votes(context, "new")
    assert tasks.sweep_stale_analyses() == [conversation.pk]


def test_sweep_stale_analyses_sends_large_conversations_to_their_own_queue(
    context, enqueued, no_debounce, settings
):
    settings.POLITY_ANALYSIS_LARGE_VOTES = 4
    small, _ = conversation_with_votes(context, "small", voters=2)
    large, _ = conversation_with_votes(context, "large", voters=5)
    tasks.sweep_stale_analyses()
    assert sorted(enqueued) == sorted([(small.pk, "default"), (large.pk, "analysis-large")])


def test_sweep_stale_analyses_frees_the_claim_when_the_broker_fails(
    context, monkeypatch, no_debounce
):
    stale, _ = conversation_with_votes(context, "stale")

    def broker_down(args, queue):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.analyse_conversation_task, "apply_async", broker_down)
    with pytest.raises(ConnectionError):
        tasks.sweep_stale_analyses()
    assert cache.get(queued_key(stale.pk)) is None


def test_analyse_conversation_task_writes_the_snapshot_and_clears_the_claim(
    conversation, statements
):
    vote_in_two_camps(conversation, statements, per_camp=4)
    cache.set(queued_key(conversation.pk), 1)
    snapshot_id = tasks.analyse_conversation_task(conversation.pk)
    assert AnalysisSnapshot.objects.get(conversation=conversation).pk == snapshot_id
    assert cache.get(queued_key(conversation.pk)) is None
    assert tasks.analyse_conversation_task(conversation.pk) == snapshot_id  # idempotent
