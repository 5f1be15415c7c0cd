from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from deliberation.demo import (
    DEMO_SLUG,
    GROUP_SHARES,
    PARTICIPANTS,
    SEED_STATEMENTS,
    load_demo,
    simulate_votes,
)
from deliberation.models import Context, Participant, Statement, Vote, VoteEvent


@pytest.fixture
def demo(db):
    return load_demo()


def test_load_demo_creates_open_conversation_with_seed_statements_and_votes(demo):
    assert demo.created
    assert demo.conversation.is_open
    seeds = Statement.objects.filter(conversation=demo.conversation, is_seed=True)
    assert seeds.filter(state=Statement.State.ACCEPTED).count() == len(SEED_STATEMENTS) >= 25
    assert Participant.objects.filter(conversation=demo.conversation).count() == PARTICIPANTS
    assert Vote.objects.filter(conversation=demo.conversation).count() > 10 * PARTICIPANTS
    assert demo.context.facilitators.filter(username=demo.facilitator_username).exists()


def test_load_demo_logs_one_event_per_current_vote(demo):
    # Simulated votes are never changed, so the event log and the current votes match one to one.
    votes = set(Vote.objects.values_list("participant_id", "statement_id", "value"))
    events = list(VoteEvent.objects.values_list("participant_id", "statement_id", "value"))
    assert len(events) == len(votes)
    assert set(events) == votes


def test_load_demo_leaves_participant_statements_waiting_for_moderation(demo):
    pending = Statement.objects.filter(
        conversation=demo.conversation, state=Statement.State.PENDING
    )
    assert pending.count() >= 1
    assert all(statement.author_id is not None for statement in pending)


def test_load_demo_twice_changes_nothing(demo):
    counts = (Context.objects.count(), Statement.objects.count(), Vote.objects.count())
    again = load_demo()
    assert not again.created
    assert again.conversation == demo.conversation
    assert again.facilitator_password is None
    assert (Context.objects.count(), Statement.objects.count(), Vote.objects.count()) == counts


def test_load_demo_password_works_and_a_new_one_replaces_it(demo, client):
    assert client.login(username=demo.facilitator_username, password=demo.facilitator_password)
    renewed = load_demo(new_password=True)
    assert renewed.facilitator_password != demo.facilitator_password
    assert not client.login(username=demo.facilitator_username, password=demo.facilitator_password)
    assert client.login(username=demo.facilitator_username, password=renewed.facilitator_password)


def test_simulate_votes_follows_each_groups_lean():
    leans = np.array([[0.9, 0.9, 0.9], [0.9, -0.9, 0.0]]).T  # statement 0: all agree; 1: split
    simulated = simulate_votes(leans, participants=600, shares=GROUP_SHARES, seed=1)
    assert set(np.unique(simulated.groups)) == {0, 1, 2}

    def agree_share(group: int, statement: int) -> float:
        mask = (simulated.groups[simulated.participant_index] == group) & (
            simulated.statement_index == statement
        )
        return float((simulated.values[mask] == 1).mean())

    assert all(agree_share(group, 0) > 0.7 for group in range(3))
    assert agree_share(0, 1) - agree_share(1, 1) > 0.6
    assert 0.3 < agree_share(2, 1) < 0.6


def test_simulate_votes_gives_each_participant_one_vote_per_statement_seen():
    leans = np.zeros((3, 30))
    simulated = simulate_votes(leans, participants=50, shares=GROUP_SHARES, seed=2)
    pairs = set(
        zip(simulated.participant_index.tolist(), simulated.statement_index.tolist(), strict=True)
    )
    assert len(pairs) == len(simulated.values)
    assert set(np.unique(simulated.values)) <= {-1, 0, 1}


def test_load_demo_command_prints_participant_url_and_login(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    conversation = Context.objects.get(slug=DEMO_SLUG).conversations.get()
    text = out.getvalue()
    assert conversation.get_absolute_url() in text
    assert "demo-facilitator" in text
    assert "password:" in text
