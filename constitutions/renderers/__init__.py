"""Renderers of a published version, one module per format, all reading the stored canonical
document. `FORMATS` maps the `?format=` names of the API to (render function, media type);
training formats also take the parts to train on (`?parts=`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from constitutions.renderers import anthropic_cai, hf_cai, jsonl, markdown, rlaif, system_prompt
from constitutions.renderers.canonical import canonical_bytes
from constitutions.renderers.common import DEFAULT_PARTS


@dataclass(frozen=True)
class Format:
    render: Callable[..., str]
    media_type: str
    extension: str
    # Training formats carry only the chosen parts' principles, never contested statements;
    # the others are complete records of the version.
    trains: bool = False

    def body(self, document: dict[str, Any], parts=DEFAULT_PARTS) -> str:
        return self.render(document, parts) if self.trains else self.render(document)


def _json(document: dict[str, Any]) -> str:
    return canonical_bytes(document).decode("utf-8")


FORMATS = {
    "json": Format(_json, "application/json", "json"),
    "markdown": Format(markdown.render, "text/markdown; charset=utf-8", "md"),
    "jsonl": Format(jsonl.render, "application/x-ndjson; charset=utf-8", "jsonl"),
    "hf-cai": Format(hf_cai.render, "application/json", "json", trains=True),
    "anthropic-cai": Format(anthropic_cai.render, "application/json", "json", trains=True),
    "rlaif": Format(rlaif.render, "application/json", "json", trains=True),
    "system-prompt": Format(system_prompt.render, "text/plain; charset=utf-8", "txt", trains=True),
}
TRAINING_FORMATS = tuple(name for name, chosen in FORMATS.items() if chosen.trains)
