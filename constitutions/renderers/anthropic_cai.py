"""The style of Anthropic's published CAI prompts: `{key: {"prompt": [critique], "edit_request":
revision}}`. The format has no room for provenance, so the API sends it as response headers."""

import json
from typing import Any

from constitutions.renderers.common import training_principles


def render(document: dict[str, Any]) -> str:

    body = {
        p["key"]: {"prompt": [p["critique_request"]], "edit_request": p["revision_request"]}
        for p in training_principles(document)
    }
    return json.dumps(body, ensure_ascii=False, indent=2)
