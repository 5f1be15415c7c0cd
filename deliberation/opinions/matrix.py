"""The sparse vote matrix: latest vote per (participant, statement), never densified."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .inputs import Conversation, Moderation, Parameters


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Latest votes as coordinate triplets sorted by (row, column); passes are kept as 0.

    Rows are the non-excluded participants who voted, in sorted id order; columns are the
    listed statements, in sorted id order (statements nobody voted on are columns too).
    """

    participant_ids: np.ndarray
    statement_ids: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray  # int8
    moderation: tuple[Moderation, ...]
    is_meta: np.ndarray  # bool per column
    in_maths: np.ndarray  # bool per column: not moderated out

    @property
    def n_rows(self) -> int:
        return len(self.participant_ids)

    @property
    def n_cols(self) -> int:
        return len(self.statement_ids)

    @property
    def n_votes(self) -> int:
        return len(self.values)

    def row_counts(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Votes per participant, optionally only on cells where `mask` holds."""
        rows = self.rows if mask is None else self.rows[mask]
        return np.bincount(rows, minlength=self.n_rows)

    def col_counts(self) -> np.ndarray:
        return np.bincount(self.cols, minlength=self.n_cols)

    def csr(self, data: np.ndarray, cell_mask: np.ndarray | None = None) -> sp.csr_matrix:
        """A CSR matrix with `data` on the (optionally masked) cells; explicit zeros kept."""
        rows, cols = self.rows, self.cols
        if cell_mask is not None:
            rows, cols, data = rows[cell_mask], cols[cell_mask], data[cell_mask]
        indptr = np.zeros(self.n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=self.n_rows), out=indptr[1:])
        return sp.csr_matrix(
            (np.asarray(data, dtype=np.float64), cols.astype(np.int32), indptr),
            shape=(self.n_rows, self.n_cols),
        )


def _sorted_unique(ids: np.ndarray) -> np.ndarray:
    if ids.dtype == object:
        return np.asarray(sorted(set(ids.tolist())), dtype=object)
    return np.unique(ids)


def _positions(universe: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each id in the sorted `universe`, and whether it is there at all."""
    if len(universe) == 0:
        return np.zeros(len(ids), np.int64), np.zeros(len(ids), bool)
    if universe.dtype == object or ids.dtype == object:
        lookup = {value: i for i, value in enumerate(universe.tolist())}
        index = np.fromiter((lookup.get(v, -1) for v in ids.tolist()), np.int64, len(ids))
        return np.maximum(index, 0), index >= 0
    index = np.searchsorted(universe, ids)
    index = np.minimum(index, len(universe) - 1)
    return index, universe[index] == ids


def moderated_out(moderation: Moderation, is_meta: bool, parameters: Parameters) -> bool:
    """Polis takes rejected and meta statements out of the maths (and unmoderated, if strict)."""
    if is_meta or moderation == Moderation.REJECTED:
        return True
    return parameters.strict_moderation and moderation == Moderation.UNMODERATED


def build_matrix(conversation: Conversation, parameters: Parameters) -> VoteMatrix:
    statements = {s.statement_id: s for s in conversation.statements}  # last listing wins
    statement_ids = _sorted_unique(np.asarray(list(statements), dtype=object))
    if len(statement_ids) and all(isinstance(s, int | np.integer) for s in statement_ids):
        statement_ids = statement_ids.astype(np.int64)
    listed = [statements[s] for s in statement_ids.tolist()]
    moderation = tuple(Moderation(s.moderation) for s in listed)
    is_meta = np.array([bool(s.is_meta) for s in listed], dtype=bool)
    in_maths = np.array(
        [not moderated_out(s.moderation, s.is_meta, parameters) for s in listed], dtype=bool
    )

    votes = conversation.votes
    keep = np.ones(len(votes), dtype=bool)
    if conversation.excluded_participants:
        excluded = _sorted_unique(np.asarray(list(conversation.excluded_participants), object))
        if votes.participant_ids.dtype != object:
            excluded = np.asarray(
                [e for e in excluded.tolist() if isinstance(e, int | np.integer)], np.int64
            )
        _, hit = _positions(excluded, votes.participant_ids)
        keep &= ~hit
    col, known = _positions(statement_ids, votes.statement_ids)
    keep &= known  # votes on statements nobody listed are ignored

    participants = votes.participant_ids[keep]
    participant_ids = _sorted_unique(participants)
    row, _ = _positions(participant_ids, participants)
    col = col[keep]
    values = votes.values[keep]
    times = votes.times[keep]

    # Latest vote per pair: sort by (pair, time, position in the table) and keep each pair's last.
    key = row.astype(np.int64) * max(len(statement_ids), 1) + col
    if len(times) < 2 or bool(np.all(times[1:] >= times[:-1])):
        order = np.argsort(key, kind="stable")  # already in time order: the cheap path
    else:
        order = np.lexsort((np.arange(len(key)), times, key))
    key = key[order]
    last = np.ones(len(key), dtype=bool)
    last[:-1] = key[1:] != key[:-1]
    chosen = order[last]
    return VoteMatrix(
        participant_ids=participant_ids,
        statement_ids=statement_ids,
        rows=row[chosen].astype(np.int64),
        cols=col[chosen].astype(np.int64),
        values=values[chosen].astype(np.int8),
        moderation=moderation,
        is_meta=is_meta,
        in_maths=in_maths,
    )
