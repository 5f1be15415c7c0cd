"""The engine's output: typed, frozen, and `to_dict()` gives plain JSON-ready values.

Statement and participant ids are reported as they came in; everything keyed by an id is a
list of records carrying that id (JSON object keys would turn int ids into strings).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Hashable
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

import numpy as np

from .inputs import Parameters
from .state import State

_FIELDS: dict[type, tuple[str, ...]] = {}


def to_plain(value: Any) -> Any:
    """Dataclasses, tuples, numpy scalars and enums to dict/list/int/float/str/bool/None."""
    if is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict"):
            return value.to_dict()
        names = _FIELDS.get(type(value))
        if names is None:
            names = _FIELDS[type(value)] = tuple(f.name for f in fields(value))
        return {name: to_plain(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else 0.0
    return value


@dataclass(frozen=True)
class GroupVotes:
    group: int
    agree: int
    disagree: int
    seen: int  # any vote, passes included
    agree_share: float  # agree / seen (0 when unseen): the Collective Constitutional AI measure
    disagree_share: float


@dataclass(frozen=True)
class StatementResult:
    statement_id: Hashable
    moderation: str
    is_meta: bool
    in_maths: bool  # False when moderated out (rejected, meta, or unmoderated if strict)
    n_votes: int
    n_agree: int
    n_disagree: int
    n_pass: int
    mean: float  # mean vote among those who voted (the PCA centre)
    x: float  # where a participant agreeing with only this statement lands (Polis)
    y: float
    extremity: float
    priority: float  # routing weight (Polis comment priority)
    gic_agree: float  # group-informed consensus (Polis), product over groups
    gic_disagree: float
    bridging_intercept: float  # Community Notes intercept, passes left out
    bridging_factor: float
    bridging_ratings: int
    bridging_helpful: bool  # intercept >= 0.40, |factor| < 0.5, >= bridging_min_votes ratings
    groups: tuple[GroupVotes, ...]


@dataclass(frozen=True)
class ParticipantResult:
    participant_id: Hashable
    n_votes: int
    in_conversation: bool
    x: float
    y: float
    base_cluster: int | None
    group: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "participant_id": to_plain(self.participant_id),
            "n_votes": self.n_votes,
            "in_conversation": self.in_conversation,
            "x": self.x,
            "y": self.y,
            "base_cluster": self.base_cluster,
            "group": self.group,
        }


@dataclass(frozen=True)
class RepresentativeStatement:
    statement_id: Hashable
    direction: str  # "agree" | "disagree"
    best_agree: bool
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float


@dataclass(frozen=True)
class GroupResult:
    id: int
    size: int
    x: float  # centre in the 2-D map
    y: float
    base_clusters: tuple[int, ...]
    representative: tuple[RepresentativeStatement, ...]


@dataclass(frozen=True)
class BaseClusterResult:
    id: int
    size: int
    x: float
    y: float
    group: int


@dataclass(frozen=True)
class MajorityStatement:
    statement_id: Hashable
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


@dataclass(frozen=True)
class ContestedStatement:
    statement_id: Hashable
    agreeing_groups: tuple[int, ...]
    disagreeing_groups: tuple[int, ...]
    positions: tuple[GroupVotes, ...]


@dataclass(frozen=True)
class ScoredStatement:
    statement_id: Hashable
    score: float


@dataclass(frozen=True)
class Analysis:
    algorithm: str
    mode: str
    parameters: Parameters
    n_participants: int  # non-excluded participants with at least one vote
    n_in_conversation: int
    n_statements: int  # listed statements
    n_statements_in_maths: int
    n_votes: int  # latest votes, one per pair
    clustering_dimensions: int
    explained_variance: tuple[float, ...]  # share of total variance per computed component
    group_k: int
    group_k_best_this_run: int
    silhouettes: tuple[tuple[int, float], ...]
    participants: tuple[ParticipantResult, ...]
    statements: tuple[StatementResult, ...]
    groups: tuple[GroupResult, ...]
    base_clusters: tuple[BaseClusterResult, ...]
    majority_agree: tuple[MajorityStatement, ...]
    majority_disagree: tuple[MajorityStatement, ...]
    consensus_threshold: float
    consensus_agree: tuple[ScoredStatement, ...]  # GIC above Polis' report threshold
    consensus_disagree: tuple[ScoredStatement, ...]
    broad_agreement: tuple[ScoredStatement, ...]  # agree share >= threshold in every group
    contested: tuple[ContestedStatement, ...]
    state: State

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: to_plain(getattr(self, f.name)) for f in fields(self)}
        out["silhouettes"] = [{"k": k, "silhouette": s} for k, s in self.silhouettes]
        return out
