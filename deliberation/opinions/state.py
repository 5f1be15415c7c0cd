"""What one run hands to the next: who is in and in which group, the axes' orientation, the k
smoother."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np


def plain(value: Any) -> Any:
    """numpy scalars to Python ones, so ids come back exactly as they went in."""
    return value.item() if isinstance(value, np.generic) else value


@dataclass(frozen=True)
class State:
    algorithm: str
    in_conversation: tuple[Hashable, ...] = ()
    groups: tuple[int, ...] = ()  # group of each in_conversation participant (-1: none)
    component_statement_ids: tuple[Hashable, ...] = ()
    components: tuple[tuple[float, ...], ...] = ()  # first two principal axes, per statement
    group_k: int | None = None
    candidate_k: int | None = None
    candidate_runs: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm,
            "in_conversation": [plain(p) for p in self.in_conversation],
            "groups": [int(g) for g in self.groups],
            "component_statement_ids": [plain(s) for s in self.component_statement_ids],
            "components": [[float(x) for x in c] for c in self.components],
            "group_k": self.group_k,
            "candidate_k": self.candidate_k,
            "candidate_runs": self.candidate_runs,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        return cls(
            algorithm=str(data["algorithm"]),
            in_conversation=tuple(data.get("in_conversation", ())),
            groups=tuple(int(g) for g in data.get("groups", ())),
            component_statement_ids=tuple(data.get("component_statement_ids", ())),
            components=tuple(tuple(float(x) for x in c) for c in data.get("components", ())),
            group_k=data.get("group_k"),
            candidate_k=data.get("candidate_k"),
            candidate_runs=int(data.get("candidate_runs", 0)),
        )

    def groups_for(self, participant_ids: np.ndarray) -> np.ndarray:
        """Each participant's group in the previous run (-1 where it had none)."""
        out = np.full(len(participant_ids), -1, dtype=np.int64)
        if len(self.groups) != len(self.in_conversation):
            return out  # a state written without groups
        where = dict(zip(self.in_conversation, self.groups, strict=True))
        for i, p in enumerate(participant_ids.tolist()):
            out[i] = where.get(p, -1)
        return out

    def components_for(self, statement_ids: np.ndarray) -> np.ndarray | None:
        """Previous axes laid out on this run's columns (NaN where a statement is new)."""
        if not self.components:
            return None
        where = {s: i for i, s in enumerate(self.component_statement_ids)}
        out = np.full((len(self.components), len(statement_ids)), np.nan)
        previous = np.asarray(self.components, dtype=np.float64)
        for j, s in enumerate(statement_ids.tolist()):
            i = where.get(s)
            if i is not None:
                out[:, j] = previous[:, i]
        return out
