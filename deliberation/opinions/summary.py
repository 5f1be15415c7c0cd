"""The typed `Analysis`, assembled from the three stages: embedding, grouping, statistics."""

from __future__ import annotations

import numpy as np

from .bridging import HELPFUL_INTERCEPT, HELPFUL_MAX_FACTOR
from .embedding import Embedding
from .grouping import Grouping
from .inputs import Parameters
from .repness import GIC_THRESHOLDS
from .results import (
    Analysis,
    BaseClusterResult,
    ContestedStatement,
    GroupResult,
    GroupVotes,
    MajorityStatement,
    ParticipantResult,
    RepresentativeStatement,
    ScoredStatement,
    StatementResult,
)
from .state import State, plain
from .statement_stats import StatementStats


def _share(part: np.ndarray, seen: np.ndarray) -> np.ndarray:
    return np.divide(part, seen, out=np.zeros(part.shape), where=seen > 0)


def summarise(
    *,
    algorithm: str,
    parameters: Parameters,
    embedding: Embedding,
    grouping: Grouping,
    statistics: StatementStats,
    state: State,
) -> Analysis:
    matrix, chosen, fitted = embedding.matrix, embedding.in_conversation, embedding.pca
    tallies, bridge = statistics.tallies, statistics.bridging
    group_of_row = grouping.group_of_row
    sid = [plain(s) for s in matrix.statement_ids.tolist()]
    n_groups = tallies.seen.shape[0]
    agree_share = _share(tallies.agree, tallies.seen)
    disagree_share = _share(tallies.disagree, tallies.seen)
    group_votes = [
        tuple(
            GroupVotes(
                group=g,
                agree=int(tallies.agree[g, j]),
                disagree=int(tallies.disagree[g, j]),
                seen=int(tallies.seen[g, j]),
                agree_share=float(agree_share[g, j]),
                disagree_share=float(disagree_share[g, j]),
            )
            for g in range(n_groups)
        )
        for j in range(matrix.n_cols)
    ]

    counts = np.stack(
        [np.bincount(matrix.cols[matrix.values == v], minlength=matrix.n_cols) for v in (1, -1, 0)]
    )
    column_votes = matrix.col_counts()
    helpful = (
        (bridge.intercept >= HELPFUL_INTERCEPT)
        & (np.abs(bridge.factor) < HELPFUL_MAX_FACTOR)
        & (bridge.n_ratings >= parameters.bridging_min_votes)
    )
    statements = tuple(
        StatementResult(
            statement_id=sid[j],
            moderation=str(matrix.moderation[j].value),
            is_meta=bool(matrix.is_meta[j]),
            in_maths=bool(matrix.in_maths[j]),
            n_votes=int(column_votes[j]),
            n_agree=int(counts[0, j]),
            n_disagree=int(counts[1, j]),
            n_pass=int(counts[2, j]),
            mean=float(fitted.center[j]),
            x=float(embedding.statement_xy[j, 0]),
            y=float(embedding.statement_xy[j, 1]),
            extremity=float(embedding.extremity[j]),
            priority=float(statistics.priority[j]),
            gic_agree=float(statistics.gic_agree[j]),
            gic_disagree=float(statistics.gic_disagree[j]),
            bridging_intercept=float(bridge.intercept[j]),
            bridging_factor=float(bridge.factor[j]),
            bridging_ratings=int(bridge.n_ratings[j]),
            bridging_helpful=bool(helpful[j]),
            groups=group_votes[j],
        )
        for j in range(matrix.n_cols)
    )

    xy = fitted.projections[:, :2]
    row_votes = matrix.row_counts()
    pids = [plain(p) for p in matrix.participant_ids.tolist()]
    participants = tuple(
        ParticipantResult(
            participant_id=pids[i],
            n_votes=int(row_votes[i]),
            in_conversation=bool(chosen[i]),
            x=float(xy[i, 0]),
            y=float(xy[i, 1]),
            base_cluster=int(grouping.base_of_row[i]) if grouping.base_of_row[i] >= 0 else None,
            group=int(group_of_row[i]) if group_of_row[i] >= 0 else None,
        )
        for i in range(matrix.n_rows)
    )

    base_results: tuple[BaseClusterResult, ...] = ()
    groups: tuple[GroupResult, ...] = ()
    base = grouping.base
    if base is not None:
        rows_in = np.flatnonzero(chosen)
        base_xy = _means(xy[rows_in], base.labels, len(base.sizes))
        base_results = tuple(
            BaseClusterResult(
                id=b,
                size=int(base.sizes[b]),
                x=float(base_xy[b, 0]),
                y=float(base_xy[b, 1]),
                group=int(grouping.group_of_base[b]),
            )
            for b in range(len(base.sizes))
        )
        group_xy = _means(xy[rows_in], group_of_row[rows_in], n_groups)
        groups = tuple(
            GroupResult(
                id=g,
                size=int((group_of_row == g).sum()),
                x=float(group_xy[g, 0]),
                y=float(group_xy[g, 1]),
                base_clusters=tuple(int(b) for b in np.flatnonzero(grouping.group_of_base == g)),
                representative=tuple(
                    RepresentativeStatement(
                        statement_id=sid[e["column"]],
                        direction=e["direction"],
                        best_agree=e["best_agree"],
                        n_success=e["n_success"],
                        n_trials=e["n_trials"],
                        p_success=e["p_success"],
                        p_test=e["p_test"],
                        repness=e["repness"],
                        repness_test=e["repness_test"],
                    )
                    for e in statistics.representative[g]
                ),
            )
            for g in range(n_groups)
        )

    def majority_list(direction: str) -> tuple[MajorityStatement, ...]:
        return tuple(
            MajorityStatement(
                statement_id=sid[e["column"]],
                n_success=e["n_success"],
                n_trials=e["n_trials"],
                p_success=e["p_success"],
                p_test=e["p_test"],
            )
            for e in statistics.majority[direction]
        )

    threshold = GIC_THRESHOLDS.get(n_groups, min(GIC_THRESHOLDS.values()))

    def above(values: np.ndarray, cut: float) -> tuple[ScoredStatement, ...]:
        hits = np.flatnonzero(matrix.in_maths & (values > cut)) if n_groups else []
        hits = sorted(hits, key=lambda j: -values[j])  # stable: statement order on ties
        return tuple(ScoredStatement(sid[j], float(values[j])) for j in hits)

    enough = tallies.seen >= parameters.contested_min_votes
    broad = (
        np.all(enough & (agree_share >= parameters.broad_agreement_share), axis=0)
        if n_groups
        else np.zeros(matrix.n_cols, bool)
    )
    broad_min = agree_share.min(axis=0) if n_groups else np.zeros(matrix.n_cols)
    contested = _contested(
        sid, matrix, enough, agree_share, disagree_share, group_votes, parameters.contested_share
    )

    return Analysis(
        algorithm=algorithm,
        mode=parameters.mode,
        parameters=parameters,
        n_participants=matrix.n_rows,
        n_in_conversation=int(chosen.sum()),
        n_statements=matrix.n_cols,
        n_statements_in_maths=int(matrix.in_maths.sum()),
        n_votes=matrix.n_votes,
        clustering_dimensions=grouping.dimensions,
        explained_variance=embedding.explained_variance,
        group_k=n_groups,
        group_k_best_this_run=grouping.best_k,
        silhouettes=tuple(sorted((int(k), float(s)) for k, s in grouping.silhouettes.items())),
        participants=participants,
        statements=statements,
        groups=groups,
        base_clusters=base_results,
        majority_agree=majority_list("agree"),
        majority_disagree=majority_list("disagree"),
        consensus_threshold=threshold,
        consensus_agree=above(statistics.gic_agree, threshold),
        consensus_disagree=above(statistics.gic_disagree, threshold),
        broad_agreement=tuple(
            ScoredStatement(sid[j], float(broad_min[j]))
            for j in sorted(np.flatnonzero(broad & matrix.in_maths), key=lambda j: -broad_min[j])
        ),
        contested=contested,
        state=state,
    )


def _means(points: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    mass = np.bincount(labels, minlength=k).astype(np.float64)
    sums = np.stack([np.bincount(labels, weights=points[:, d], minlength=k) for d in range(2)], 1)
    return np.divide(sums, mass[:, None], out=np.zeros_like(sums), where=mass[:, None] > 0)


def _contested(sid, matrix, enough, agree_share, disagree_share, group_votes, share):
    """Contested: some group (with enough votes) agrees with share >= `share` while another
    disagrees with share >= `share`. Strongest first: by the weaker of the two best shares."""
    agreeing = enough & (agree_share >= share)
    disagreeing = enough & (disagree_share >= share)
    found = []
    for j in np.flatnonzero(matrix.in_maths).tolist():
        agree_groups = np.flatnonzero(agreeing[:, j])
        disagree_groups = np.flatnonzero(disagreeing[:, j])
        if len(agree_groups) and len(disagree_groups):
            strength = min(
                agree_share[agree_groups, j].max(), disagree_share[disagree_groups, j].max()
            )
            found.append((-float(strength), j, agree_groups, disagree_groups))
    found.sort(key=lambda f: f[0])  # stable
    return tuple(
        ContestedStatement(
            statement_id=sid[j],
            agreeing_groups=tuple(int(g) for g in a),
            disagreeing_groups=tuple(int(g) for g in d),
            positions=group_votes[j],
        )
        for _, j, a, d in found
    )
