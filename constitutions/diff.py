"""Compare two versions' documents: principles merged, reworded (with a word-level diff), dropped,
added, removed and unchanged.

A new principle whose sources come from two or more old principles is a merge of them (curation
keeps every source of a merge), and is reported as one before any pairing, so a merge never reads
as a word-by-word reword of one of its parts. The rest are paired by identical text, then by a
shared source statement, then by textual similarity. An old principle left unpaired is "dropped"
when the new document lists it among its dropped principles (with the facilitator's reason),
else "removed"."""

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


def _merges(old: list, new: list) -> list[tuple[list[dict], dict]]:
    merges = []
    for after in list(new):
        parts = [before for before in old if before["sources"] & after["sources"]]
        if len(parts) < 2:
            continue
        merges.append((parts, after))
        new.remove(after)
        for before in parts:
            old.remove(before)
    return merges


def _dropped(old: list, dropped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Old principles the new version's facilitators dropped, with their reason. A dropped
    principle keeps its compiled text, which an earlier version may have reworded: hence the
    similarity match."""
    found = []
    for entry in dropped:
        text = normalise_for_comparison(entry["text"])
        for before in old:
            if similarity(before["normalised"], text) >= REWORD_SIMILARITY:
                found.append({**_public(before), "reason": entry.get("reason", "")})
                old.remove(before)
                break
    return found


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    before, after = _entries(old), _entries(new)
    merged = _merges(before, after)
    unchanged = _pair(before, after, lambda a, b: a["normalised"] == b["normalised"])
    reworded = _pair(before, after, lambda a, b: bool(a["sources"] & b["sources"]))
    reworded += _pair(
        before,
        after,
        lambda a, b: similarity(a["normalised"], b["normalised"]) >= REWORD_SIMILARITY,
    )
    dropped = _dropped(before, new.get("dropped_principles", []))
    return {
        "from": old["version"],
        "to": new["version"],
        "merged": [{"from": [_public(a) for a in parts], "to": _public(b)} for parts, b in merged],
        "added": [_public(entry) for entry in after],
        "dropped": dropped,
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
