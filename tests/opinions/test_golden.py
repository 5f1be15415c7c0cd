"""Polis' own math output on five fixtures: given its groups, our statistics equal its numbers."""

import numpy as np
import pytest

from deliberation.opinions import Parameters
from deliberation.opinions.matrix import build_matrix
from deliberation.opinions.repness import (
    group_informed_consensus,
    group_tallies,
    majority,
    representative,
)

from .polis_fixtures import fixture_names, load_fixture, polis_groups


def _setup(name):
    conversation, math = load_fixture(name)
    matrix = build_matrix(conversation, Parameters())
    groups = polis_groups(math)
    group_ids = sorted(set(groups.values()))
    in_conv = set(math["in-conv"])
    group_of_row = np.array(
        [
            group_ids.index(groups[p]) if p in groups and p in in_conv else -1
            for p in matrix.participant_ids.tolist()
        ]
    )
    tallies = group_tallies(matrix, group_of_row, len(group_ids))
    return matrix, math, group_ids, tallies


def _column(matrix, statement_id):
    return matrix.statement_ids.tolist().index(int(statement_id))


@pytest.mark.parametrize("name", fixture_names())
def test_group_tallies_equal_polis_group_votes(name):
    matrix, math, group_ids, tallies = _setup(name)
    for g, group in enumerate(group_ids):
        for sid, counts in math["group-votes"][str(group)]["votes"].items():
            j = _column(matrix, sid)
            ours = (tallies.agree[g, j], tallies.disagree[g, j], tallies.seen[g, j])
            assert ours == (counts["A"], counts["D"], counts["S"]), (group, sid)


@pytest.mark.parametrize("name", fixture_names())
def test_representative_statements_equal_polis_repness(name):
    matrix, math, group_ids, tallies = _setup(name)
    ours = representative(tallies, matrix.in_maths, z=1.2816, top=5)
    for g, group in enumerate(group_ids):
        theirs = math["repness"][str(group)]
        assert [(int(matrix.statement_ids[e["column"]]), e["direction"]) for e in ours[g]] == [
            (e["tid"], e["repful-for"]) for e in theirs
        ]
        for mine, polis in zip(ours[g], theirs, strict=True):
            assert mine["best_agree"] == bool(polis.get("best-agree", False))
            assert mine["n_success"] == polis["n-success"]
            assert mine["n_trials"] == polis["n-trials"]
            assert mine["p_success"] == pytest.approx(polis["p-success"], abs=1e-12)
            assert mine["repness"] == pytest.approx(polis["repness"], abs=1e-9)
            assert mine["repness_test"] == pytest.approx(polis["repness-test"], abs=1e-5)


@pytest.mark.parametrize("name", fixture_names())
def test_majority_equals_polis_consensus(name):
    matrix, math, _, _ = _setup(name)
    ours = majority(matrix, z=1.2816, top=5)
    for direction in ("agree", "disagree"):
        theirs = math["consensus"][direction]
        assert [int(matrix.statement_ids[e["column"]]) for e in ours[direction]] == [
            e["tid"] for e in theirs
        ]
        for mine, polis in zip(ours[direction], theirs, strict=True):
            assert (mine["n_success"], mine["n_trials"]) == (polis["n-success"], polis["n-trials"])
            assert mine["p_test"] == pytest.approx(polis["p-test"], abs=1e-12)


@pytest.mark.parametrize("name", fixture_names())
def test_group_informed_consensus_equals_polis(name):
    matrix, math, _, tallies = _setup(name)
    agree, _ = group_informed_consensus(tallies)
    for sid, value in math["group-aware-consensus"].items():
        assert abs(agree[_column(matrix, sid)] - value) <= 1e-12
