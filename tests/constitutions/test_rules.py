import pytest

from constitutions.evidence import GroupEvidence, StatementEvidence
from constitutions.models import Part
from constitutions.rules import SelectionRule, evaluate


def evidence(shares, *, seen=10, gic=0.0, bridging=0.0, contested=False, disagree=None):
    disagree = disagree or [0.0] * len(shares)
    groups = tuple(
        GroupEvidence(
            group=g,
            size=seen,
            agree=round(share * seen),
            disagree=round(d * seen),
            passes=seen - round(share * seen) - round(d * seen),
            seen=seen,
            agree_share=share,
            disagree_share=d,
        )
        for g, (share, d) in enumerate(zip(shares, disagree, strict=True))
    )
    return StatementEvidence(
        statement_id=1,
        text="x",
        conversation="c",
        snapshot_id=1,
        n_votes=seen * len(shares),
        n_agree=0,
        n_disagree=0,
        n_pass=0,
        groups=groups,
        gic=gic,
        gic_disagree=0.0,
        bridging=bridging,
        bridging_factor=0.0,
        contested=contested,
    )


@pytest.mark.parametrize(("groups", "threshold"), [(2, 0.70), (3, 0.47), (4, 0.32), (5, 0.24)])
def test_gic_threshold_depends_on_group_count(groups, threshold):
    rule = SelectionRule(rule="gic")
    assert rule.threshold_for(groups) == threshold
    assert evaluate(rule, evidence([0.9] * groups, gic=threshold + 0.01)).part == Part.CONSENSUS
    assert evaluate(rule, evidence([0.9] * groups, gic=threshold)).part != Part.CONSENSUS


def test_min_group_rule_takes_the_smallest_group_share():
    rule = SelectionRule(rule="min-group", threshold=0.6)
    assert evaluate(rule, evidence([0.9, 0.65])).part == Part.CONSENSUS
    assert evaluate(rule, evidence([0.9, 0.55])).part != Part.CONSENSUS


def test_bridging_rule_needs_score_above_040():
    rule = SelectionRule(rule="bridging")
    assert evaluate(rule, evidence([0.5, 0.5], bridging=0.41)).part == Part.CONSENSUS
    assert evaluate(rule, evidence([0.5, 0.5], bridging=0.40)).part is None


def test_min_votes_per_group_fails_thin_groups_with_reason():
    verdict = evaluate(SelectionRule(rule="gic", min_votes_per_group=11), evidence([1, 1], gic=0.9))
    assert verdict.part is None and "Too few votes" in verdict.reason


def test_group_specific_needs_support_and_no_opposition():
    rule = SelectionRule(rule="gic")
    supported = evaluate(rule, evidence([0.1, 0.8], gic=0.1))
    assert supported.part == Part.GROUP and supported.group == 1
    opposed = evaluate(rule, evidence([0.1, 0.8], gic=0.1, disagree=[0.5, 0.0]))
    assert opposed.part is None


def test_contested_statements_are_kept_apart():
    verdict = evaluate(SelectionRule(rule="gic"), evidence([0.9, 0.1], gic=0.1, contested=True))
    assert verdict.part == Part.CONTESTED


def test_selection_rule_round_trips_through_its_stored_form():
    rule = SelectionRule(rule="gic", threshold=0.5, min_votes_per_group=4)
    assert SelectionRule.from_dict(rule.to_dict()) == rule
