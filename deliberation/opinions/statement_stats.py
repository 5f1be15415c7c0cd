"""The third stage: what the votes say about each statement, given the groups (Polis steps 7-11
and the bridging lens beyond Polis)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import bridging, repness, routing
from .bridging import Bridging
from .embedding import Embedding
from .grouping import Grouping
from .inputs import Parameters
from .repness import Tallies


@dataclass(frozen=True, eq=False)
class StatementStats:
    tallies: Tallies  # per group and statement, from the latest raw votes
    representative: list[list[dict]]  # per group, in Polis' order
    majority: dict[str, list[dict]]  # "agree" / "disagree", over every participant
    gic_agree: np.ndarray  # group-informed consensus per statement
    gic_disagree: np.ndarray
    priority: np.ndarray  # routing weight per statement
    bridging: Bridging


def statement_stats(
    embedding: Embedding, grouping: Grouping, *, parameters: Parameters
) -> StatementStats:
    matrix = embedding.matrix
    n_groups = grouping.n_groups
    tallies = repness.group_tallies(matrix, grouping.group_of_row, n_groups)
    if n_groups:
        gic_agree, gic_disagree = repness.group_informed_consensus(tallies)
    else:
        gic_agree = gic_disagree = np.zeros(matrix.n_cols)
    return StatementStats(
        tallies=tallies,
        representative=repness.representative(
            tallies, matrix.in_maths, z=parameters.z_90, top=parameters.repness_top
        ),
        majority=repness.majority(matrix, z=parameters.z_90, top=parameters.repness_top),
        gic_agree=gic_agree,
        gic_disagree=gic_disagree,
        priority=routing.priorities(
            tallies.agree.sum(0),
            tallies.disagree.sum(0),
            tallies.seen.sum(0),
            embedding.extremity,
            is_meta=matrix.is_meta,
            in_maths=matrix.in_maths,
        ),
        bridging=_bridging(embedding, parameters),
    )


def _bridging(embedding: Embedding, parameters: Parameters) -> Bridging:
    """Fit on the agree/disagree votes of participants in conversation on statements in the
    maths (passes left out, see bridging.py)."""
    matrix = embedding.matrix
    cells = (
        embedding.in_conversation[matrix.rows] & matrix.in_maths[matrix.cols] & (matrix.values != 0)
    )
    start = embedding.pca.components[0] * np.sqrt(max(int(matrix.in_maths.sum()), 1))
    return bridging.fit_bridging(
        matrix.rows[cells],
        matrix.cols[cells],
        (matrix.values[cells] > 0).astype(np.float64),
        matrix.n_rows,
        matrix.n_cols,
        start,
        lam_intercept=parameters.bridging_intercept_lambda,
        lam_factor=parameters.bridging_factor_lambda,
        iterations=parameters.bridging_iterations,
    )
