import json
import math

import numpy as np
import pytest

from deliberation.opinions import (
    Conversation,
    Moderation,
    Parameters,
    State,
    Statement,
    Vote,
    VoteTable,
    analyse,
    synthetic_conversation,
)


def _dump(analysis):
    return json.dumps(analysis.to_dict(), sort_keys=True)


def _small(seed=3, n=300, m=40, groups=2):
    return synthetic_conversation(n, m, groups, 0.4, seed).conversation


@pytest.mark.parametrize("mode", ["polity", "polis"])
def test_analyse_is_byte_identical_on_identical_input(mode):
    conversation = _small()
    parameters = Parameters(mode=mode)
    assert _dump(analyse(conversation, parameters=parameters)) == _dump(
        analyse(conversation, parameters=parameters)
    )


def test_analyse_records_algorithm_and_parameters():
    data = analyse(_small(), parameters=Parameters(seed=7)).to_dict()
    assert data["algorithm"].startswith("polity-opinions/")
    assert data["parameters"]["seed"] == 7
    assert data["parameters"]["mode"] == "polity"


def test_state_round_trips_through_plain_dicts():
    analysis = analyse(_small())
    plain = json.loads(json.dumps(analysis.state.to_dict()))
    restored = State.from_dict(plain)
    assert restored == analysis.state
    again = analyse(_small(), previous_state=restored)
    assert _dump(again) == _dump(analyse(_small(), previous_state=analysis.state))


def test_state_keeps_participants_in_conversation_once_in():
    conversation = _small()
    state = analyse(conversation).state
    first = state.in_conversation[0]
    table = conversation.votes
    keep = table.participant_ids != first
    few = np.flatnonzero(~keep)[:2]  # leave the participant with only two votes
    keep[few] = True
    thinner = Conversation(
        VoteTable(
            table.participant_ids[keep],
            table.statement_ids[keep],
            table.values[keep],
            table.times[keep],
        ),
        conversation.statements,
    )
    fresh = {p.participant_id: p.in_conversation for p in analyse(thinner).participants}
    kept = {
        p.participant_id: p.in_conversation
        for p in analyse(thinner, previous_state=state).participants
    }
    assert fresh[first] is False
    assert kept[first] is True


def test_group_k_smoother_waits_four_runs_before_switching():
    conversation = _small(groups=3, n=600)
    best = analyse(conversation).group_k
    forced = State.from_dict({**analyse(conversation).state.to_dict(), "group_k": 2})
    assert best != 2
    state, seen = forced, []
    for _ in range(4):
        result = analyse(conversation, previous_state=state)
        seen.append(result.group_k)
        state = result.state
    assert seen == [2, 2, 2, best]


def _participants(planted, keep):
    table = planted.conversation.votes
    rows = np.isin(table.participant_ids, planted.participant_ids[keep])
    return Conversation(
        VoteTable(
            table.participant_ids[rows],
            table.statement_ids[rows],
            table.values[rows],
            table.times[rows],
        ),
        planted.conversation.statements,
    )


def _group_of_planted(analysis, planted, which):
    groups = {p.participant_id: p.group for p in analysis.participants}
    found = [groups.get(p) for p in planted.participant_ids[planted.truth == which]]
    return max(set(found) - {None}, key=found.count)


def test_groups_keep_their_numbers_when_another_group_grows_larger():
    planted = synthetic_conversation(400, 40, 2, 0.4, 5)
    first_half = np.arange(400) < 200
    # First run: all of planted group 0 but only some of group 1, so group 0 is larger.
    before = analyse(_participants(planted, (planted.truth == 0) | first_half))
    # Then group 1 grows past it.
    everyone = _participants(planted, (planted.truth == 1) | first_half)
    fresh = analyse(everyone)
    carried = analyse(everyone, previous_state=before.state)
    assert _group_of_planted(before, planted, 0) == 0
    assert _group_of_planted(fresh, planted, 0) == 1  # numbered by size, largest first
    assert _group_of_planted(carried, planted, 0) == 0
    assert sorted(g.id for g in carried.groups) == [0, 1]
    assert carried.state.groups == tuple(p.group for p in carried.participants if p.in_conversation)


def test_a_new_group_takes_the_free_number_and_the_others_keep_theirs():
    conversation = _small(groups=3, n=600)
    state = State.from_dict({**analyse(conversation).state.to_dict(), "group_k": 2})
    runs = []
    for _ in range(4):  # the smoother holds k = 2 for three runs, then switches to 3
        runs.append(analyse(conversation, previous_state=state))
        state = runs[-1].state
    two, three = runs[2], runs[3]
    assert (two.group_k, three.group_k) == (2, 3)
    before = {p.participant_id: p.group for p in two.participants if p.group is not None}
    after = {p.participant_id: p.group for p in three.participants if p.group is not None}
    kept = sum(after[p] == before[p] for p in after)
    assert kept > len(after) / 2  # most stay under their number, none is renamed
    newcomers = [after[p] for p in after if after[p] != before[p]]
    assert max(set(newcomers), key=newcomers.count) == 2


def test_components_keep_their_orientation_across_runs():
    conversation = _small()
    first = analyse(conversation)
    flipped = State.from_dict(
        {
            **first.state.to_dict(),
            "components": [[-x for x in c] for c in first.state.to_dict()["components"]],
        }
    )
    second = analyse(conversation, previous_state=flipped)
    assert [p.x for p in second.participants] == [-p.x for p in first.participants]


def test_excluded_participants_votes_change_nothing():
    conversation = _small()
    excluded = frozenset({0, 1, 2})
    table = conversation.votes
    changed = table.values.copy()
    mask = np.isin(table.participant_ids, list(excluded))
    changed[mask] = -changed[mask]
    other = VoteTable(table.participant_ids, table.statement_ids, changed, table.times)
    a = analyse(Conversation(table, conversation.statements, excluded))
    b = analyse(Conversation(other, conversation.statements, excluded))
    assert _dump(a) == _dump(b)
    assert not excluded & {p.participant_id for p in a.participants}


@pytest.mark.parametrize("flag", ["rejected", "meta"])
def test_moderated_out_statements_do_not_shape_the_map(flag):
    conversation = _small()
    table = conversation.votes
    target = 5
    statements = [
        Statement(
            s.statement_id,
            Moderation.REJECTED if flag == "rejected" else s.moderation,
            is_meta=flag == "meta",
        )
        if s.statement_id == target
        else s
        for s in conversation.statements
    ]
    changed = table.values.copy()
    changed[table.statement_ids == target] *= -1
    other = VoteTable(table.participant_ids, table.statement_ids, changed, table.times)
    a = analyse(Conversation(table, statements))
    b = analyse(Conversation(other, statements))
    assert [p.group for p in a.participants] == [p.group for p in b.participants]
    assert [p.x for p in a.participants] == [p.x for p in b.participants]
    result = a.to_dict()
    listed = {r["statement_id"] for g in result["groups"] for r in g["representative"]}
    listed |= {r["statement_id"] for r in result["majority_agree"] + result["majority_disagree"]}
    assert target not in listed
    row = next(s for s in result["statements"] if s["statement_id"] == target)
    assert row["in_maths"] is False
    assert row["priority"] == (49.0 if flag == "meta" else 0.0)


def test_latest_vote_per_pair_wins():
    votes = [
        Vote("ann", "s1", 1, time=2.0),
        Vote("ann", "s1", -1, time=1.0),
        Vote("bob", "s1", 0, time=1.0),
        Vote("bob", "s1", 1, time=1.0),
    ]
    data = analyse(Conversation(VoteTable.from_votes(votes), [Statement("s1")])).to_dict()
    row = data["statements"][0]
    assert (row["n_agree"], row["n_disagree"], row["n_pass"]) == (2, 0, 0)
    assert {p["participant_id"] for p in data["participants"]} == {"ann", "bob"}


def _finite(value):
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


@pytest.mark.parametrize(
    "votes, statements",
    [
        ([], []),
        ([], [Statement(1)]),
        ([Vote(1, 1, 1)], [Statement(1)]),
        ([Vote(p, s, 0) for p in range(30) for s in range(10)], [Statement(s) for s in range(10)]),
        ([Vote(p, 0, 1 if p % 2 else -1) for p in range(40)], [Statement(0)]),
        ([Vote(p, 0, 1) for p in range(3)], [Statement(0, Moderation.REJECTED)]),
    ],
    ids=["empty", "no-votes", "one-participant", "all-passes", "one-statement", "all-rejected"],
)
def test_analyse_handles_degenerate_conversations(votes, statements):
    result = analyse(Conversation(VoteTable.from_votes(votes), statements))
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert _finite(data)
    assert data["n_votes"] == len({(v.participant_id, v.statement_id) for v in votes})
