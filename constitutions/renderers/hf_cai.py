"""Hugging Face's constitutional-AI recipe format (the `constitutions` / `system_chat` JSON its
alignment-handbook recipe reads), with Polity's provenance in an extra top-level `polity` key."""

import json
from typing import Any

from django.utils.translation import gettext as _

from constitutions.renderers.common import provenance, training_principles


def render(document: dict[str, Any]) -> str:

    context = document["context"]
    system = _(
        "You are an AI assistant used in this context: %(title)s. Follow the principles its "
        "community agreed on."
    ) % {"title": context["title"]}
    body = {
        "constitutions": [
            {"critic": p["critique_request"], "revision": p["revision_request"]}
            for p in training_principles(document)
        ],
        "system_chat": [[{"role": "system", "content": system}]],
        "polity": provenance(document),
    }
    return json.dumps(body, ensure_ascii=False, indent=2)
