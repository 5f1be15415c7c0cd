"""jsonl against readers that split lines with `str.splitlines()` (which also breaks at U+0085,
U+2028 and U+2029) and against the `datasets` library's JSON loader."""

import json

import datasets

from constitutions.renderers import jsonl


def test_jsonl_keeps_one_principle_per_physical_line_whatever_the_text(document):
    principle = (document["consensus_principles"] or document["group_principles"])[0]
    principle["text"] = "First part\u2028second part\u2029third\u0085fourth"
    body = jsonl.render(document)
    lines = body.splitlines()
    assert len(lines) == len(document["consensus_principles"]) + len(document["group_principles"])
    assert lines == body.split("\n")[:-1]
    assert json.loads(lines[0])["text"] == principle["text"]


def test_jsonl_loads_with_datasets_one_row_per_principle(document, tmp_path):
    path = tmp_path / "constitution.jsonl"
    path.write_text(jsonl.render(document), encoding="utf-8")
    rows = datasets.load_dataset(
        "json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache")
    )
    assert rows.num_rows == len(document["consensus_principles"]) + len(
        document["group_principles"]
    )
    assert set(rows["content_sha256"]) == {document["content_sha256"]}
    assert set(rows["licence"]) == {document["licence"]["id"]}
    groups = [row for row in rows if row["part"] == "group"]
    assert all(row["group_letter"] in "ABCDEFGHIJ" and row["group_size"] > 0 for row in groups)
