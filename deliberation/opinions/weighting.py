"""Raking participants to population margins, and what the weights cost in precision.

Raking is iterative proportional fitting (Deming & Stephan 1940): scale the weights so each
margin in turn matches its target shares, repeat until all match. We use weightipy's RIM
implementation (the lightest maintained survey-weighting library on PyPI; README "Who took
part"). As weightipy does, only participants with a substantive answer to every weighted
question are raked; one who preferred not to say (or was not asked) keeps weight 1, neither
counting toward the margins nor scaled by them.

A category with a target share but no participant cannot be met; it is dropped from its margin
(the others renormalised) and reported, rather than making the fit fail.

Design effect and effective sample size are Kish's (Kish 1965): n_eff = (Σw)² / Σw² and
deff = n / n_eff = 1 + CV(w)².
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import weightipy

CONVERGENCE = 1e-9
MAX_ITERATIONS = 1000


@dataclass(frozen=True)
class UnmetMargin:
    question: str
    category: str
    target_share: float


@dataclass(frozen=True)
class Raking:
    """Weights in the participants' order, mean 1; `raked` marks those the margins were fitted
    on (a substantive answer to every weighted question)."""

    weights: np.ndarray
    raked: np.ndarray
    effective_n: float
    design_effect: float
    unmet: tuple[UnmetMargin, ...]
    margins: tuple[str, ...]


def kish(weights: np.ndarray) -> tuple[float, float]:
    """Kish's effective sample size and design effect of a set of weights."""
    weights = np.asarray(weights, dtype=float)
    if weights.size == 0 or not weights.any():
        return 0.0, 1.0
    effective = float(weights.sum() ** 2 / np.square(weights).sum())
    return effective, float(weights.size / effective)


def rake(
    answers: Sequence[Mapping[str, str | None]], targets: Mapping[str, Mapping[str, float]]
) -> Raking:
    """Weights for `answers` (one mapping of question -> category or None per participant) so
    that each question of `targets` (question -> category -> share) matches its shares among
    the participants who answered it."""
    frame = pd.DataFrame(list(answers), columns=list(targets), dtype=object)
    unmet: list[UnmetMargin] = []
    scheme: dict[str, dict[str, float]] = {}
    for question, shares in targets.items():
        present = set(frame[question].dropna())
        met = {c: s for c, s in shares.items() if c in present and s > 0}
        unmet.extend(
            UnmetMargin(question, c, s) for c, s in shares.items() if s > 0 and c not in present
        )
        # An answer given by participants but with a zero target cannot be weighted to zero
        # without discarding those people; it keeps its share out of the margin instead.
        frame.loc[~frame[question].isin(list(met)), question] = None
        if len(met) >= 1 and sum(met.values()) > 0:
            total = sum(met.values())
            scheme[question] = {c: 100 * s / total for c, s in met.items()}
    raked = (
        frame[list(scheme)].notna().all(axis=1).to_numpy()
        if scheme
        else np.zeros(len(frame), dtype=bool)
    )
    if frame.empty or not scheme:
        weights = np.ones(len(frame))
    else:
        rim = weightipy.scheme_from_dict(
            scheme, rim_params={"convcrit": CONVERGENCE, "max_iterations": MAX_ITERATIONS}
        )
        fitted = weightipy.weight_dataframe(frame[list(scheme)], rim, weight_column="w")
        weights = fitted["w"].to_numpy(dtype=float)
        weights = weights * len(weights) / weights.sum()
    effective, deff = kish(weights)
    return Raking(
        weights=weights,
        raked=raked,
        effective_n=effective,
        design_effect=deff,
        unmet=tuple(unmet),
        margins=tuple(scheme),
    )
