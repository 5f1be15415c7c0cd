import threading

import pytest
from django.db import connection

from deliberation import opinions
from deliberation.models import AnalysisSnapshot, Statement, Vote
from deliberation.services import analysis
from deliberation.services.analysis import (
    analyse_conversation,
    analysis_input,
    current_watermarks,
    is_stale,
)
from deliberation.services.facilitation import exclude_participant, moderate_statement, set_meta
from deliberation.services.participation import cast_vote
from tests.factories import make_participant, make_statement


def vote_in_two_camps(conversation, statements, *, per_camp=12):
    """Two camps that disagree on every statement: camp A agrees with even ones, B with odd ones.
    Every fifth participant passes on the last statement so passes reach the maths too."""
    participants = []
    for i in range(2 * per_camp):
        participant = make_participant(conversation)
        camp = i % 2
        for j, statement in enumerate(statements):
            value = 1 if j % 2 == camp else -1
            if i % 5 == 0 and j == len(statements) - 1:
                value = 0
            cast_vote(participant=participant, statement_id=statement.pk, value=value)
        participants.append(participant)
    return participants


@pytest.fixture
def voted(conversation, statements):
    return vote_in_two_camps(conversation, statements)


def test_analyse_conversation_matches_the_engine_on_the_same_votes(conversation, statements, voted):
    snapshot = analyse_conversation(conversation_id=conversation.pk)

    votes = [
        opinions.Vote(p, s, v)
        for p, s, v in Vote.objects.filter(conversation=conversation).values_list(
            "participant_id", "statement_id", "value"
        )
    ]
    direct = opinions.analyse(
        opinions.Conversation(
            votes=opinions.VoteTable.from_votes(votes),
            statements=[opinions.Statement(s.pk) for s in statements],
        ),
        parameters=opinions.Parameters(strict_moderation=True),
    ).to_dict()
    stored = dict(snapshot.result)
    del stored["timings"]
    del direct["state"]
    assert stored == direct
    assert snapshot.result["group_k"] == 2
    assert snapshot.algorithm == opinions.ALGORITHM
    assert snapshot.parameters["strict_moderation"] is True
    assert snapshot.vote_count == len(votes)
    assert snapshot.participant_count == len(voted)
    assert snapshot.seconds > 0
    assert set(snapshot.result["timings"]) == {"load_seconds", "analyse_seconds"}


def test_analyse_conversation_records_the_watermarks_it_covers(conversation, voted):
    snapshot = analyse_conversation(conversation_id=conversation.pk)
    marks = current_watermarks(conversation.pk)
    assert (snapshot.vote_watermark, snapshot.moderation_watermark) == (
        marks.votes,
        marks.moderation,
    )
    assert marks.votes > 0


def test_analyse_conversation_is_idempotent_for_a_watermark(conversation, voted):
    first = analyse_conversation(conversation_id=conversation.pk)
    second = analyse_conversation(conversation_id=conversation.pk)
    assert second.pk == first.pk
    assert AnalysisSnapshot.objects.filter(conversation=conversation).count() == 1


def test_analyse_conversation_passes_its_state_to_the_next_run(conversation, statements, voted):
    first = analyse_conversation(conversation_id=conversation.pk)
    cast_vote(participant=make_participant(conversation), statement_id=statements[0].pk, value=1)
    second = analyse_conversation(conversation_id=conversation.pk)
    assert second.pk != first.pk
    assert analysis.previous_state(conversation.pk).to_dict() == second.state
    assert set(first.state["in_conversation"]) <= set(second.state["in_conversation"])


def test_a_state_from_another_algorithm_hands_on_who_was_in_and_their_groups(conversation, voted):
    first = analyse_conversation(conversation_id=conversation.pk)
    older = {**first.state, "algorithm": "polity-opinions/0.9", "group_k": 5}
    AnalysisSnapshot.objects.create(
        conversation=conversation,
        vote_watermark=first.vote_watermark + 1,
        moderation_watermark=first.moderation_watermark,
        algorithm="polity-opinions/0.9",
        parameters={},
        result={},
        state=older,
        participant_count=0,
        vote_count=0,
        seconds=0.0,
    )
    carried = analysis.previous_state(conversation.pk)
    assert carried.algorithm == opinions.ALGORITHM
    assert carried.in_conversation == tuple(first.state["in_conversation"])
    assert carried.groups == tuple(first.state["groups"])
    assert carried.group_k is None  # another version's smoother is not trusted
    assert carried.components == ()


def test_is_stale_after_a_new_vote(conversation, statements, voted):
    analyse_conversation(conversation_id=conversation.pk)
    assert not is_stale(conversation)
    cast_vote(participant=voted[0], statement_id=statements[0].pk, value=0)
    assert is_stale(conversation)


def test_is_stale_after_moderation(conversation, statements, voted, facilitator):
    analyse_conversation(conversation_id=conversation.pk)
    set_meta(statement=statements[1], actor=facilitator, is_meta=True)
    assert is_stale(conversation)


def test_is_stale_without_any_snapshot_only_when_something_happened(conversation):
    assert not is_stale(conversation)
    assert AnalysisSnapshot.objects.latest_for(conversation) is None


def test_analysis_input_leaves_out_excluded_participants_and_marks_statements(
    conversation, statements, voted, facilitator
):
    exclude_participant(participant=voted[0], actor=facilitator, reason="Spam")
    moderate_statement(statement=statements[2], actor=facilitator, accept=False, reason="Off topic")
    set_meta(statement=statements[3], actor=facilitator, is_meta=True)
    pending = make_statement(conversation, "Wait for it.", state=Statement.State.PENDING)

    engine_input = analysis_input(conversation.pk)

    assert engine_input.excluded_participants == {voted[0].pk}
    by_id = {s.statement_id: s for s in engine_input.statements}
    assert by_id[statements[2].pk].moderation == opinions.Moderation.REJECTED
    assert by_id[statements[3].pk].is_meta
    assert by_id[pending.pk].moderation == opinions.Moderation.UNMODERATED
    assert len(engine_input.votes) == Vote.objects.filter(conversation=conversation).count()


def test_analyse_conversation_keeps_excluded_and_moderated_out_of_the_maths(
    conversation, statements, voted, facilitator
):
    exclude_participant(participant=voted[0], actor=facilitator, reason="Spam")
    moderate_statement(statement=statements[2], actor=facilitator, accept=False, reason="Off topic")
    set_meta(statement=statements[3], actor=facilitator, is_meta=True)

    result = analyse_conversation(conversation_id=conversation.pk).result

    assert voted[0].pk not in {p["participant_id"] for p in result["participants"]}
    in_maths = {s["statement_id"]: s["in_maths"] for s in result["statements"]}
    assert in_maths[statements[2].pk] is False
    assert in_maths[statements[3].pk] is False
    assert in_maths[statements[0].pk] is True
    representative = {
        r["statement_id"] for group in result["groups"] for r in group["representative"]
    }
    assert not representative & {statements[2].pk, statements[3].pk}


def test_analyse_conversation_returns_none_while_another_run_holds_the_lock(
    conversation, voted, monkeypatch
):
    @analysis.contextmanager
    def held(conversation_id):
        yield False

    monkeypatch.setattr(analysis, "_run_lock", held)
    assert analyse_conversation(conversation_id=conversation.pk) is None
    assert not AnalysisSnapshot.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_analyse_conversation_concurrent_runs_write_one_snapshot(context, monkeypatch):
    """Two threads race on one conversation: one analyses, the other is turned away by the lock
    (PostgreSQL advisory lock, or the cache lock on SQLite)."""
    from tests.factories import make_conversation

    conversation = make_conversation(context)
    statements = [make_statement(conversation, f"Norm {i}.") for i in range(4)]
    vote_in_two_camps(conversation, statements, per_camp=5)

    inside, release = threading.Event(), threading.Event()
    real_analyse = opinions.analyse

    def slow_analyse(*args, **kwargs):
        inside.set()
        assert release.wait(10)
        return real_analyse(*args, **kwargs)

    monkeypatch.setattr(opinions, "analyse", slow_analyse)
    results = {}

    def run(name):
        try:
            results[name] = analyse_conversation(conversation_id=conversation.pk)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert inside.wait(10)
    run("second")  # while the first run is inside the engine
    release.set()
    first.join(10)

    assert results["second"] is None
    assert results["first"] is not None
    assert AnalysisSnapshot.objects.filter(conversation=conversation).count() == 1
