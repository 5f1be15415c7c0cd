"""The second stage: base clusters and opinion groups of the participants in conversation
(Polis steps 5 and 6), numbered so that groups keep their names from run to run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from . import clustering
from .embedding import Embedding
from .inputs import Parameters
from .state import State


@dataclass(frozen=True, eq=False)
class Grouping:
    dimensions: int  # components the groups were found in
    base: clustering.BaseClusters | None  # numbered by group, then size; None: nobody is in
    group_of_base: np.ndarray  # per base cluster
    base_of_row: np.ndarray  # per participant; -1 out of conversation
    group_of_row: np.ndarray  # per participant, by the number shown; -1 out of conversation
    k: int  # groups used this run (0: nobody is in conversation)
    best_k: int  # the k this run's silhouettes chose (the smoother may keep another)
    silhouettes: dict[int, float]
    candidate_k: int | None  # Polis' k smoother: a k winning runs in a row, and how many
    candidate_runs: int

    @property
    def n_groups(self) -> int:
        """Groups with members, which the group statistics are laid out over."""
        return int(self.group_of_row.max(initial=-1)) + 1


def group_participants(
    embedding: Embedding, *, parameters: Parameters, previous: State | None
) -> Grouping:
    matrix, projections = embedding.matrix, embedding.pca.projections
    rows_in = embedding.rows_in
    dims = embedding.dimensions
    group_of_row = np.full(matrix.n_rows, -1, dtype=np.int64)
    base_of_row = np.full(matrix.n_rows, -1, dtype=np.int64)
    if not len(rows_in):
        return Grouping(
            dimensions=dims,
            base=None,
            group_of_base=np.zeros(0, dtype=np.int64),
            base_of_row=base_of_row,
            group_of_row=group_of_row,
            k=0,
            best_k=0,
            silhouettes={},
            candidate_k=None,
            candidate_runs=0,
        )
    polis = parameters.mode == "polis"
    points = projections[rows_in, :dims]
    base = clustering.base_clusters(points, parameters.base_clusters, seed=parameters.seed)
    choice = clustering.choose_groups(
        base.centres,
        base.sizes,
        max_groups=parameters.max_groups,
        per_base=parameters.groups_per_base_clusters,
        weighted_silhouette=parameters.weighted_silhouette(),
        tie_standard_errors=0.0 if polis else parameters.k_tie_standard_errors,
        seed=parameters.seed,
        runs=parameters.group_init_runs,
    )
    group_k, candidate_k, candidate_runs = clustering.smooth_k(
        choice.best_k,
        set(choice.labels_by_k),
        previous.group_k if previous else None,
        previous.candidate_k if previous else None,
        previous.candidate_runs if previous else 0,
        parameters.group_k_smoother_runs,
    )
    labels = choice.labels_by_k[group_k]
    if not polis and group_k > 1 and _group_dimensions(dims, group_k) < dims:
        narrower = _narrowed(projections[rows_in], dims, group_k, parameters)
        if narrower is not None:
            points, base, labels = narrower
            dims = points.shape[1]
    group_of_in = labels[base.labels]
    if parameters.refines_groups() and group_k > 1:
        # Beyond Polis: base clusters straddling a boundary put some participants in the
        # wrong group; finish with Lloyd iterations over the participants themselves.
        group_of_in = _refine(points, group_of_in, group_k, parameters)
    before = None
    if previous is not None:
        before = previous.groups_for(matrix.participant_ids[rows_in])
    number = _group_numbers(group_of_in, before)
    group_of_row[rows_in] = number[group_of_in]
    group_of_base, base = _base_clusters_by_group(number[labels], base, rows_in)
    base_of_row[rows_in] = base.labels
    return Grouping(
        dimensions=dims,
        base=base,
        group_of_base=group_of_base,
        base_of_row=base_of_row,
        group_of_row=group_of_row,
        k=group_k,
        best_k=choice.best_k,
        silhouettes=choice.silhouettes,
        candidate_k=candidate_k,
        candidate_runs=candidate_runs,
    )


def _group_dimensions(supported: int, k: int) -> int:
    """Components to cluster k groups in: k group centres span at most k - 1 dimensions (the
    rank of the between-group scatter, Fisher 1936), so components beyond max(2, k - 1) add
    only within-group noise to the distances; the map's two are always kept, as in Polis."""
    return max(2, min(supported, k - 1))


def _narrowed(
    projections: np.ndarray, dims: int, k: int, parameters: Parameters
) -> tuple[np.ndarray, clustering.BaseClusters, np.ndarray] | None:
    """Base clusters and k groups again in `_group_dimensions` components, once k has been
    chosen in every supported one (the extra components still decide how many groups there
    are). None when k-means there leaves a group empty: the wider answer then stands."""
    points = projections[:, : _group_dimensions(dims, k)]
    base = clustering.base_clusters(points, parameters.base_clusters, seed=parameters.seed)
    labels, _ = clustering.weighted_kmeans(
        base.centres,
        base.sizes.astype(np.float64),
        k,
        seed=parameters.seed,
        runs=parameters.group_init_runs,
    )
    if labels.max() + 1 < k:
        return None
    return points, base, labels


def _refine(points: np.ndarray, labels: np.ndarray, k: int, parameters: Parameters) -> np.ndarray:
    """Participant-level k-means for the chosen k, started from the base-cluster answer and
    from seeded k-means++ starts. Real conversations often have several such answers with
    near-equal inertia that differ by a few participants near a boundary; the consensus of
    those (clustering.consensus_partition) is kept rather than whichever is marginally lowest."""
    ones = np.ones(len(points))
    mass = np.bincount(labels, minlength=k).astype(np.float64)
    sums = np.stack(
        [np.bincount(labels, weights=points[:, d], minlength=k) for d in range(points.shape[1])],
        axis=1,
    )
    candidates = []
    starts = [sums / mass[:, None]]
    for run in range(parameters.refine_runs):
        rng = np.random.default_rng([parameters.seed, k, run, 1])
        starts.append(clustering.kmeans_plus_plus(points, ones, k, rng))
    for start in starts:
        candidate, _, inertia = clustering.lloyd(points, ones, start)
        if candidate.max() + 1 == k:
            candidates.append((round(inertia, 9), candidate))
    if not candidates:
        return labels
    return clustering.consensus_partition(candidates, parameters.near_optimal_tolerance)


def _group_numbers(labels: np.ndarray, before: np.ndarray | None) -> np.ndarray:
    """The number each group is shown under (new number per label), so that a group keeps its
    name from run to run: the numbering that leaves the most participants under the number
    they had last run (an assignment problem, Kuhn 1955); first, or where that ties, largest
    group first and then by first participant in id order. Without it, a group overtaking
    another in size would swap both groups' names while nobody moved."""
    k = int(labels.max()) + 1
    sizes = np.bincount(labels, minlength=k)
    first = np.full(k, len(labels))
    np.minimum.at(first, labels, np.arange(len(labels)))
    by_size = np.empty(k, dtype=np.int64)
    by_size[np.lexsort((first, -sizes))] = np.arange(k)
    known = (before >= 0) & (before < k) if before is not None else np.zeros(0, bool)
    if not known.any():
        return by_size
    kept = np.zeros((k, k))
    np.add.at(kept, (labels[known], before[known]), 1.0)
    # Lexicographic: a participant kept outweighs every size-order tie-break together.
    score = kept * (k + 1) + (by_size[:, None] == np.arange(k)[None, :])
    rows, numbers = linear_sum_assignment(score, maximize=True)
    number = np.empty(k, dtype=np.int64)
    number[rows] = numbers
    return number


def _base_clusters_by_group(
    group_of_base: np.ndarray, base: clustering.BaseClusters, rows_in: np.ndarray
) -> tuple[np.ndarray, clustering.BaseClusters]:
    """Number base clusters by group, then size, ties by the first participant (in id order)
    they contain, so ids never depend on k-means' start."""
    first_row = np.full(len(base.centres), np.iinfo(np.int64).max)
    np.minimum.at(first_row, base.labels, rows_in)
    order = np.lexsort((first_row, -base.sizes, group_of_base))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    reordered = clustering.BaseClusters(
        labels=rank[base.labels], centres=base.centres[order], sizes=base.sizes[order]
    )
    return group_of_base[order], reordered
