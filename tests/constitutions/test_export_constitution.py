"""`manage.py export_constitution` writes a dataset folder that `datasets` loads, offline."""

import io
import json

import datasets
import pytest
import yaml
from django.core.management import CommandError, call_command

from config.demo import load_demo
from tests.constitutions.renderers.conftest import group_only_version


def export(slug, number, directory) -> str:
    out = io.StringIO()
    call_command("export_constitution", slug, number, str(directory), stdout=out)
    return out.getvalue()


def card_header(directory) -> dict:
    text = (directory / "README.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.fixture(params=["demo", "group-only"])
def version(request, context, conversation, facilitator):
    if request.param == "demo":
        return load_demo().constitution_version
    return group_only_version(context, conversation, facilitator)


@pytest.mark.django_db
def test_export_constitution_writes_a_folder_that_datasets_loads_offline(version, tmp_path):
    directory = tmp_path / "dataset"
    slug = version.constitution.context.slug
    assert export(slug, "latest", directory).split() == [
        str(directory / "README.md"),
        str(directory / "data" / "principles.parquet"),
    ]
    document = json.loads(version.canonical_json)
    rows = datasets.load_dataset(str(directory), split="train", cache_dir=str(tmp_path / "c"))
    principles = document["consensus_principles"] + document["group_principles"]
    assert rows["text"] == [p["text"] for p in principles]
    assert set(rows["content_sha256"]) == {version.content_sha256}
    assert rows.features["group"].dtype == "int64"  # not float: nulls kept as nulls
    for row, principle in zip(rows, principles, strict=True):
        assert row["critique_request"] == principle["critique_request"]
        assert row["group"] == principle.get("group")


@pytest.mark.django_db
def test_export_constitution_card_says_licence_making_participation_rule_and_citation(
    version, tmp_path
):
    directory = tmp_path / "dataset"
    export(version.constitution.context.slug, version.number, directory)
    header = card_header(directory)
    document = json.loads(version.canonical_json)
    assert header["license"] == "cc-by-4.0"
    assert header["pretty_name"] == f"{document['context']['title']}: constitution 1.0.0"
    assert header["configs"][0]["data_files"][0]["path"] == "data/principles.parquet"
    card = (directory / "README.md").read_text(encoding="utf-8")
    for conversation in document["process"]["conversations"]:
        assert f"| {conversation['participants']} |" in card
        assert f"| {conversation['votes']} |" in card
    assert f"`{document['selection_rule']['rule']}`" in card
    assert "## How it was made" in card and "## How to cite" in card
    assert f"constitution version 1.0.0, published {document['published_at'][:10]}" in card
    assert version.content_sha256 in card


@pytest.mark.django_db
def test_export_constitution_refuses_an_unknown_version_or_a_used_folder(
    context, conversation, facilitator, tmp_path
):
    version = group_only_version(context, conversation, facilitator)
    with pytest.raises(CommandError, match=r"no published version '9\.9\.9'"):
        export(context.slug, "9.9.9", tmp_path / "new")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an empty folder"):
        export(context.slug, version.number, tmp_path / "used")
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["notes.txt"]
