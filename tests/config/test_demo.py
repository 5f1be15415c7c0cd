"""The demo `make run` loads. Loading it costs seconds, so each test loads it once and checks a
whole behaviour (what it creates, that it is idempotent, the command's login)."""

import re
from http import HTTPStatus
from io import StringIO

import numpy as np
from django.core.management import call_command
from django.urls import reverse

from config.demo import (
    DEMO_FACILITATOR,
    DEMO_SLUG,
    GROUP_SHARES,
    PARTICIPANTS,
    SEED_STATEMENTS,
    load_demo,
    simulate_votes,
)
from constitutions.models import ConstitutionVersion
from deliberation.models import Context, Participant, Statement, Vote, VoteEvent


def test_load_demo_creates_a_voted_conversation_and_publishes_its_constitution(db, client):
    demo = load_demo()
    assert demo.created and demo.conversation.is_open
    seeds = Statement.objects.filter(conversation=demo.conversation, is_seed=True)
    assert seeds.filter(state=Statement.State.ACCEPTED).count() == len(SEED_STATEMENTS) >= 25
    pending = Statement.objects.filter(state=Statement.State.PENDING)
    assert pending.exists() and all(statement.author_id for statement in pending)
    assert Participant.objects.filter(conversation=demo.conversation).count() == PARTICIPANTS
    assert Vote.objects.filter(conversation=demo.conversation).count() > 10 * PARTICIPANTS
    # Simulated votes are never changed, so current votes and the event log match one to one.
    votes = set(Vote.objects.values_list("participant_id", "statement_id", "value"))
    events = list(VoteEvent.objects.values_list("participant_id", "statement_id", "value"))
    assert len(events) == len(votes) and set(events) == votes
    assert demo.context.facilitators.filter(username=DEMO_FACILITATOR).exists()

    version = demo.constitution_version
    assert version.is_published and version.number == "1.0.0"
    texts = set(version.principles.values_list("text", flat=True))
    assert "The assistant should say when it is unsure of an answer." in texts
    response = client.get(f"/api/v1/contexts/{DEMO_SLUG}/constitution/versions/latest/")
    assert response.status_code == 200
    assert response.json()["content_sha256"] == version.content_sha256


def test_load_demo_twice_changes_nothing(db):
    first = load_demo()
    counts = (Context.objects.count(), Statement.objects.count(), Vote.objects.count())
    again = load_demo()
    assert not again.created
    assert again.conversation == first.conversation
    assert again.facilitator_password is None
    assert again.constitution_version == first.constitution_version
    assert (Context.objects.count(), Statement.objects.count(), Vote.objects.count()) == counts
    assert ConstitutionVersion.objects.count() == 1


def _load_demo_command(*options: str) -> str:
    out = StringIO()
    call_command("load_demo", *options, stdout=out)
    return out.getvalue()


def _password(output: str) -> str | None:
    match = re.search(r"password:\s+(\S+)\s+\(shown only now\)", output)
    return match.group(1) if match else None


def test_load_demo_command_prints_the_urls_and_a_login_that_works(db, client):
    output = _load_demo_command()
    conversation = Context.objects.get(slug=DEMO_SLUG).conversations.get()
    assert conversation.get_absolute_url() in output
    assert f"/api/v1/contexts/{DEMO_SLUG}/constitution/versions/latest/" in output
    password = _password(output)
    assert client.login(username=DEMO_FACILITATOR, password=password)
    # The demo facilitator holds the role that creates contexts: the form opens, not a 403.
    assert client.get(reverse("frontend:facilitate-context-create")).status_code == HTTPStatus.OK

    assert _password(_load_demo_command()) is None  # never stored, so never shown again
    renewed = _password(_load_demo_command("--new-password"))
    assert renewed and renewed != password
    assert not client.login(username=DEMO_FACILITATOR, password=password)
    assert client.login(username=DEMO_FACILITATOR, password=renewed)


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
