"""RLAIF preference principles, "Choose the response that ..." (Bai et al. 2022; Lee et al. 2023),
each with the document's key, in two ready shapes:

- `options`: the form of Anthropic's RL principles (ConstitutionalHarmlessnessPaper,
  `prompts/RLMadisonInstructions.json`), a line ending in "Options:" that precedes the two
  lettered responses;
- `judge_system_prompt`: a template for TRL's pairwise judges (`HfPairwiseJudge`,
  `OpenAIPairwiseJudge`), which fill `{prompt}`, `{response0}` and `{response1}` with
  `str.format` and read the first character of the answer as 0 or 1. Braces in principle and
  context texts are doubled so that `str.format` gives them back unchanged.
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
from constitutions.wording import as_preference


def format_literal(text: str) -> str:
    """`text` as a literal inside a `str.format` template."""
    return text.replace("{", "{{").replace("}", "}}")


def _judge_template(document: dict[str, Any], principles: list[dict[str, Any]]) -> str:
    literal = "\n".join(
        [
            _(
                "You judge which of two responses of an AI assistant better follows the principles "
                "its community agreed on."
            ),
            "",
            *context_card(document),
            "",
            _("The principles:"),
            *numbered(principles),
        ]
    )
    placeholders = "\n".join(
        [
            "",
            "",
            _("The user's prompt:"),
            "{prompt}",
            "",
            _("Response 0:"),
            "{response0}",
            "",
            _("Response 1:"),
            "{response1}",
            "",
            _(
                "Choose the response that better follows the principles. Answer with its "
                "number, 0 or 1, and nothing else."
            ),
        ]
    )
    return format_literal(literal) + placeholders


def _principle(p: dict[str, Any]) -> dict[str, Any]:
    preference = as_preference(p["text"])
    item = {
        "key": p["key"],
        "part": p["part"],
        "text": p["text"],
        "preference": preference,
        "options": f"\n{preference} Options:",
    }
    if p["part"] == "group":
        item |= {"group": p["group_letter"], "group_size": p["group_size"]}
    return item


def render(document: dict[str, Any], parts=DEFAULT_PARTS) -> str:
    selection = training_selection(document, parts)
    body = {
        **provenance(document),
        **selection.summary(),
        "note": left_out_sentence(selection),
        "principles": [_principle(p) for p in selection.principles],
        "judge_system_prompt": _judge_template(document, selection.principles),
    }
    return json.dumps(body, ensure_ascii=False, indent=2)
