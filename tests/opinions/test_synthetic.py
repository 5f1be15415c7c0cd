import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from deliberation.opinions import analyse, synthetic_conversation


def _ari(n_groups, seed=0):
    synthetic = synthetic_conversation(2000, 200, n_groups, 0.2, seed)
    analysis = analyse(synthetic.conversation)
    group = {p.participant_id: p.group for p in analysis.participants}
    ours = [group[int(p)] for p in synthetic.participant_ids]
    return analysis, adjusted_rand_score(synthetic.truth, ours)


@pytest.mark.parametrize("seed", [0, 1])
def test_analyse_finds_three_planted_groups(seed):
    analysis, ari = _ari(3, seed)
    assert analysis.group_k == 3
    assert ari >= 0.97


@pytest.mark.parametrize("seed", [0, 1])
def test_analyse_finds_four_independent_planted_groups(seed):
    analysis, ari = _ari(4, seed)
    assert analysis.group_k == 4
    assert analysis.clustering_dimensions >= 3
    assert ari >= 0.95


def test_synthetic_conversation_has_the_requested_shape():
    synthetic = synthetic_conversation(500, 50, 3, 0.3, seed=4)
    votes = synthetic.conversation.votes
    cells = set(zip(votes.participant_ids.tolist(), votes.statement_ids.tolist(), strict=True))
    assert len(cells) == len(votes)  # one vote per pair
    assert abs(len(votes) / (500 * 50) - 0.3) < 0.02
    assert set(np.unique(votes.values).tolist()) == {-1, 0, 1}
    assert sorted(set(synthetic.truth.tolist())) == [0, 1, 2]


def test_synthetic_conversation_is_seeded():
    a = synthetic_conversation(300, 40, 2, 0.2, seed=9).conversation.votes
    b = synthetic_conversation(300, 40, 2, 0.2, seed=9).conversation.votes
    assert np.array_equal(a.values, b.values)
    assert np.array_equal(a.participant_ids, b.participant_ids)
