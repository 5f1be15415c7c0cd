"""Compare two versions' documents: principles added, removed, reworded (with a word-level diff)
and unchanged. Principles of two versions are paired by identical text first, then by a shared
source statement, then by textual similarity, so a reworded principle reads as reworded."""

import re
from difflib import SequenceMatcher
from typing import Any

from core.text import normalise_for_comparison, similarity

PARTS = ("consensus_principles", "group_principles", "contested_statements")
REWORD_SIMILARITY = 0.6
_WORDS = re.compile(r"\S+|\s+")


def word_diff(before: str, after: str) -> list[dict[str, str]]:
    """Operations turning `before` into `after`, word by word: equal, delete, insert."""
    a, b = _WORDS.findall(before), _WORDS.findall(after)
    ops = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append({"op": "equal", "text": "".join(a[i1:i2])})
            continue
        if tag in ("delete", "replace"):
            ops.append({"op": "delete", "text": "".join(a[i1:i2])})
        if tag in ("insert", "replace"):
            ops.append({"op": "insert", "text": "".join(b[j1:j2])})
    return ops


def _entries(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "part": part,
            "key": principle["key"],
            "text": principle["text"],
            "normalised": normalise_for_comparison(principle["text"]),
            "sources": {(s["conversation"], s["statement"]) for s in principle["sources"]},
        }
        for part in PARTS
        for principle in document[part]
    ]


def _pair(old: list, new: list, matches) -> list[tuple[dict, dict]]:
    pairs = []
    for before in list(old):
        for after in new:
            if matches(before, after):
                pairs.append((before, after))
                old.remove(before)
                new.remove(after)
                break
    return pairs


def _public(entry: dict[str, Any]) -> dict[str, Any]:
    return {"part": entry["part"], "key": entry["key"], "text": entry["text"]}


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    before, after = _entries(old), _entries(new)
    unchanged = _pair(before, after, lambda a, b: a["normalised"] == b["normalised"])
    reworded = _pair(before, after, lambda a, b: bool(a["sources"] & b["sources"]))
    reworded += _pair(
        before,
        after,
        lambda a, b: similarity(a["normalised"], b["normalised"]) >= REWORD_SIMILARITY,
    )
    return {
        "from": old["version"],
        "to": new["version"],
        "added": [_public(entry) for entry in after],
        "removed": [_public(entry) for entry in before],
        "reworded": [
            {"from": _public(a), "to": _public(b), "words": word_diff(a["text"], b["text"])}
            for a, b in reworded
        ],
        "unchanged": [
            {"from": _public(a), "to": _public(b), "moved": a["part"] != b["part"]}
            for a, b in unchanged
        ],
    }
