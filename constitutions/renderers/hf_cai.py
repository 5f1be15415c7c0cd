"""The constitution file of the constitutional-AI dataset generator in huggingface/llm-swarm
(`examples/constitutional-ai/generate_dataset.py`; the alignment-handbook recipes train on the
dataset that script writes, they never read this file).

The script's contract, which the tests state: `constitutions` is a list of `{"critic",
"revision"}` and it picks one at random for every prompt, so it is never empty; `system_chat` is
a list of few-shot conversations that it flattens and puts before every chat, which its
hard-coded chat template (Mistral-7B-Instruct) accepts only as strictly alternating user and
assistant turns starting with the user, with no system role. Polity's few-shot conversation
sets out the context and the principles in words. Provenance goes in an extra `polity` key.
"""

import json
from typing import Any

from django.utils.translation import gettext as _

from constitutions.renderers.common import (
    DEFAULT_PARTS,
    left_out_sentence,
    provenance,
    training_selection,
)
from constitutions.renderers.prose import context_card, numbered


def _entry(principle: dict[str, Any]) -> dict[str, Any]:
    entry = {
        "critic": principle["critique_request"],
        "revision": principle["revision_request"],
        "key": principle["key"],
        "part": principle["part"],
    }
    if principle["part"] == "group":
        entry["group"] = principle["group_letter"]
        entry["group_size"] = principle["group_size"]
    return entry


def render(document: dict[str, Any], parts=DEFAULT_PARTS) -> str:
    selection = training_selection(document, parts)
    answer = "\n".join(
        [
            *context_card(document),
            "",
            _("The community of this context agreed on these principles, and I follow them:"),
            *numbered(selection.principles),
        ]
    )
    conversation = [
        {"role": "user", "content": _("Where are you used, and which principles guide you?")},
        {"role": "assistant", "content": answer},
    ]
    body = {
        "constitutions": [_entry(p) for p in selection.principles],
        "system_chat": [conversation],
        "polity": {
            **provenance(document),
            **selection.summary(),
            "note": left_out_sentence(selection),
        },
    }
    return json.dumps(body, ensure_ascii=False, indent=2)
