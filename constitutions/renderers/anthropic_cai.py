"""The layout of Anthropic's published CAI prompts (anthropics/ConstitutionalHarmlessnessPaper,
`prompts/CritiqueRevisionInstructions.json`): `{key: {"prompt": [critique], "edit_request":
revision}}`, where each request is a completion fragment appended to a Human/Assistant
transcript, "\\n\\nCritiqueRequest: …\\n\\nCritique:" and "\\n\\nRevisionRequest: …\\n\\nRevision:",
so the model's next words are the critique or the revision. Readers take the two known keys of
an entry, so each entry also carries its provenance in an extra `polity` key (a top-level key
of another shape would be picked as an instruction)."""

import json
from typing import Any

from constitutions.renderers.common import (
    DEFAULT_PARTS,
    left_out_sentence,
    provenance,
    training_selection,
)


def critique_fragment(request: str) -> str:
    return f"\n\nCritiqueRequest: {request}\n\nCritique:"


def revision_fragment(request: str) -> str:
    return f"\n\nRevisionRequest: {request}\n\nRevision:"


def render(document: dict[str, Any], parts=DEFAULT_PARTS) -> str:
    selection = training_selection(document, parts)
    shared = {**provenance(document), **selection.summary(), "note": left_out_sentence(selection)}
    body = {}
    for p in selection.principles:
        about = {"part": p["part"], "text": p["text"]}
        if p["part"] == "group":
            about |= {"group": p["group_letter"], "group_size": p["group_size"]}
        body[p["key"]] = {
            "prompt": [critique_fragment(p["critique_request"])],
            "edit_request": revision_fragment(p["revision_request"]),
            "polity": {**about, **shared},
        }
    return json.dumps(body, ensure_ascii=False, indent=2)
