"""rlaif against TRL's pairwise judges (`HfPairwiseJudge`, `OpenAIPairwiseJudge`), whose documented
contract is a `system_prompt` filled with `system_prompt.format(prompt=..., response0=...,
response1=...)` and an answer whose first character is 0 or 1; and against the form of
Anthropic's RL principles (RLMadisonInstructions.json), lines ending in "Options:"."""

import json

from constitutions.renderers import rlaif


def test_rlaif_judge_template_fills_like_trl_and_keeps_principle_braces(document, parts):
    body = json.loads(rlaif.render(document, parts))
    filled = body["judge_system_prompt"].format(
        prompt="Where is {the} atlas?", response0="On shelf 4.", response1="Ask {staff}."
    )
    trained = [p for part in parts for p in document[f"{part}_principles"]]
    # Every principle reads as written, braces included (the group-only version has some).
    assert all(p["text"] in filled for p in trained)
    assert (
        "Where is {the} atlas?\n" in filled and "On shelf 4." in filled and "Ask {staff}." in filled
    )
    assert "0 or 1" in filled


def test_rlaif_principles_have_the_documents_stable_keys(document, parts):
    body = json.loads(rlaif.render(document, parts))
    trained = [p for part in parts for p in document[f"{part}_principles"]]
    keys = [p["key"] for p in body["principles"]]
    assert keys == [p["key"] for p in trained] and len(set(keys)) == len(keys)
    # The same version renders the same keys every time.
    assert json.loads(rlaif.render(document, parts))["principles"] == body["principles"]


def test_rlaif_principles_take_anthropics_options_form(document, parts):
    for principle in json.loads(rlaif.render(document, parts))["principles"]:
        assert principle["options"] == f"\n{principle['preference']} Options:"
        assert principle["preference"].startswith("Choose the response that ")
