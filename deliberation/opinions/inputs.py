"""Typed inputs of the opinion engine: votes, statements, parameters.

Votes are held column-wise in numpy arrays (`VoteTable`) because a large conversation has
millions of them; `VoteTable.from_votes` builds one from `Vote` records for small cases.
Participant and statement ids may be ints or strings (one type per conversation); they are
reported back exactly as they came in.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

AGREE = 1
DISAGREE = -1
PASS = 0

MODES = ("polity", "polis")


class Moderation(enum.StrEnum):
    ACCEPTED = "accepted"
    UNMODERATED = "unmoderated"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Vote:
    participant_id: Hashable
    statement_id: Hashable
    value: int  # +1 agree, -1 disagree, 0 pass
    time: float = 0.0


@dataclass(frozen=True, slots=True)
class Statement:
    statement_id: Hashable
    moderation: Moderation = Moderation.ACCEPTED
    is_meta: bool = False


def _id_array(values: Any) -> np.ndarray:
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return array.astype(np.int64, copy=False)
    # Strings (or anything else) are kept as Python objects so they come back unchanged.
    return np.asarray(list(array.tolist()) if array.ndim else [], dtype=object).reshape(-1)


@dataclass(frozen=True, eq=False)
class VoteTable:
    """Every vote cast, one entry per index; several entries per pair are allowed (latest wins).

    `times` orders the votes of one pair; equal times fall back to the order in the table.
    """

    participant_ids: np.ndarray
    statement_ids: np.ndarray
    values: np.ndarray
    times: np.ndarray

    def __post_init__(self) -> None:
        participants = _id_array(self.participant_ids)
        statements = _id_array(self.statement_ids)
        values = np.asarray(self.values, dtype=np.int8).reshape(-1)
        times = np.asarray(self.times, dtype=np.float64).reshape(-1)
        if not (len(participants) == len(statements) == len(values) == len(times)):
            raise ValueError("VoteTable columns must have the same length")
        if len(values) and (values.min() < -1 or values.max() > 1):
            raise ValueError("vote values must be -1, 0 or +1")
        for name, array in (
            ("participant_ids", participants),
            ("statement_ids", statements),
            ("values", values),
            ("times", times),
        ):
            array.setflags(write=False)
            object.__setattr__(self, name, array)

    def __len__(self) -> int:
        return len(self.values)

    @classmethod
    def from_votes(cls, votes: Iterable[Vote]) -> VoteTable:
        votes = list(votes)
        return cls(
            participant_ids=[v.participant_id for v in votes],
            statement_ids=[v.statement_id for v in votes],
            values=[v.value for v in votes],
            times=[v.time for v in votes],
        )

    @classmethod
    def empty(cls) -> VoteTable:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0))


@dataclass(frozen=True)
class Conversation:
    """One conversation as the engine sees it."""

    votes: VoteTable
    statements: Sequence[Statement]
    excluded_participants: frozenset = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "statements", tuple(self.statements))
        object.__setattr__(self, "excluded_participants", frozenset(self.excluded_participants))


@dataclass(frozen=True)
class Parameters:
    """Everything that shapes a result; recorded verbatim in it."""

    mode: str = "polity"  # "polis": cluster in the 2-D map; "polity": in all supported components
    seed: int = 0
    min_votes_in_conversation: int = 7  # Polis: min(7, n_statements) votes puts one "in"
    min_in_conversation: int = 15  # Polis tops up to this many with the most-voting participants
    base_clusters: int = 100
    max_groups: int = 5
    groups_per_base_clusters: int = 12  # k <= 2 + floor(n_base / 12), as Polis
    group_k_smoother_runs: int = 4  # a new k must win this many runs in a row (Polis)
    group_init_runs: int = 8  # seeded k-means++ restarts for opinion groups
    strict_moderation: bool = False  # unmoderated statements out of the maths too
    max_components: int = 6  # polity mode: at most this many components for clustering
    component_signal_ratio: float = 2.0  # polity mode: eigenvalue vs shuffled-data eigenvalue
    silhouette_weighting: str = "no"  # "yes": weight base clusters by size ("auto": polity)
    k_tie_standard_errors: float = 1.0  # polity mode: fewest groups within this many SEs of best
    refine_groups: str = "auto"  # participant-level Lloyd after base clusters (auto: polity)
    refine_runs: int = 16  # seeded k-means++ restarts of the participant-level refinement
    near_optimal_tolerance: float = 0.001  # relative inertia gap of equally good k-means fits
    repness_top: int = 5
    z_90: float = 1.2816  # one-sided 90% z, Polis' significance threshold
    bridging_intercept_lambda: float = 0.15  # Community Notes matrix factorisation
    bridging_factor_lambda: float = 0.03
    bridging_iterations: int = 30  # ALS cap; intercepts then move by < 1e-3 per 30 more
    bridging_min_votes: int = 5  # Community Notes: >= 5 ratings before a note can be rated
    contested_share: float = 0.6
    contested_min_votes: int = 5
    broad_agreement_share: float = 0.6  # Collective Constitutional AI style rule

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        if self.base_clusters < 2 or self.max_groups < 2:
            raise ValueError("need at least 2 base clusters and 2 groups")

    def weighted_silhouette(self) -> bool:
        return self.silhouette_weighting == "yes" or (
            self.silhouette_weighting == "auto" and self.mode == "polity"
        )

    def refines_groups(self) -> bool:
        return self.refine_groups == "yes" or (
            self.refine_groups == "auto" and self.mode == "polity"
        )

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Parameters:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
