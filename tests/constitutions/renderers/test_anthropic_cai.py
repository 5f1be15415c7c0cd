"""anthropic-cai against the layout of anthropics/ConstitutionalHarmlessnessPaper's
prompts/CritiqueRevisionInstructions.json: `{key: {"prompt": [critique], "edit_request":
revision}}`, each a completion fragment appended to a Human/Assistant transcript, so that the
transcript ends with "Critique:" (or "Revision:") and the model's next words are the answer."""

import json

from constitutions.renderers import anthropic_cai

TRANSCRIPT = "\n\nHuman: Can you find me a book on sailing?\n\nAssistant: Here are three."


def test_anthropic_cai_requests_are_completion_fragments(document, parts):
    body = json.loads(anthropic_cai.render(document, parts))
    trained = [p for part in parts for p in document[f"{part}_principles"]]
    assert list(body) == [p["key"] for p in trained]
    for principle in trained:
        entry = body[principle["key"]]
        critique = TRANSCRIPT + entry["prompt"][0]
        assert critique.endswith(
            f"Here are three.\n\nCritiqueRequest: {principle['critique_request']}\n\nCritique:"
        )
        revision = critique + " It names no titles." + entry["edit_request"]
        assert revision.endswith(
            f"titles.\n\nRevisionRequest: {principle['revision_request']}\n\nRevision:"
        )


def test_anthropic_cai_carries_provenance_licence_and_citation_in_the_body(document, parts):
    body = json.loads(anthropic_cai.render(document, parts))
    for entry in body.values():
        polity = entry["polity"]
        assert polity["version"] == document["version"]
        assert polity["content_sha256"] == document["content_sha256"]
        assert polity["licence"] == document["licence"]["id"]
        assert document["content_sha256"] in polity["citation"]
        assert polity["parts"] == list(parts)
