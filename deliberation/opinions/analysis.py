"""`analyse(...)`: one conversation's votes in, one deterministic `Analysis` out.

Three stages, each a frozen dataclass handed to the next and to `summarise`: the embedding (who
is in conversation, PCA), the grouping (base clusters, opinion groups) and the statement
statistics (tallies, representative statements, consensus, bridging, routing priority).
"""

from __future__ import annotations

from .embedding import Embedding, embed
from .grouping import Grouping, group_participants
from .inputs import Conversation, Parameters
from .matrix import build_matrix
from .results import Analysis
from .state import State, plain
from .statement_stats import statement_stats
from .summary import summarise

ALGORITHM = "polity-opinions/1.4"


def analyse(
    conversation: Conversation,
    *,
    parameters: Parameters | None = None,
    previous_state: State | None = None,
) -> Analysis:
    parameters = parameters or Parameters()
    matrix = build_matrix(conversation, parameters)
    embedding = embed(matrix, parameters=parameters, previous=previous_state)
    grouping = group_participants(embedding, parameters=parameters, previous=previous_state)
    return summarise(
        algorithm=ALGORITHM,
        parameters=parameters,
        embedding=embedding,
        grouping=grouping,
        statistics=statement_stats(embedding, grouping, parameters=parameters),
        state=_next_state(embedding, grouping),
    )


def _next_state(embedding: Embedding, grouping: Grouping) -> State:
    """What the next run starts from: who is in and in which group, the axes, the k smoother."""
    matrix, chosen = embedding.matrix, embedding.in_conversation
    return State(
        algorithm=ALGORITHM,
        in_conversation=tuple(plain(p) for p in matrix.participant_ids[chosen].tolist()),
        groups=tuple(grouping.group_of_row[chosen].tolist()),
        component_statement_ids=tuple(matrix.statement_ids.tolist()),
        components=tuple(tuple(c.tolist()) for c in embedding.pca.components[:2]),
        group_k=grouping.k or None,
        candidate_k=grouping.candidate_k,
        candidate_runs=grouping.candidate_runs,
    )
