"""The README's "Use a constitution in a training job" recipes work, run as they are written:
the shared block, then each consumer's block in its namespace, against a live server."""

import io
import json
import re
from pathlib import Path

import datasets
import pytest
from django.core.management import call_command

from config.demo import DEMO_SLUG
from tests.constitutions.helpers import published_version
from tests.constitutions.renderers.conftest import group_only_version

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Use a constitution in a training job"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    return text[start : text.find("\n## ", start + len(SECTION))]


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, re.DOTALL)


def recipe(title: str | None) -> str:
    """The shared block (title None), or the Python block of the recipe headed `### title`."""
    text = section()
    if title is None:
        return python_blocks(text.split("\n### ")[0])[0]
    part = text.split(f"\n### {title}\n")[1].split("\n### ")[0]
    return python_blocks(part)[0]


def run(*titles) -> dict:
    namespace = {"__name__": "readme_example"}  # defines the functions, skips the __main__ part
    for title in (None, *titles):
        exec(compile(recipe(title), str(README), "exec"), namespace)  # noqa: S102 - our README
    return namespace


def test_readme_section_has_one_recipe_per_consumer():
    titles = re.findall(r"^### (.+)$", section(), re.MULTILINE)
    assert titles == [
        "llm-swarm's constitutional-AI generator",
        "A TRL judge",
        "The dataset folder",
    ]
    assert all(recipe(title) for title in titles)


def test_readme_shared_block_points_at_the_demo_and_hashes_like_publishing(
    db, context, conversation, facilitator
):
    example = run()
    assert (example["CONTEXT"], example["API"]) == (DEMO_SLUG, "http://127.0.0.1:8000/api/v1")
    version = published_version(context, conversation, facilitator)
    document = json.loads(version.canonical_json)
    assert example["canonical_sha256"](document) == version.content_sha256
    document["changelog"] += " (edited)"
    assert example["canonical_sha256"](document) != version.content_sha256


def test_readme_llm_swarm_recipe_saves_a_verified_hf_cai_file(
    thaw_after, live_server, context, conversation, facilitator, tmp_path
):
    version = published_version(context, conversation, facilitator)
    example = run("llm-swarm's constitutional-AI generator")
    # What a reader does by editing API and CONTEXT: point the recipe at this server.
    example["verified"].__defaults__ = (f"{live_server.url}/api/v1", context.slug)
    path = tmp_path / "constitution.json"
    example["save_for_llm_swarm"](str(path))
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["polity"]["content_sha256"] == version.content_sha256
    assert saved["constitutions"] and saved["system_chat"][0][0]["role"] == "user"


def test_readme_trl_recipe_gives_a_template_trl_can_fill(
    thaw_after, live_server, context, conversation, facilitator
):
    group_only_version(context, conversation, facilitator)
    example = run("A TRL judge")
    example["verified"].__defaults__ = (f"{live_server.url}/api/v1", context.slug)
    template = example["judge_system_prompt"](parts="consensus,group")
    filled = template.format(prompt="Hi {there}", response0="A", response1="B")
    assert "The assistant should speak informally, {like a friend}." in filled
    assert "Hi {there}" in filled


def test_readme_dataset_recipe_loads_the_exported_folder(
    db, context, conversation, facilitator, tmp_path, monkeypatch
):
    version = published_version(context, conversation, facilitator)
    command = re.search(r"```sh\npython manage.py (.*?)\n```", section()).group(1).split()
    assert command[:3] == ["export_constitution", DEMO_SLUG, "latest"]
    folder = tmp_path / command[3]
    call_command(command[0], context.slug, command[2], str(folder), stdout=io.StringIO())
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache")
    principles = run("The dataset folder")["load_constitution"](str(folder))
    document = json.loads(version.canonical_json)
    assert principles.num_rows == len(document["consensus_principles"]) + len(
        document["group_principles"]
    )
    assert version.content_sha256 in principles[0]["citation"]


@pytest.fixture(autouse=True)
def _no_readme_files_left(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the recipes' default paths are relative
