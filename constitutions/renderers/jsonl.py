"""JSON Lines: one principle (consensus and group-specific) per line, provenance flattened into
plain columns so it loads straight into a dataframe or a dataset library."""

import json
from typing import Any

from constitutions.renderers.common import provenance


def _line(document, part: str, principle: dict[str, Any]) -> dict[str, Any]:

    sources = principle["sources"]
    return {
        **provenance(document),
        "part": part,
        "key": principle["key"],
        "text": principle["text"],
        "category": principle["category"],
        "group": principle.get("group"),
        "critique_request": principle["critique_request"],
        "revision_request": principle["revision_request"],
        "source_statements": [s["statement"] for s in sources],
        "source_texts": [s["text"] for s in sources],
        "source_conversations": sorted({s["conversation"] for s in sources}),
        "snapshots": sorted({s["snapshot"] for s in sources}),
        "votes_agree": sum(s["votes"]["agree"] for s in sources),
        "votes_disagree": sum(s["votes"]["disagree"] for s in sources),
        "votes_pass": sum(s["votes"]["pass"] for s in sources),
        "rule": document["selection_rule"]["rule"],
        "rule_score": principle["scores"].get("rule_score"),
        "edits": len(principle["edits"]),
    }


def render(document: dict[str, Any]) -> str:
    lines = [
        _line(document, part, principle)
        for part, key in (("consensus", "consensus_principles"), ("group", "group_principles"))
        for principle in document[key]
    ]
    return "".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n" for line in lines)
