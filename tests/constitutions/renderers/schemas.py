"""Each format's JSON Schema (constitutions/schemas/) and a check that a body names its version."""

import json
from pathlib import Path

import jsonschema

SCHEMAS = Path(__file__).resolve().parents[3] / "constitutions" / "schemas"
FORMAT_CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER


def schema(name):
    return json.loads((SCHEMAS / f"{name}.json").read_text())


def validate(instance, name) -> None:
    jsonschema.validate(instance, schema(name), format_checker=FORMAT_CHECKER)


def validate_format(name: str, body: str, version) -> None:
    """Validate one rendered format against its schema and check that its body names the
    version: number and SHA-256, in the body itself (a file saved without headers keeps them)."""
    number, sha256 = version["version"], version["content_sha256"]
    if name == "json":
        document = json.loads(body)
        validate(document, "constitution")
        assert document["content_sha256"] == sha256
    elif name in ("markdown", "system-prompt"):
        assert sha256 in body and number in body
    elif name == "jsonl":
        lines = [json.loads(line) for line in body.splitlines()]
        assert lines
        for line in lines:
            validate(line, "jsonl-line")
            assert (line["content_sha256"], line["version"]) == (sha256, number)
    else:
        document = json.loads(body)
        validate(document, name)
        carriers = (
            [entry["polity"] for entry in document.values()]
            if name == "anthropic-cai"
            else [document.get("polity", document)]
        )
        for carrier in carriers:
            assert (carrier["content_sha256"], carrier["version"]) == (sha256, number)
            assert sha256 in carrier["citation"]
