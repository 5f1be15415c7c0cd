"""JSON Lines: one principle (consensus and group-specific) per line, provenance flattened into
plain columns so it loads straight into a dataframe or a dataset library.

One principle per *physical* line: JSON leaves U+0085, U+2028 and U+2029 unescaped, and readers
that split with `str.splitlines()` (as Python's own line iteration of a text does not, but many
do) would cut a line at them, so they are written as `\\uXXXX` escapes."""

import json
from typing import Any

from constitutions.renderers.common import group_letter, group_size, provenance

_LINE_BREAKS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\u0085\u2028\u2029"})


def row(document, part: str, principle: dict[str, Any]) -> dict[str, Any]:
    sources = principle["sources"]
    group = principle.get("group")
    return {
        **provenance(document),
        "part": part,
        "key": principle["key"],
        "text": principle["text"],
        "category": principle["category"],
        "group": group,
        "group_letter": group_letter(group) if group is not None else None,
        "group_size": group_size(principle) if group is not None else None,
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


def rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every consensus and group-specific principle as a flat record (also the dataset's)."""
    return [
        row(document, part, principle)
        for part, key in (("consensus", "consensus_principles"), ("group", "group_principles"))
        for principle in document[key]
    ]


def render(document: dict[str, Any]) -> str:
    return "".join(
        json.dumps(line, ensure_ascii=False, sort_keys=True).translate(_LINE_BREAKS) + "\n"
        for line in rows(document)
    )
