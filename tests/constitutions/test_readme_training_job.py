"""The README's "Use a constitution in a training job" example works, run as it is written."""

import json
import re
from pathlib import Path

import pytest

from config.demo import DEMO_SLUG
from tests.constitutions.helpers import published_version

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Use a constitution in a training job"


def readme_example() -> str:
    """The first Python block of the section, exactly as the README shows it."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.find("\n## ", len(SECTION))]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


@pytest.fixture
def example():
    namespace = {"__name__": "readme_example"}  # defines the functions, skips the __main__ part
    exec(compile(readme_example(), str(README), "exec"), namespace)  # noqa: S102 - our README
    return namespace


def test_readme_example_fetches_and_verifies_the_latest_version(
    thaw_after, live_server, context, conversation, facilitator, example
):
    version = published_version(context, conversation, facilitator)
    recipe = example["latest_constitution"](f"{live_server.url}/api/v1", context.slug)
    assert recipe["polity"]["version"] == version.number == "1.0.0"
    assert recipe["polity"]["content_sha256"] == version.content_sha256
    assert recipe["constitutions"] and all(
        set(p) == {"critic", "revision"} for p in recipe["constitutions"]
    )


def test_readme_example_hash_is_the_stored_hash(db, context, conversation, facilitator, example):
    version = published_version(context, conversation, facilitator)
    document = json.loads(version.canonical_json)
    assert example["canonical_sha256"](document) == version.content_sha256
    document["changelog"] += " (edited)"
    assert example["canonical_sha256"](document) != version.content_sha256


def test_readme_example_points_at_the_demo(example):
    assert example["CONTEXT"] == DEMO_SLUG
    assert example["API"] == "http://127.0.0.1:8000/api/v1"
