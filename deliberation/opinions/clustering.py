"""Base clusters and opinion groups (Polis steps 5 and 6), deterministic.

Our own vectorised Lloyd's algorithm with seeded k-means++ starts: no threads, fixed reduction
order (np.bincount), ties broken towards the lower index, so a result never depends on the
machine's core count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHUNK = 65536
SEEDING_SAMPLE = 20_000
BASE_MAX_ITERATIONS = 50


def _sq_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    d = (
        (points**2).sum(axis=1)[:, None]
        - 2.0 * points @ centres.T
        + (centres**2).sum(axis=1)[None, :]
    )
    return np.maximum(d, 0.0)


def _assign(points: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre (first on ties) and squared distance. The argmin only needs
    |c|^2 - 2 p.c; the point's own |p|^2 is added to the winner alone."""
    labels = np.empty(len(points), dtype=np.int64)
    best = np.empty(len(points))
    centre_norms = (centres**2).sum(axis=1)
    for start in range(0, len(points), CHUNK):
        chunk = points[start : start + CHUNK]
        partial = centre_norms[None, :] - 2.0 * (chunk @ centres.T)
        chosen = np.argmin(partial, axis=1)
        labels[start : start + CHUNK] = chosen
        nearest = partial[np.arange(len(chunk)), chosen] + (chunk**2).sum(axis=1)
        best[start : start + CHUNK] = np.maximum(nearest, 0.0)
    return labels, best


def kmeans_plus_plus(
    points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator
) -> np.ndarray:
    """Arthur & Vassilvitskii (2007) seeding, weighted by point weights."""
    first = int(rng.choice(len(points), p=weights / weights.sum()))
    centres = [points[first]]
    closest = _sq_distances(points, points[first : first + 1])[:, 0]
    for _ in range(1, k):
        mass = closest * weights
        total = mass.sum()
        if total <= 0:
            break
        nxt = int(np.searchsorted(np.cumsum(mass), rng.random() * total, side="right"))
        nxt = min(nxt, len(points) - 1)
        centres.append(points[nxt])
        closest = np.minimum(closest, _sq_distances(points, points[nxt : nxt + 1])[:, 0])
    return np.array(centres)


def lloyd(
    points: np.ndarray, weights: np.ndarray, centres: np.ndarray, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray, float]:
    """Weighted Lloyd iterations; empty clusters are dropped. Returns labels, centres, inertia."""
    centres = centres.copy()
    labels, best = _assign(points, centres)
    for _ in range(max_iter):
        k = len(centres)
        mass = np.bincount(labels, weights=weights, minlength=k)
        sums = np.stack(
            [
                np.bincount(labels, weights=weights * points[:, d], minlength=k)
                for d in range(points.shape[1])
            ],
            axis=1,
        )
        alive = mass > 0
        new = sums[alive] / mass[alive, None]
        if alive.all() and np.array_equal(new, centres):
            break
        centres = new
        new_labels, best = _assign(points, centres)
        if alive.all() and np.array_equal(new_labels, labels):
            labels = new_labels
            break
        labels = new_labels
    # Renumber so that only non-empty clusters remain, in order of first appearance of index.
    used = np.unique(labels)
    remap = np.full(len(centres), -1)
    remap[used] = np.arange(len(used))
    return remap[labels], centres[used], float((best * weights).sum())


def weighted_kmeans(
    points: np.ndarray, weights: np.ndarray, k: int, *, seed: int, runs: int
) -> tuple[np.ndarray, np.ndarray]:
    """Best of `runs` seeded k-means++ starts by weighted inertia (first best wins ties)."""
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for run in range(runs):
        rng = np.random.default_rng([seed, k, run])
        start = kmeans_plus_plus(points, weights, k, rng)
        labels, centres, inertia = lloyd(points, weights, start)
        inertia = round(inertia, 9)
        if best is None or inertia < best[0]:
            best = (inertia, labels, centres)
    assert best is not None
    return best[1], best[2]


def adjusted_rand_index(a: np.ndarray, b: np.ndarray) -> float:
    """Agreement of two partitions of the same items, corrected for chance (Hubert & Arabie
    1985): 1 for identical partitions, about 0 for independent ones."""
    width = int(b.max()) + 1
    table = np.bincount(a * width + b, minlength=(int(a.max()) + 1) * width).astype(np.float64)

    def pairs(counts: np.ndarray) -> float:
        return float((counts * (counts - 1.0)).sum() / 2.0)

    together = pairs(table)
    rows = pairs(table.reshape(-1, width).sum(axis=1))
    cols = pairs(table.reshape(-1, width).sum(axis=0))
    total = len(a) * (len(a) - 1.0) / 2.0
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2.0
    if maximum == expected:
        return 1.0
    return (together - expected) / (maximum - expected)


def consensus_partition(candidates: list[tuple[float, np.ndarray]], tolerance: float) -> np.ndarray:
    """Among k-means answers (inertia, labels), those within `tolerance` (relative) of the
    lowest inertia fit the data equally well: which one a single run finds is an accident of
    its start. Return the one agreeing most, by mean adjusted Rand index, with all of them (the
    median partition of the ensemble: Strehl & Ghosh 2002, cluster ensembles; Gionis, Mannila &
    Tsaparas 2007, "BestClustering"). Ties go to the earlier candidate, so the answer is
    deterministic for a fixed candidate order."""
    lowest = min(inertia for inertia, _ in candidates)
    near = [labels for inertia, labels in candidates if inertia <= lowest * (1.0 + tolerance)]
    if len(near) == 1:
        return near[0]
    agreement = [round(sum(adjusted_rand_index(a, b) for b in near) / len(near), 12) for a in near]
    return near[int(np.argmax(agreement))]


@dataclass(frozen=True, eq=False)
class BaseClusters:
    labels: np.ndarray  # per clustered participant
    centres: np.ndarray
    sizes: np.ndarray


def base_clusters(points: np.ndarray, k: int, *, seed: int) -> BaseClusters:
    """Polis step 5: k-means with k = 100 (fewer if there are fewer distinct points).

    In large conversations the k-means++ seeds are drawn from a deterministic sample of
    SEEDING_SAMPLE participants (seeding costs k passes over its input) and Lloyd's iterations
    are capped: base clusters only summarise the map, so a near-converged answer serves."""
    rng = np.random.default_rng([seed, 100])
    sample = points
    if len(points) > SEEDING_SAMPLE:
        sample = points[np.sort(rng.choice(len(points), SEEDING_SAMPLE, replace=False))]
    distinct = np.unique(np.round(sample, 10), axis=0)
    k = max(1, min(k, len(distinct)))
    start = kmeans_plus_plus(sample, np.ones(len(sample)), k, rng)
    labels, centres, _ = lloyd(points, np.ones(len(points)), start, BASE_MAX_ITERATIONS)
    sizes = np.bincount(labels, minlength=len(centres)).astype(np.int64)
    return BaseClusters(labels=labels, centres=centres, sizes=sizes)


def silhouette_values(points: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Silhouette (Rousseeuw 1987) of each point, each standing for `weights` coincident
    participants; with unit weights these are the ordinary silhouettes."""
    k = int(labels.max()) + 1 if len(labels) else 0
    if k < 2:
        return np.full(len(points), -1.0)
    distance = np.sqrt(_sq_distances(points, points))
    onehot = np.zeros((len(points), k))
    onehot[np.arange(len(points)), labels] = 1.0
    mass = weights @ onehot  # weight per cluster
    sums = distance @ (onehot * weights[:, None])  # weighted distance from i to each cluster
    own_mass = mass[labels] - 1.0  # the point's other coincident copies sit at distance 0
    own = sums[np.arange(len(points)), labels]
    a = np.divide(own, own_mass, out=np.zeros(len(points)), where=own_mass > 0)
    other = np.where(onehot > 0, np.inf, sums / np.maximum(mass, 1e-300)[None, :])
    b = other.min(axis=1)
    denominator = np.maximum(a, b)
    s = np.divide(b - a, denominator, out=np.zeros(len(points)), where=denominator > 0)
    s[own_mass <= 0] = 0.0  # singleton clusters score 0
    return s


@dataclass(frozen=True, eq=False)
class GroupChoice:
    best_k: int  # the k this run's silhouettes choose (the smoother may keep another)
    labels_by_k: dict[int, np.ndarray]  # group per base cluster, for every k tried
    silhouettes: dict[int, float]


def choose_groups(
    centres: np.ndarray,
    sizes: np.ndarray,
    *,
    max_groups: int,
    per_base: int,
    weighted_silhouette: bool,
    tie_standard_errors: float,
    seed: int,
    runs: int,
) -> GroupChoice:
    """Polis step 6: weighted k-means on base-cluster centres for k = 2..min(5, 2 + n/12),
    k chosen by silhouette over the centres. With `tie_standard_errors` > 0 the fewest groups
    whose silhouette is statistically tied with the best win (see `fewest_tied_k`)."""
    n = len(centres)
    top = min(max_groups, 2 + n // per_base, n)
    weights = sizes.astype(np.float64)
    unit = weights if weighted_silhouette else np.ones(n)
    labels_by_k: dict[int, np.ndarray] = {}
    values: dict[int, np.ndarray] = {}
    for k in range(2, top + 1):
        labels, _ = weighted_kmeans(centres, weights, k, seed=seed, runs=runs)
        if labels.max() + 1 < k:
            continue
        labels_by_k[k] = labels
        values[k] = silhouette_values(centres, unit, labels)
    if not labels_by_k:
        one = np.zeros(n, dtype=np.int64)
        return GroupChoice(best_k=1, labels_by_k={1: one}, silhouettes={})
    scores = {k: round(float((v * unit).sum() / unit.sum()), 12) for k, v in values.items()}
    best = max(scores, key=lambda k: (scores[k], -k))  # lowest k on ties
    if tie_standard_errors > 0:
        best = fewest_tied_k(values, unit, best, tie_standard_errors)
    return GroupChoice(best_k=best, labels_by_k=labels_by_k, silhouettes=scores)


def fewest_tied_k(
    values: dict[int, np.ndarray], weights: np.ndarray, best: int, standard_errors: float
) -> int:
    """The one-standard-error rule (Breiman et al. 1984, CART; used for k by Tibshirani,
    Walther & Hastie 2001, the gap statistic): the smallest k whose mean silhouette is within
    `standard_errors` standard errors of the best one's. The error is that of the paired
    per-centre differences, so a k that wins by less than the noise of which centres happen to
    sit where does not add a group; Polis gets a similar bias from its smoother, which keeps
    the k it has until another wins four runs in a row."""
    share = weights / weights.sum()
    n_effective = 1.0 / float((share**2).sum())  # Kish's effective sample size
    for k in sorted(values):
        if k >= best:
            break
        gap = values[best] - values[k]
        mean = float((gap * share).sum())
        spread = float(
            np.sqrt((share * (gap - mean) ** 2).sum() * n_effective / max(n_effective - 1.0, 1.0))
        )
        if mean <= standard_errors * spread / np.sqrt(n_effective):
            return k
    return best


def smooth_k(
    best_k: int,
    available: set[int],
    current: int | None,
    candidate: int | None,
    candidate_runs: int,
    needed: int,
) -> tuple[int, int | None, int]:
    """Polis' k smoother: switch to a new k only after it has won `needed` runs in a row.
    Returns (k to use, candidate k, candidate's consecutive wins)."""
    if current is None or current not in available:
        return best_k, None, 0
    if best_k == current:
        return current, None, 0
    runs = candidate_runs + 1 if best_k == candidate else 1
    if runs >= needed:
        return best_k, None, 0
    return current, best_k, runs
