"""RLAIF preference principles, "Choose the response that ..." (Bai et al. 2022; Lee et al. 2023),
one per consensus principle, next to the provenance."""

import json
from typing import Any

from constitutions.renderers.common import provenance, training_principles
from constitutions.wording import as_preference


def render(document: dict[str, Any]) -> str:

    body = {
        **provenance(document),
        "principles": [as_preference(p["text"]) for p in training_principles(document)],
    }
    return json.dumps(body, ensure_ascii=False, indent=2)
