"""Group tallies, representative statements, majority and group-informed consensus.

Formulas from the Polis method (Small et al. 2021, "Polis: Scaling deliberation by mapping high
dimensional opinion spaces"; compdemocracy/polis math, repness and consensus) as restated in
OPINION_MATH.md sections 1.7-1.10. Written from the description, not the Clojure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .matrix import VoteMatrix


@dataclass(frozen=True, eq=False)
class Tallies:
    agree: np.ndarray  # groups x columns
    disagree: np.ndarray
    seen: np.ndarray


def group_tallies(matrix: VoteMatrix, group_of_row: np.ndarray, n_groups: int) -> Tallies:
    """A, D, S per group and statement from the latest raw votes; rows with group -1 are out."""
    member = group_of_row[matrix.rows] >= 0
    cell = group_of_row[matrix.rows[member]] * matrix.n_cols + matrix.cols[member]
    values = matrix.values[member]
    size = n_groups * matrix.n_cols

    def count(mask: np.ndarray | None) -> np.ndarray:
        chosen = cell if mask is None else cell[mask]
        return np.bincount(chosen, minlength=size).reshape(n_groups, matrix.n_cols)

    return Tallies(agree=count(values == 1), disagree=count(values == -1), seen=count(None))


def proportion_test(success: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """Polis' one-proportion statistic 2*sqrt(S+1)*((A+1)/(S+1) - 1/2)."""
    return 2.0 * np.sqrt(trials + 1.0) * ((success + 1.0) / (trials + 1.0) - 0.5)


def two_proportion_test(
    success: np.ndarray, trials: np.ndarray, success_rest: np.ndarray, trials_rest: np.ndarray
) -> np.ndarray:
    """Two-proportion z with every count +1 first (Polis), 0 when the pooled p is 1."""
    s1, n1 = success + 1.0, trials + 1.0
    s2, n2 = success_rest + 1.0, trials_rest + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(np.maximum(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2), 0.0))
    z = np.divide(s1 / n1 - s2 / n2, spread, out=np.zeros_like(spread), where=spread > 0)
    return np.where(pooled >= 1.0, 0.0, z)


@dataclass(frozen=True, eq=False)
class RepnessStats:
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def repness_stats(t: Tallies) -> RepnessStats:
    a, d, s = (x.astype(np.float64) for x in (t.agree, t.disagree, t.seen))
    a_rest, d_rest, s_rest = a.sum(0) - a, d.sum(0) - d, s.sum(0) - s
    pa, pd = (a + 1) / (s + 2), (d + 1) / (s + 2)
    return RepnessStats(
        pa=pa,
        pd=pd,
        pat=proportion_test(a, s),
        pdt=proportion_test(d, s),
        ra=pa / ((a_rest + 1) / (s_rest + 2)),
        rd=pd / ((d_rest + 1) / (s_rest + 2)),
        rat=two_proportion_test(a, s, a_rest, s_rest),
        rdt=two_proportion_test(d, s, d_rest, s_rest),
    )


def _entry(t: Tallies, r: RepnessStats, g: int, j: int, best_agree: bool = False) -> dict:
    # Polis labels every entry, the best-agree one included, by which test is stronger.
    agree = bool(r.rat[g, j] > r.rdt[g, j])
    direction = "agree" if agree else "disagree"
    return {
        "column": j,
        "direction": direction,
        "n_success": int((t.agree if agree else t.disagree)[g, j]),
        "n_trials": int(t.seen[g, j]),
        "p_success": float((r.pa if agree else r.pd)[g, j]),
        "p_test": float((r.pat if agree else r.pdt)[g, j]),
        "repness": float((r.ra if agree else r.rd)[g, j]),
        "repness_test": float((r.rat if agree else r.rdt)[g, j]),
        "best_agree": best_agree,
    }


def representative(t: Tallies, in_maths: np.ndarray, *, z: float, top: int) -> list[list[dict]]:
    """Per group, the representative statements in Polis' order (OPINION_MATH 1.8)."""
    r = repness_stats(t)
    columns = np.flatnonzero(in_maths)
    result: list[list[dict]] = []
    for g in range(t.seen.shape[0]):
        best, best_score = None, -np.inf
        best_agree = None
        sufficient: list[tuple[float, int, str]] = []
        for j in columns.tolist():
            rat, rdt, pat, pdt = r.rat[g, j], r.rdt[g, j], r.pat[g, j], r.pdt[g, j]
            score = max(rat, rdt)
            if score > best_score:
                best, best_score = j, score
            if t.agree[g, j] + t.disagree[g, j] > 0:
                if best_agree is None:
                    if pat > z or (r.ra[g, j] > 1 and r.pa[g, j] > 0.5):
                        best_agree = j
                else:
                    c = best_agree
                    if r.ra[g, c] > 1:
                        better = (
                            r.ra[g, j] * rat * r.pa[g, j] * pat
                            > r.ra[g, c] * r.rat[g, c] * r.pa[g, c] * r.pat[g, c]
                        )
                    else:
                        better = r.pa[g, j] * pat > r.pa[g, c] * r.pat[g, c]
                    if better:
                        best_agree = j
            if (rat > z and pat > z) or (rdt > z and pdt > z):
                if rat > rdt:
                    metric = r.ra[g, j] * rat * r.pa[g, j] * pat
                    sufficient.append((float(metric), j, "agree"))
                else:
                    metric = r.rd[g, j] * rdt * r.pd[g, j] * pdt
                    sufficient.append((float(metric), j, "disagree"))
        if not sufficient:
            if best_agree is not None:
                chosen = [_entry(t, r, g, best_agree, True)]
            elif best is not None:
                chosen = [_entry(t, r, g, best)]
            else:
                chosen = []
            result.append(chosen)
            continue
        ranked = sorted(
            (s for s in sufficient if s[1] != best_agree), key=lambda s: -s[0]
        )  # stable: statement order breaks ties
        chosen = []
        if best_agree is not None:
            chosen.append(_entry(t, r, g, best_agree, True))
        chosen += [_entry(t, r, g, j) for _, j, _ in ranked]
        chosen = chosen[:top]
        # Agree-direction entries (and the best-agree one, whatever its label) go first.
        first = [c for c in chosen if c["best_agree"] or c["direction"] == "agree"]
        chosen = first + [c for c in chosen if c not in first]
        result.append(chosen)
    return result


def majority(matrix: VoteMatrix, *, z: float, top: int) -> dict[str, list[dict]]:
    """Polis' report "consensus": statements most participants agree (or disagree) with, over
    all participants' latest votes (OPINION_MATH 1.9)."""
    everyone = np.zeros(matrix.n_rows, dtype=np.int64)
    t = group_tallies(matrix, everyone, 1)
    result: dict[str, list[dict]] = {}
    for direction, counts in (("agree", t.agree[0]), ("disagree", t.disagree[0])):
        seen = t.seen[0]
        p = (counts + 1.0) / (seen + 2.0)
        test = proportion_test(counts.astype(np.float64), seen.astype(np.float64))
        ok = np.flatnonzero(matrix.in_maths & (p > 0.5) & (test > z))
        order = ok[np.argsort(-(p[ok] * test[ok]), kind="stable")][:top]
        result[direction] = [
            {
                "column": int(j),
                "n_success": int(counts[j]),
                "n_trials": int(seen[j]),
                "p_success": float(p[j]),
                "p_test": float(test[j]),
            }
            for j in order
        ]
    return result


def group_informed_consensus(t: Tallies) -> tuple[np.ndarray, np.ndarray]:
    """Product over groups of (A_g+1)/(S_g+2) (Polis' group-aware consensus), and the
    disagree analogue."""
    agree = np.prod((t.agree + 1.0) / (t.seen + 2.0), axis=0)
    disagree = np.prod((t.disagree + 1.0) / (t.seen + 2.0), axis=0)
    return agree, disagree


# Polis' report treats GIC above these as consensus, for 2, 3, 4, 5 groups.
GIC_THRESHOLDS = {1: 0.70, 2: 0.70, 3: 0.47, 4: 0.32, 5: 0.24}
