"""The results page's view model: groups, consensus, bridging and contested statements, and the
map, from one analysis snapshot."""

from deliberation.models import AnalysisSnapshot
from frontend.presenters.groups import SHAPES, bars, group_name
from frontend.presenters.opinion_map import opinion_map

# Statements listed per section; the snapshot keeps them all.
TOP = 5


def results_view_model(
    snapshot: AnalysisSnapshot, viewer_id: int | None, with_statements: bool = False
) -> dict:
    """Everything the template shows, with statement texts looked up once."""
    result = snapshot.result
    texts = dict(snapshot.conversation.statements.values_list("id", "text"))
    by_id = {s["statement_id"]: s for s in result["statements"]}

    def statement(statement_id, **extra) -> dict:
        entry = by_id[statement_id]
        return {"id": statement_id, "text": texts.get(statement_id, ""), "bars": bars(entry),
                "entry": entry, **extra}  # fmt: skip

    total = result["n_in_conversation"] or 1
    groups = [
        {
            "id": g["id"],
            "name": group_name(g["id"]),
            "shape": SHAPES[g["id"] % len(SHAPES)],
            "size": g["size"],
            "percent": round(100 * g["size"] / total),
            "x": round(g["x"], 2),
            "y": round(g["y"], 2),
            "representative": [
                statement(r["statement_id"], rep=r) for r in g["representative"][:TOP]
            ],
        }
        for g in result["groups"]
    ]
    bridging = sorted(
        (
            s
            for s in result["statements"]
            if s["in_maths"] and s["bridging_ratings"] >= result["parameters"]["bridging_min_votes"]
        ),
        key=lambda s: (-s["bridging_intercept"], s["statement_id"]),
    )[:TOP]
    return {
        "snapshot": snapshot,
        "result": result,
        "map": opinion_map(result, viewer_id, texts if with_statements else None),
        "groups": groups,
        "majority_agree": [
            statement(m["statement_id"], m=m) for m in result["majority_agree"][:TOP]
        ],
        "majority_disagree": [
            statement(m["statement_id"], m=m) for m in result["majority_disagree"][:TOP]
        ],
        "consensus_agree": [
            statement(c["statement_id"], score=c["score"]) for c in result["consensus_agree"][:TOP]
        ],
        "consensus_disagree": [
            statement(c["statement_id"], score=c["score"])
            for c in result["consensus_disagree"][:TOP]
        ],
        "bridging": [statement(s["statement_id"]) for s in bridging],
        "contested": [
            statement(
                c["statement_id"],
                agreeing=[group_name(g) for g in c["agreeing_groups"]],
                disagreeing=[group_name(g) for g in c["disagreeing_groups"]],
            )
            for c in result["contested"][:TOP]
        ],
    }
