import json
from pathlib import Path

import jsonschema
import pytest

from constitutions.renderers import FORMATS
from tests.constitutions.helpers import published_version

SCHEMAS = Path(__file__).resolve().parents[2] / "constitutions" / "schemas"


def schema(name):
    return json.loads((SCHEMAS / f"{name}.json").read_text())


def validate_format(name: str, body: str, version) -> None:
    """Validate one rendered format against its schema and check it names the version."""
    if name == "json":
        document = json.loads(body)
        jsonschema.validate(document, schema("constitution-v1"))
        assert document["content_sha256"] == version.content_sha256
    elif name == "markdown":
        assert version.content_sha256 in body and f"constitution {version.number}" in body
    elif name in ("jsonl", "eval-pairwise"):
        lines = [json.loads(line) for line in body.splitlines()]
        assert lines or name == "eval-pairwise"  # the helper's version has no scenarios
        for line in lines:
            jsonschema.validate(line, schema("jsonl-line" if name == "jsonl" else f"{name}-line"))
            assert line["content_sha256"] == version.content_sha256
    elif name == "eval":
        samples = json.loads(body)
        jsonschema.validate(samples, schema("eval"))
        assert all(s["metadata"]["content_sha256"] == version.content_sha256 for s in samples)
    else:
        document = json.loads(body)
        jsonschema.validate(document, schema(name))
        if name != "anthropic-cai":  # that format has no room: the API sends headers instead
            carrier = document.get("polity", document)
            assert carrier["content_sha256"] == version.content_sha256
            assert carrier["version"] == version.number


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(FORMATS))
def test_format_validates_against_its_schema(name, context, conversation, facilitator):
    version = published_version(context, conversation, facilitator)
    body = FORMATS[name].render(json.loads(version.canonical_json))
    validate_format(name, body, version)


@pytest.mark.django_db
def test_training_formats_carry_the_reworded_consensus_principles(
    context, conversation, facilitator
):
    version = published_version(context, conversation, facilitator)
    document = json.loads(version.canonical_json)
    rlaif = json.loads(FORMATS["rlaif"].render(document))
    assert "Choose the response that admits uncertainty." in rlaif["principles"]
    assert len(rlaif["principles"]) == len(document["consensus_principles"]) == 2
    anthropic = json.loads(FORMATS["anthropic-cai"].render(document))
    assert set(anthropic) == {"consensus-1", "consensus-2"}


def test_markdown_escapes_user_text():
    from constitutions.renderers.markdown import escape

    assert escape("[click](javascript:alert(1)) <b>") == (
        "\\[click\\]\\(javascript:alert\\(1\\)\\) \\<b\\>"
    )
