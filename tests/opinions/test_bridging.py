import numpy as np

from deliberation.opinions import Conversation, Statement, VoteTable, analyse


def test_bridging_prefers_agreement_across_polarised_groups():
    rng = np.random.default_rng(1)
    votes = []
    for p in range(200):
        side = 1 if p < 100 else -1
        for s in range(20):  # the polarising axis
            lean = side if s % 2 == 0 else -side
            votes.append((p, s, lean if rng.random() < 0.9 else -lean))
        votes.append((p, 100, 1 if rng.random() < 0.9 else -1))  # both sides agree
        votes.append((p, 101, side if rng.random() < 0.9 else -side))  # one side agrees
    p, s, v = map(np.array, zip(*votes, strict=True))
    table = VoteTable(p, s, v, np.zeros(len(v)))
    statements = [Statement(i) for i in [*range(20), 100, 101]]
    result = {r.statement_id: r for r in analyse(Conversation(table, statements)).statements}
    assert result[100].bridging_intercept > result[101].bridging_intercept + 0.2
    assert not result[101].bridging_helpful
    assert abs(result[101].bridging_factor) > abs(result[100].bridging_factor)
