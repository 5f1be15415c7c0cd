"""Synthetic conversations with planted opinion groups, for tests, demos and benchmarks.

Each group has its own lean on each statement (a shared part, so some statements are broadly
agreed or rejected, plus a group-specific part); a participant sees a random subset of the
statements and votes by their group's lean. Fully vectorised: 10M votes take a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .inputs import Conversation, Moderation, Statement, VoteTable


@dataclass(frozen=True, eq=False)
class SyntheticConversation:
    conversation: Conversation
    participant_ids: np.ndarray  # 0..n-1
    truth: np.ndarray  # planted group of each participant
    leans: np.ndarray  # groups x statements, in [-1, 1]


def synthetic_conversation(
    n_participants: int = 2000,
    n_statements: int = 200,
    n_groups: int = 3,
    density: float = 0.2,
    seed: int = 0,
    *,
    pass_rate: float = 0.1,
    shared_weight: float = 0.2,
    strength: float = 0.45,
) -> SyntheticConversation:
    """Votes of `n_participants` on about `density` of `n_statements` each.

    P(pass) = pass_rate; otherwise P(agree) = 0.5 + strength * lean[group, statement], with
    lean = shared_weight * shared[statement] + (1 - shared_weight) * own[group, statement],
    shared uniform on [-1, 1], own of random sign and size uniform on [0.7, 1].
    Group sizes are multinomial with equal odds.
    """
    if not 0 < density <= 1:
        raise ValueError("density must be in (0, 1]")
    rng = np.random.default_rng(seed)
    n, m = int(n_participants), int(n_statements)
    truth = rng.integers(0, n_groups, size=n)
    shared = rng.uniform(-1, 1, size=m)
    # Each group leans clearly one way or the other on each statement, independently.
    own = rng.choice([-1.0, 1.0], size=(n_groups, m)) * rng.uniform(0.7, 1.0, (n_groups, m))
    leans = shared_weight * shared[None, :] + (1 - shared_weight) * own

    # Draw cells with replacement and keep the distinct ones; drawing -ln(1 - d) * n * m of
    # them leaves a fraction d of all cells on average.
    cells = n * m
    draws = round(-np.log1p(-min(density, 1 - 1e-9)) * cells) if density < 1 else cells
    if density >= 1:
        keys = np.arange(cells, dtype=np.int64)
    else:
        keys = np.sort(rng.integers(0, cells, size=draws, dtype=np.int64))
        # Sorted distinct keys; a sort and a shift beat np.unique's hashing at 10M keys.
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    rows, cols = np.divmod(keys, m)
    u = rng.random(len(keys))
    p_agree = 0.5 + strength * leans[truth[rows], cols]
    values = np.where(u < pass_rate, 0, np.where(rng.random(len(keys)) < p_agree, 1, -1))
    votes = VoteTable(
        participant_ids=rows,
        statement_ids=cols,
        values=values.astype(np.int8),
        times=np.arange(len(keys), dtype=np.float64),
    )
    statements = [Statement(j, Moderation.ACCEPTED) for j in range(m)]
    return SyntheticConversation(
        conversation=Conversation(votes=votes, statements=statements),
        participant_ids=np.arange(n),
        truth=truth,
        leans=leans,
    )
