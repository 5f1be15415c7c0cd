"""`analyse(...)`: one conversation's votes in, one deterministic `Analysis` out."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from . import bridging, clustering, pca, repness, routing
from .inputs import Conversation, Parameters
from .matrix import VoteMatrix, build_matrix
from .results import Analysis
from .state import State, plain
from .summary import summarise

ALGORITHM = "polity-opinions/1.4"
DIMENSION_SAMPLE = 20_000  # participants read for the component count in large conversations


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


def _clustering_dimensions(
    y_used, eigenvalues: np.ndarray, parameters: Parameters
) -> tuple[int, np.ndarray]:
    """Polity mode: keep the leading components whose eigenvalue beats the same rank of the
    column-shuffled matrix (Horn 1965, parallel analysis) by a clear margin (the ratio: real
    conversations show a long tail of weak axes that only add noise); at least the map's two."""
    k = int((eigenvalues > 0).sum())
    if k <= 2:
        return max(k, 1), np.zeros(0)
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
    return max(2, keep), null


def analyse(
    conversation: Conversation,
    *,
    parameters: Parameters | None = None,
    previous_state: State | None = None,
) -> Analysis:
    parameters = parameters or Parameters()
    matrix = build_matrix(conversation, parameters)
    chosen = in_conversation(matrix, parameters, previous_state)

    y, center = pca.centred_matrix(matrix)
    polis = parameters.mode == "polis"
    n_components = 2 if polis else max(2, parameters.max_components)
    previous_axes = previous_state.components_for(matrix.statement_ids) if previous_state else None
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
        dims, _ = _clustering_dimensions(y[:, used], fitted.eigenvalues, parameters)
        dims = max(2, min(dims, n_components))

    # Base clusters and opinion groups over the participants in conversation.
    rows_in = np.flatnonzero(chosen)
    group_of_row = np.full(matrix.n_rows, -1, dtype=np.int64)
    base_of_row = np.full(matrix.n_rows, -1, dtype=np.int64)
    group_k, best_k, scores = 0, 0, {}
    candidate_k, candidate_runs = None, 0
    base = None
    group_of_base = np.zeros(0, dtype=np.int64)
    if len(rows_in):
        points = fitted.projections[rows_in, :dims]
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
        best_k, scores = choice.best_k, choice.silhouettes
        previous_k = previous_state.group_k if previous_state else None
        group_k, candidate_k, candidate_runs = clustering.smooth_k(
            choice.best_k,
            set(choice.labels_by_k),
            previous_k,
            previous_state.candidate_k if previous_state else None,
            previous_state.candidate_runs if previous_state else 0,
            parameters.group_k_smoother_runs,
        )
        labels = choice.labels_by_k[group_k]
        if not polis and group_k > 1 and _group_dimensions(dims, group_k) < dims:
            narrower = _narrowed(fitted.projections[rows_in], dims, group_k, parameters)
            if narrower is not None:
                points, base, labels = narrower
                dims = points.shape[1]
        group_of_in = labels[base.labels]
        if parameters.refines_groups() and group_k > 1:
            # Beyond Polis: base clusters straddling a boundary put some participants in the
            # wrong group; finish with Lloyd iterations over the participants themselves.
            group_of_in = _refine(points, group_of_in, group_k, parameters)
        before = None
        if previous_state is not None:
            before = previous_state.groups_for(matrix.participant_ids[rows_in])
        number = _group_numbers(group_of_in, before)
        group_of_row[rows_in] = number[group_of_in]
        group_of_base, base = _base_clusters_by_group(number[labels], base, rows_in)
        base_of_row[rows_in] = base.labels

    n_groups = int(group_of_row.max()) + 1 if len(rows_in) else 0
    tallies = repness.group_tallies(matrix, group_of_row, n_groups)
    representative = repness.representative(
        tallies, matrix.in_maths, z=parameters.z_90, top=parameters.repness_top
    )
    majority = repness.majority(matrix, z=parameters.z_90, top=parameters.repness_top)
    if n_groups:
        gic_agree, gic_disagree = repness.group_informed_consensus(tallies)
    else:
        gic_agree = gic_disagree = np.zeros(matrix.n_cols)
    coords, extremity = pca.statement_projections(fitted)
    priority = routing.priorities(
        tallies.agree.sum(0),
        tallies.disagree.sum(0),
        tallies.seen.sum(0),
        extremity,
        is_meta=matrix.is_meta,
        in_maths=matrix.in_maths,
    )
    bridge = _bridging(matrix, chosen, fitted, parameters)

    state = State(
        algorithm=ALGORITHM,
        in_conversation=tuple(plain(p) for p in matrix.participant_ids[chosen].tolist()),
        groups=tuple(group_of_row[chosen].tolist()),
        component_statement_ids=tuple(matrix.statement_ids.tolist()),
        components=tuple(tuple(c.tolist()) for c in fitted.components[:2]),
        group_k=group_k or None,
        candidate_k=candidate_k,
        candidate_runs=candidate_runs,
    )
    total = float(np.asarray(y.multiply(y).sum()))
    explained = tuple(
        float(v / total) if total > 0 else 0.0 for v in fitted.eigenvalues[:n_components]
    )
    return summarise(
        algorithm=ALGORITHM,
        parameters=parameters,
        matrix=matrix,
        chosen=chosen,
        fitted=fitted,
        dims=dims,
        explained=explained,
        base=base,
        group_of_base=group_of_base,
        base_of_row=base_of_row,
        group_of_row=group_of_row,
        group_k=group_k,
        best_k=best_k,
        silhouettes=scores,
        tallies=tallies,
        representative=representative,
        majority=majority,
        gic=(gic_agree, gic_disagree),
        statement_coords=coords,
        extremity=extremity,
        priority=priority,
        bridge=bridge,
        state=state,
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


def _bridging(
    matrix: VoteMatrix, chosen: np.ndarray, fitted: pca.PCAResult, parameters: Parameters
) -> bridging.Bridging:
    """Fit on the agree/disagree votes of participants in conversation on statements in the
    maths (passes left out, see bridging.py)."""
    cells = chosen[matrix.rows] & matrix.in_maths[matrix.cols] & (matrix.values != 0)
    start = fitted.components[0] * np.sqrt(max(int(matrix.in_maths.sum()), 1))
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
