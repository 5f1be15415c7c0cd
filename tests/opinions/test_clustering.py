import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from deliberation.opinions import clustering
from deliberation.opinions.clustering import adjusted_rand_index, consensus_partition
from deliberation.opinions.grouping import _group_dimensions


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_adjusted_rand_index_equals_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 3, 500)
    b = np.where(rng.random(500) < 0.7, a, rng.integers(0, 4, 500))
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b), abs=1e-12)


def test_adjusted_rand_index_ignores_group_numbering():
    a = np.array([0, 0, 1, 1, 2, 2])
    assert adjusted_rand_index(a, (a + 1) % 3) == 1.0


def test_consensus_partition_keeps_the_answer_most_near_equal_fits_agree_with():
    shared = np.array([0] * 50 + [1] * 50)
    lowest = shared.copy()
    lowest[45:55] = 1 - lowest[45:55]  # marginally lowest inertia, off by ten participants
    nearly = shared.copy()
    nearly[49] = 1
    candidates = [(100.00, lowest), (100.05, shared), (100.06, nearly), (100.07, shared)]
    assert np.array_equal(consensus_partition(candidates, 0.001), shared)


def test_consensus_partition_ignores_clearly_worse_fits():
    best = np.array([0] * 50 + [1] * 50)
    worse = np.array([0, 1] * 50)
    candidates = [(100.0, best), (120.0, worse), (121.0, worse), (122.0, worse)]
    assert np.array_equal(consensus_partition(candidates, 0.001), best)


@pytest.mark.parametrize(
    ("supported", "k", "expected"), [(4, 2, 2), (3, 3, 2), (3, 4, 3), (6, 5, 4), (2, 5, 2)]
)
def test_group_dimensions_uses_what_k_groups_can_span(supported, k, expected):
    assert _group_dimensions(supported, k) == expected


def test_fewest_tied_k_adds_no_group_for_a_win_within_the_noise():
    rng = np.random.default_rng(0)
    two = rng.normal(0.40, 0.2, 100)
    three = two + rng.normal(0.005, 0.05, 100)  # better on average, by far less than its spread
    assert clustering.fewest_tied_k({2: two, 3: three}, np.ones(100), 3, 1.0) == 2


def test_fewest_tied_k_keeps_a_clear_winner():
    rng = np.random.default_rng(0)
    two = rng.normal(0.30, 0.2, 100)
    three = two + rng.normal(0.10, 0.05, 100)
    four = three - 0.001
    assert clustering.fewest_tied_k({2: two, 3: three, 4: four}, np.ones(100), 3, 1.0) == 3
