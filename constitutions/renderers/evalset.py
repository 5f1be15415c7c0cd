"""A version's scenarios as an evaluation set, in three shapes.

- `eval`: a JSON array with one sample per scenario, in the field names inspect_ai's
  `json_dataset` reads by default (`input`, `target`, `id`, `metadata`), so
  `json_dataset("eval.json")` needs no field mapping. The target is what a model grader checks
  the answer against (inspect_ai's `model_graded_qa` reads it as the criterion). Its SHA-256,
  over these exact bytes, is the "eval set hash" that adherence reports name.
- `eval-pairwise`: JSON Lines, one line per scenario with both example responses, in TRL's
  conversational preference shape (`prompt`, `chosen`, `rejected`), for preference training and
  for calibrating a judge.
- `eval-rubric`: one rubric per principle (the principle, what to look for, its scenarios).

The wording is fixed English and never translated (the provenance's citation is rendered in
English too): the eval set hash must not depend on the language of the request. Every shape
carries the version's provenance, licence and citation, as every format does.
"""

import hashlib
import json
from functools import wraps
from typing import Any

from django.utils import translation

from constitutions.renderers.common import provenance

PARTS = (("consensus", "consensus_principles"), ("group", "group_principles"))


def _in_english(render_function):
    @wraps(render_function)
    def render_in_english(document):
        with translation.override("en"):
            return render_function(document)

    return render_in_english


def _principles(document: dict[str, Any]):
    for part, key in PARTS:
        for principle in document[key]:
            yield part, principle


def look_for(principle: dict[str, Any]) -> list[str]:
    """What a grader should look for: the critique request, then each example's reason."""
    points = [principle["critique_request"]] if principle.get("critique_request") else []
    for scenario in principle.get("scenarios", []):
        if scenario["following_why"]:
            points.append(f"Good: {scenario['following_why']}")
        if scenario["breaking_why"]:
            points.append(f"Bad: {scenario['breaking_why']}")
    return points


def criterion(principle: dict[str, Any]) -> str:
    lines = [f"The response follows this principle: {principle['text']}"]
    lines += [f"- {point}" for point in look_for(principle)]
    return "\n".join(lines)


def _input(turns: list[dict[str, str]]) -> str | list[dict[str, str]]:
    # A lone user message is a plain string; a conversation is a list of chat messages.
    return turns[0]["content"] if len(turns) == 1 else turns


def _metadata(document, part, principle, scenario) -> dict[str, Any]:
    return {
        **provenance(document),
        "principle": principle["key"],
        "principle_text": principle["text"],
        "part": part,
        "group": principle.get("group"),
        "scenario": scenario["id"],
        "following": scenario["following"],
        "following_why": scenario["following_why"],
        "breaking": scenario["breaking"],
        "breaking_why": scenario["breaking_why"],
    }


def samples(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{principle['key']}/{number}",
            "input": _input(scenario["turns"]),
            "target": criterion(principle),
            "metadata": _metadata(document, part, principle, scenario),
        }
        for part, principle in _principles(document)
        for number, scenario in enumerate(principle.get("scenarios", []), start=1)
    ]


@_in_english
def render(document: dict[str, Any]) -> str:
    return json.dumps(samples(document), ensure_ascii=False, indent=2, sort_keys=True)


def eval_sha256(document: dict[str, Any]) -> str:
    """The eval set hash: SHA-256 of the `eval` body exactly as served."""
    return hashlib.sha256(render(document).encode("utf-8")).hexdigest()


@_in_english
def render_pairwise(document: dict[str, Any]) -> str:
    lines = [
        {
            **provenance(document),
            "id": f"{principle['key']}/{number}",
            "prompt": scenario["turns"],
            "chosen": [{"role": "assistant", "content": scenario["following"]}],
            "rejected": [{"role": "assistant", "content": scenario["breaking"]}],
            "chosen_why": scenario["following_why"],
            "rejected_why": scenario["breaking_why"],
            "principle": principle["key"],
            "principle_text": principle["text"],
            "part": part,
            "group": principle.get("group"),
        }
        for part, principle in _principles(document)
        for number, scenario in enumerate(principle.get("scenarios", []), start=1)
        if scenario["following"] and scenario["breaking"]
    ]
    return "".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n" for line in lines)


@_in_english
def render_rubric(document: dict[str, Any]) -> str:
    rubrics = [
        {
            "principle": principle["key"],
            "part": part,
            "group": principle.get("group"),
            "text": principle["text"],
            "look_for": look_for(principle),
            "criterion": criterion(principle),
            "scenarios": [_input(s["turns"]) for s in principle.get("scenarios", [])],
        }
        for part, principle in _principles(document)
    ]
    body = {"polity": provenance(document), "rubrics": rubrics}
    return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True)


# Formats with one entry per scenario: empty for a version without scenarios (the rubric is
# per principle, so never empty).
PER_SCENARIO = ("eval", "eval-pairwise")

# (render, media type, file extension) per `?format=` name, registered in renderers/__init__.py.
FORMATS = {
    "eval": (render, "application/json", "json"),
    "eval-pairwise": (render_pairwise, "application/x-ndjson; charset=utf-8", "jsonl"),
    "eval-rubric": (render_rubric, "application/json", "json"),
}


def dataset_files(document: dict[str, Any]) -> dict[str, str]:
    """The eval set's files in `export_constitution`'s dataset folder (none without scenarios):
    `eval/eval.json` is byte for byte the `eval` body, so its SHA-256 is the eval set hash."""
    if not samples(document):
        return {}
    return {
        "eval/eval.json": render(document),
        "eval/eval-pairwise.jsonl": render_pairwise(document),
        "eval/eval-rubric.json": render_rubric(document),
    }
