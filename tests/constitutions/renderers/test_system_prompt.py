"""system-prompt: plain text to paste at inference time, the context card and the principles."""

from constitutions.renderers import system_prompt


def test_system_prompt_sets_out_the_context_and_the_chosen_principles(document, parts):
    text = system_prompt.render(document, parts)
    assert document["context"]["title"] in text and document["context"]["description"] in text
    trained = [p for part in parts for p in document[f"{part}_principles"]]
    for index, principle in enumerate(
        [p for p in trained if p in document["consensus_principles"]], start=1
    ):
        assert f"\n{index}. {principle['text']}\n" in text
    assert all(p["text"] in text for p in trained)
    assert not any(p["text"] in text for p in document["contested_statements"])


def test_system_prompt_names_each_group_with_its_letter_and_size(document):
    if not document["group_principles"]:
        return
    text = system_prompt.render(document, ("consensus", "group"))
    for principle in document["group_principles"]:
        size = next(
            g["size"] for g in principle["sources"][0]["groups"] if g["group"] == principle["group"]
        )
        assert f"Group {principle['group_letter']}, {size} participants" in text


def test_system_prompt_ends_with_what_was_left_out_licence_citation_and_hash(document, parts):
    text = system_prompt.render(document, parts)
    if document["contested_statements"]:
        assert f"{len(document['contested_statements'])} contested statement" in text
    assert document["licence"]["url"] in text
    assert f"version {document['version']}" in text
    assert text.count(document["content_sha256"]) == 2  # citation and provenance
    assert "<" not in text and "**" not in text  # plain text, not markup
