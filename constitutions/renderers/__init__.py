"""Renderers of a published version, one module per format, all reading the stored canonical
document. `FORMATS` maps the `?format=` names of the API to (render function, media type)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from constitutions.renderers import anthropic_cai, evalset, hf_cai, jsonl, markdown, rlaif
from constitutions.renderers.canonical import canonical_bytes


@dataclass(frozen=True)
class Format:
    render: Callable[[dict[str, Any]], str]
    media_type: str
    extension: str


def _json(document: dict[str, Any]) -> str:
    return canonical_bytes(document).decode("utf-8")


FORMATS = {
    "json": Format(_json, "application/json", "json"),
    "markdown": Format(markdown.render, "text/markdown; charset=utf-8", "md"),
    "hf-cai": Format(hf_cai.render, "application/json", "json"),
    "anthropic-cai": Format(anthropic_cai.render, "application/json", "json"),
    "rlaif": Format(rlaif.render, "application/json", "json"),
    "jsonl": Format(jsonl.render, "application/x-ndjson; charset=utf-8", "jsonl"),
    **{name: Format(*spec) for name, spec in evalset.FORMATS.items()},
}
