"""Raking against a case worked by hand, and Kish's effective sample size (issue 13)."""

import numpy as np
import pytest

from deliberation.opinions.weighting import kish, rake

# Ten people; age and region independent in the sample, so one pass of raking is exact and the
# weight of each cell is the product of its two margin ratios (target share / sample share):
#   young-north 0.5/0.8 * 0.6/0.5 = 0.75    young-south 0.5/0.8 * 0.4/0.5 = 0.5
#   old-north   0.5/0.2 * 0.6/0.5 = 3.0     old-south   0.5/0.2 * 0.4/0.5 = 2.0
SAMPLE = (
    [{"age": "young", "region": "north"}] * 4
    + [{"age": "young", "region": "south"}] * 4
    + [{"age": "old", "region": "north"}]
    + [{"age": "old", "region": "south"}]
)
TARGETS = {"age": {"young": 0.5, "old": 0.5}, "region": {"north": 0.6, "south": 0.4}}


def test_rake_matches_the_weights_worked_by_hand():
    raking = rake(SAMPLE, TARGETS)
    expected = [0.75] * 4 + [0.5] * 4 + [3.0, 2.0]
    assert raking.weights == pytest.approx(expected, abs=1e-6)
    assert raking.margins == ("age", "region")
    assert raking.unmet == ()


def test_rake_reports_kish_effective_sample_size_and_design_effect_by_hand():
    raking = rake(SAMPLE, TARGETS)
    # (sum w)^2 / sum w^2 = 100 / (4*0.5625 + 4*0.25 + 9 + 4) = 100 / 16.25
    assert raking.effective_n == pytest.approx(100 / 16.25)
    assert raking.design_effect == pytest.approx(1.625)


def test_rake_reports_a_target_category_nobody_is_in_and_fits_the_rest():
    targets = {"age": {"young": 0.4, "old": 0.4, "very-old": 0.2}, "region": TARGETS["region"]}
    raking = rake(SAMPLE, targets)
    assert [(m.question, m.category) for m in raking.unmet] == [("age", "very-old")]
    weights = np.asarray(raking.weights)
    young = weights[:8].sum() / weights.sum()
    assert young == pytest.approx(0.5, abs=1e-6)  # 0.4 / (0.4 + 0.4)


def test_rake_leaves_those_who_preferred_not_to_say_at_weight_one():
    raking = rake([*SAMPLE, {"age": None, "region": "north"}], TARGETS)
    assert raking.weights[-1] == pytest.approx(1.0)
    assert raking.weights[:10] == pytest.approx([0.75] * 4 + [0.5] * 4 + [3.0, 2.0], abs=1e-6)


def test_rake_without_targets_gives_everyone_weight_one():
    raking = rake(SAMPLE, {})
    assert raking.weights.tolist() == [1.0] * 10
    assert raking.effective_n == pytest.approx(10)


def test_kish_of_equal_weights_is_the_sample_size():
    assert kish(np.ones(7)) == pytest.approx((7.0, 1.0))


def test_rake_marks_who_was_raked():
    raking = rake([*SAMPLE, {"age": None, "region": "north"}], TARGETS)
    assert raking.raked.tolist() == [True] * 10 + [False]
