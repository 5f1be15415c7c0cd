"""The next statement once an analysis exists: drawn in proportion to the snapshot's priorities."""

import random
from collections import Counter

import pytest

from deliberation.models import AnalysisSnapshot, Statement
from deliberation.services.routing import draw_by_priority, draw_weighted, latest_priorities
from tests.factories import make_statement


def store_priorities(conversation, priorities: dict[int, float], *, mark=1):
    """A snapshot whose only content that matters here is each statement's priority."""
    return AnalysisSnapshot.objects.create(
        conversation=conversation,
        vote_watermark=mark,
        moderation_watermark=0,
        algorithm="test",
        parameters={},
        result={
            "statements": [
                {"statement_id": pk, "priority": value, "in_maths": True, "is_meta": False}
                for pk, value in priorities.items()
            ]
        },
        state={},
        participant_count=0,
        vote_count=0,
        seconds=0.0,
    )


def candidates(conversation):
    return Statement.objects.filter(conversation=conversation)


def choose_by_priority(conversation, pool, *, seed):
    """The statement of `pool` drawn by the latest snapshot's priorities; None before any."""
    priorities = latest_priorities(conversation)
    if priorities is None:
        return None
    rows = list(pool.order_by("id").values_list("id", "is_meta"))
    chosen = draw_by_priority(rows, priorities, seed=seed)
    return None if chosen is None else Statement.objects.get(pk=chosen)


def test_choose_by_priority_is_none_before_any_analysis(conversation, statements):
    assert choose_by_priority(conversation, candidates(conversation), seed=1) is None


def test_choose_by_priority_follows_the_priorities(conversation, statements):
    a, b, c = statements[:3]
    store_priorities(conversation, {a.pk: 1.0, b.pk: 2.0, c.pk: 7.0})
    pool = Statement.objects.filter(pk__in=[a.pk, b.pk, c.pk])
    draws = 800
    counts = Counter(choose_by_priority(conversation, pool, seed=seed).pk for seed in range(draws))
    expected = {a.pk: draws * 0.1, b.pk: draws * 0.2, c.pk: draws * 0.7}
    chi_square = sum((counts[pk] - e) ** 2 / e for pk, e in expected.items())
    # 2 degrees of freedom: P(chi2 > 13.8) = 0.001 for a correct sampler; seeds are fixed, so
    # this is a deterministic check that the draw is proportional, not a flaky one.
    assert chi_square < 13.8


def test_choose_by_priority_is_reproducible_with_a_seed(conversation, statements):
    store_priorities(conversation, {s.pk: float(i + 1) for i, s in enumerate(statements)})
    first = [choose_by_priority(conversation, candidates(conversation), seed=s) for s in range(20)]
    again = [choose_by_priority(conversation, candidates(conversation), seed=s) for s in range(20)]
    assert first == again
    assert len(set(first)) > 1


def test_choose_by_priority_never_draws_a_zero_priority_statement(conversation, statements):
    store_priorities(conversation, {s.pk: 0.0 for s in statements[1:]} | {statements[0].pk: 3.0})
    drawn = {choose_by_priority(conversation, candidates(conversation), seed=s) for s in range(50)}
    assert drawn == {statements[0]}


def test_choose_by_priority_asks_meta_statements_first(conversation, statements):
    store_priorities(conversation, {s.pk: 5.0 for s in statements})
    meta = make_statement(conversation, "I use the assistant at work.", is_meta=True)
    assert choose_by_priority(conversation, candidates(conversation), seed=3) == meta


def test_choose_by_priority_gives_new_statements_the_highest_priority(conversation, statements):
    store_priorities(conversation, {statements[0].pk: 1.0, statements[1].pk: 9.0})
    fresh = make_statement(conversation, "A statement written after the analysis.")
    pool = Statement.objects.filter(pk__in=[statements[0].pk, fresh.pk])
    counts = Counter(choose_by_priority(conversation, pool, seed=s).pk for s in range(400))
    assert counts[fresh.pk] / 400 == pytest.approx(0.9, abs=0.05)


def test_latest_priorities_reads_the_newest_snapshot(conversation, statements):
    store_priorities(conversation, {statements[0].pk: 1.0}, mark=1)
    store_priorities(conversation, {statements[0].pk: 4.0}, mark=2)
    assert latest_priorities(conversation) == {statements[0].pk: 4.0}


def test_draw_weighted_exact_sequence_with_a_seeded_rng():
    rng = random.Random(42)
    weights = [(1, 1.0), (2, 0.0), (3, 3.0)]
    sequence = [draw_weighted(weights, rng=rng) for _ in range(8)]
    check = random.Random(42)
    expected = [1 if check.random() * 4.0 < 1.0 else 3 for _ in range(8)]
    assert sequence == expected
    assert 2 not in sequence


def test_next_statement_for_uses_the_priorities_once_an_analysis_exists(
    conversation, statements, participant
):
    from deliberation.services.participation import next_statement_for

    # Fewest-seen would pick statements[0] (oldest, nobody has seen any); the snapshot says 4.
    store_priorities(conversation, {s.pk: 0.0 for s in statements[:4]} | {statements[4].pk: 1.0})
    assert next_statement_for(conversation, participant, seed=7) == statements[4]


def test_next_statement_for_draws_from_a_real_analysis_reproducibly(
    conversation, statements, participant
):
    from deliberation.services.analysis import analyse_conversation
    from deliberation.services.participation import next_statement_for
    from tests.deliberation.test_analysis_service import vote_in_two_camps

    vote_in_two_camps(conversation, statements, per_camp=4)
    analyse_conversation(conversation_id=conversation.pk)
    draws = [next_statement_for(conversation, participant, seed=s) for s in range(30)]
    assert draws == [next_statement_for(conversation, participant, seed=s) for s in range(30)]
    assert set(draws) <= set(statements)
