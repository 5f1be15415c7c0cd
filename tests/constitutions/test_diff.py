import pytest

from constitutions.diff import diff_documents, word_diff
from constitutions.renderers.canonical import stored_document
from constitutions.services.curation import drop_principle, merge_principles, reword_principle
from constitutions.services.publishing import publish_version
from tests.constitutions.helpers import compiled_draft, published_version


def test_word_diff_marks_inserted_and_deleted_words():
    ops = word_diff("The assistant should cite sources.", "The assistant must cite sources.")
    assert {"op": "delete", "text": "should"} in ops and {"op": "insert", "text": "must"} in ops


@pytest.mark.django_db
def test_diff_documents_finds_dropped_and_reworded(context, conversation, facilitator, client):
    first = published_version(context, conversation, facilitator, reword=False)
    draft = compiled_draft(context, conversation, facilitator)
    principles = list(draft.principles.filter(part="consensus").order_by("position"))
    reword_principle(
        principle=principles[0], actor=facilitator, text="The assistant must say when it is unsure."
    )
    drop_principle(principle=principles[1], actor=facilitator, reason="Covered elsewhere.")
    second = publish_version(version=draft, actor=facilitator, number="2.0.0", changelog="Tighter.")
    diff = diff_documents(stored_document(first), stored_document(second))
    assert [r["to"]["text"] for r in diff["reworded"]] == [
        "The assistant must say when it is unsure."
    ]
    assert [(r["text"], r["reason"]) for r in diff["dropped"]] == [
        ("The assistant should cite the library catalogue.", "Covered elsewhere.")
    ]
    assert diff["removed"] == [] and diff["added"] == [] and diff["merged"] == []
    response = client.get(
        f"/api/v1/contexts/{context.slug}/constitution/versions/1.0.0/diff/2.0.0/"
    )
    assert response.status_code == 200 and response.json() == diff


@pytest.mark.django_db
def test_diff_documents_names_a_merge_as_a_merge(context, conversation, facilitator, client):
    first = published_version(context, conversation, facilitator, reword=False)
    draft = compiled_draft(context, conversation, facilitator)
    one, two = draft.principles.filter(part="consensus").order_by("position")[:2]
    texts = [one.text, two.text]
    merge_principles(
        version=draft,
        principle_ids=[one.pk, two.pk],
        actor=facilitator,
        text="The assistant should say when it is unsure and cite the catalogue.",
    )
    second = publish_version(version=draft, actor=facilitator, number="2.0.0", changelog="Merged.")
    diff = diff_documents(stored_document(first), stored_document(second))
    (merge,) = diff["merged"]
    assert sorted(p["text"] for p in merge["from"]) == sorted(texts)
    assert merge["to"]["text"].endswith("and cite the catalogue.")
    assert diff["reworded"] == [] and diff["removed"] == [] and diff["added"] == []
    html = client.get(f"/contexts/{context.slug}/constitution/1.0.0/diff/2.0.0/").content.decode()
    assert "Merged" in html and "consensus_principles" not in html
    assert "Consensus principle" in html
