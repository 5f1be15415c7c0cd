"""The first stage: who is in conversation, and where PCA puts everyone (Polis steps 1-4)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import pca
from .inputs import Parameters
from .matrix import VoteMatrix
from .pca import PCAResult
from .state import State

DIMENSION_SAMPLE = 20_000  # participants read for the component count in large conversations


@dataclass(frozen=True, eq=False)
class Embedding:
    matrix: VoteMatrix
    in_conversation: np.ndarray  # bool per row: clustered and counted in group statistics
    pca: PCAResult
    dimensions: int  # components the data supports for clustering (2 in Polis mode)
    explained_variance: tuple[float, ...]  # share of total variance per computed component
    statement_xy: np.ndarray  # per column: where agreeing with it alone lands (Polis)
    extremity: np.ndarray  # per column: that point's distance from the centre

    @property
    def rows_in(self) -> np.ndarray:
        return np.flatnonzero(self.in_conversation)


def in_conversation(
    matrix: VoteMatrix, parameters: Parameters, previous: State | None
) -> np.ndarray:
    """Polis step 2: >= min(7, n_statements) votes; once in, always in; top up to 15."""
    counts = matrix.row_counts()
    n_voted = int((matrix.col_counts() > 0).sum())
    threshold = max(1, min(parameters.min_votes_in_conversation, n_voted))
    chosen = counts >= threshold
    if previous is not None and previous.in_conversation:
        before = set(previous.in_conversation)
        chosen |= np.fromiter(
            (p in before for p in matrix.participant_ids.tolist()), bool, matrix.n_rows
        )
    missing = parameters.min_in_conversation - int(chosen.sum())
    if missing > 0:
        others = np.flatnonzero(~chosen)
        ranked = others[np.lexsort((others, -counts[others]))]  # most votes, then id order
        chosen[ranked[:missing]] = True
    return chosen


def embed(matrix: VoteMatrix, *, parameters: Parameters, previous: State | None) -> Embedding:
    chosen = in_conversation(matrix, parameters, previous)
    y, center = pca.centred_matrix(matrix)
    polis = parameters.mode == "polis"
    n_components = 2 if polis else max(2, parameters.max_components)
    previous_axes = previous.components_for(matrix.statement_ids) if previous else None
    fitted = pca.fit_pca(
        matrix,
        n_components=n_components,
        previous_components=previous_axes,
        seed=parameters.seed,
        y=y,
        center=center,
    )
    dims = 2
    if not polis:
        used = np.flatnonzero(matrix.in_maths & (matrix.col_counts() > 0))
        dims = _clustering_dimensions(y[:, used], fitted.eigenvalues, parameters)
        dims = max(2, min(dims, n_components))
    total = float(np.asarray(y.multiply(y).sum()))
    explained = tuple(
        float(v / total) if total > 0 else 0.0 for v in fitted.eigenvalues[:n_components]
    )
    statement_xy, extremity = pca.statement_projections(fitted)
    return Embedding(
        matrix=matrix,
        in_conversation=chosen,
        pca=fitted,
        dimensions=dims,
        explained_variance=explained,
        statement_xy=statement_xy,
        extremity=extremity,
    )


def _clustering_dimensions(y_used, eigenvalues: np.ndarray, parameters: Parameters) -> int:
    """Polity mode: keep the leading components whose eigenvalue beats the same rank of the
    column-shuffled matrix (Horn 1965, parallel analysis) by a clear margin (the ratio: real
    conversations show a long tail of weak axes that only add noise); at least the map's two."""
    k = int((eigenvalues > 0).sum())
    if k <= 2:
        return max(k, 1)
    if y_used.shape[0] > DIMENSION_SAMPLE:
        # Both spectra grow in proportion to the number of rows, so their ratio can be read
        # on a deterministic sample of participants: the shuffled copy then costs a fraction.
        rng = np.random.default_rng([parameters.seed, 2])
        rows = np.sort(rng.choice(y_used.shape[0], DIMENSION_SAMPLE, replace=False))
        y_used = y_used[rows]
        eigenvalues, _ = pca.top_eigen(y_used, k, parameters.seed)
    null = pca.permuted_eigenvalues(y_used, k, parameters.seed)
    keep = 0
    ratio = parameters.component_signal_ratio
    while keep < min(k, len(null)) and eigenvalues[keep] > ratio * null[keep]:
        keep += 1
    return max(2, keep)
