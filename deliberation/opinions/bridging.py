"""Community Notes style bridging score.

Model (Wojcik et al. 2022, "Birdwatch: Crowd Wisdom and Bridging Algorithms can Inform
Understanding and Reduce the Spread of Misinformation"; Community Notes' matrix factorisation):

    r[u, s] ~ mu + i_u + i_s + f_u * f_s,   1-D factors,
    loss = sum of squared errors + 0.15 * (i_u^2 + i_s^2 + mu^2) + 0.03 * (f_u^2 + f_s^2).

A statement's intercept i_s is the support it gets after the main axis of disagreement (f) has
explained what it can: high only when people on both sides of that axis agree.
Ratings: agree = 1, disagree = 0; passes are LEFT OUT (a pass says "no opinion", not half
support). Fitted by alternating least squares, each half-step an exact ridge solve per
participant or per statement (a 2x2 system) from sparse matrix products; the start is the first
principal component, so the fit is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

HELPFUL_INTERCEPT = 0.40  # Community Notes' thresholds for "helpful"
HELPFUL_MAX_FACTOR = 0.5


@dataclass(frozen=True, eq=False)
class Bridging:
    intercept: np.ndarray  # per column; 0 where not fitted
    factor: np.ndarray
    n_ratings: np.ndarray
    mu: float


def _solve_2x2(
    n: np.ndarray,
    sx: np.ndarray,
    sxx: np.ndarray,
    sy: np.ndarray,
    sxy: np.ndarray,
    lam_i: float,
    lam_f: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Per entity, the exact minimiser of sum (y - i - f*x)^2 + lam_i*i^2 + lam_f*f^2."""
    a, b, d = n + lam_i, sx, sxx + lam_f
    det = a * d - b * b  # > 0 since both lambdas are positive
    return (d * sy - b * sxy) / det, (a * sxy - b * sy) / det


def fit_bridging(
    rows: np.ndarray,
    cols: np.ndarray,
    ratings: np.ndarray,
    n_rows: int,
    n_cols: int,
    start: np.ndarray,
    *,
    lam_intercept: float,
    lam_factor: float,
    iterations: int,
) -> Bridging:
    """`ratings` in {0, 1} on cells (rows, cols); `start` is the initial statement factor.
    Each half-step's sums are sparse matrix products (single-threaded, fixed order)."""
    n_ratings = np.bincount(cols, minlength=n_cols)
    if len(ratings) == 0:
        zeros = np.zeros(n_cols)
        return Bridging(zeros, zeros.copy(), n_ratings, 0.0)
    r = ratings.astype(np.float64)
    seen = sp.csr_matrix((np.ones(len(r)), (rows, cols)), shape=(n_rows, n_cols))
    rated = sp.csr_matrix((r, (rows, cols)), shape=(n_rows, n_cols))
    seen_t, rated_t = seen.T.tocsr(), rated.T.tocsr()
    n_u = np.asarray(seen.sum(axis=1)).ravel()
    n_s = np.asarray(seen.sum(axis=0)).ravel()
    r_u = np.asarray(rated.sum(axis=1)).ravel()
    r_s = np.asarray(rated.sum(axis=0)).ravel()
    total = float(r.sum())
    f_s = np.asarray(start, dtype=np.float64).copy()
    if not np.any(f_s[cols]):
        f_s = np.random.default_rng(0).normal(0.0, 0.1, n_cols)
    i_s = np.zeros(n_cols)
    i_u = np.zeros(n_rows)
    f_u = np.zeros(n_rows)
    mu = 0.0
    for _ in range(iterations):
        previous = i_s.copy()
        cross = float(f_u @ (seen @ f_s))
        mu = (total - n_u @ i_u - n_s @ i_s - cross) / (len(r) + lam_intercept)
        # Participants: x = f_s, y = r - mu - i_s over their ratings.
        m = seen @ np.column_stack([f_s, f_s * f_s, i_s, i_s * f_s])
        sy = r_u - mu * n_u - m[:, 2]
        sxy = rated @ f_s - mu * m[:, 0] - m[:, 3]
        i_u, f_u = _solve_2x2(n_u, m[:, 0], m[:, 1], sy, sxy, lam_intercept, lam_factor)
        # Statements: x = f_u, y = r - mu - i_u.
        m = seen_t @ np.column_stack([f_u, f_u * f_u, i_u, i_u * f_u])
        sy = r_s - mu * n_s - m[:, 2]
        sxy = rated_t @ f_u - mu * m[:, 0] - m[:, 3]
        i_s, f_s = _solve_2x2(n_s, m[:, 0], m[:, 1], sy, sxy, lam_intercept, lam_factor)
        if np.max(np.abs(i_s - previous)) < 1e-6:
            break
    # The factor's sign is arbitrary: orient it like the start (the first principal component).
    if float(f_s @ start) < 0:
        f_s = -f_s
    unrated = n_ratings == 0
    i_s[unrated] = 0.0
    f_s[unrated] = 0.0
    return Bridging(intercept=i_s, factor=f_s, n_ratings=n_ratings, mu=float(mu))
