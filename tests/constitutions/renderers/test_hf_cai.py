"""hf-cai against its consumer, llm-swarm's constitutional-AI generator
(examples/constitutional-ai/generate_dataset.py), a script rather than a package, so its
contract is stated here in its own terms:

- it reads `constitutions` and `system_chat` from the file, flattens `system_chat` (a list of
  conversations) into one list of turns, and puts it before every chat;
- it then appends a user turn (the task), the assistant's answer, a user turn with
  `random.choice(constitutions)["critic"]`, and so on, and renders the chat with
  Mistral-7B-Instruct's template, which raises "Conversation roles must alternate
  user/assistant/user/assistant/..." unless the roles alternate starting with the user, and
  knows no system role.
"""

import json
import random

import pytest

from constitutions.errors import NothingToTrain
from constitutions.renderers import hf_cai


def generator_chat(recipe, task: str) -> list[dict]:
    """What the generator builds before its first request: the flattened few-shot chat and the
    task, then a critique turn from a randomly chosen constitution."""
    chat = [turn for conversation in recipe["system_chat"] for turn in conversation]
    constitution = random.choice(recipe["constitutions"])
    return [
        *chat,
        {"role": "user", "content": task},
        {"role": "assistant", "content": "A first answer."},
        {"role": "user", "content": constitution["critic"]},
    ]


def mistral_template_accepts(chat: list[dict]) -> bool:
    """Mistral-7B-Instruct-v0.1's chat template, in words: turn i is the user's when i is even
    and the assistant's when it is odd, and there is no other role."""
    return all(
        turn["role"] == ("user" if index % 2 == 0 else "assistant")
        for index, turn in enumerate(chat)
    )


def test_hf_cai_system_chat_alternates_user_and_assistant_from_the_user(document, parts):
    recipe = json.loads(hf_cai.render(document, parts))
    for conversation in recipe["system_chat"]:
        assert conversation[0]["role"] == "user" and conversation[-1]["role"] == "assistant"
        assert "system" not in {turn["role"] for turn in conversation}
    for _ in range(5):
        assert mistral_template_accepts(generator_chat(recipe, "How do I renew a book?"))


def test_hf_cai_system_chat_sets_out_the_context_and_every_principle(document, parts):
    recipe = json.loads(hf_cai.render(document, parts))
    words = "\n".join(turn["content"] for c in recipe["system_chat"] for turn in c)
    assert document["context"]["title"] in words
    trained = [p for part in parts for p in document[f"{part}_principles"]]
    assert trained and all(p["text"] in words for p in trained)
    assert not any(p["text"] in words for p in document["contested_statements"])


def test_hf_cai_constitutions_pair_each_principle_with_its_requests(document, parts):
    recipe = json.loads(hf_cai.render(document, parts))
    trained = [p for part in parts for p in document[f"{part}_principles"]]
    assert [(c["critic"], c["revision"]) for c in recipe["constitutions"]] == [
        (p["critique_request"], p["revision_request"]) for p in trained
    ]


def test_hf_cai_group_principles_carry_their_letter_and_size(document):
    assert document["group_principles"]  # both versions have some
    recipe = json.loads(hf_cai.render(document, ("consensus", "group")))
    groups = [c for c in recipe["constitutions"] if c["part"] == "group"]
    assert len(groups) == len(document["group_principles"])
    for entry, principle in zip(groups, document["group_principles"], strict=True):
        assert entry["group"] == "ABCDEFGHIJ"[principle["group"]]
        sizes = {g["group"]: g["size"] for g in principle["sources"][0]["groups"]}
        assert entry["group_size"] == sizes[principle["group"]] > 0


def test_hf_cai_says_how_many_statements_it_left_out_and_why(document, parts):
    polity = json.loads(hf_cai.render(document, parts))["polity"]
    left_out = {item["part"]: item["count"] for item in polity["left_out"]}
    assert left_out.get("contested") == (len(document["contested_statements"]) or None)
    assert "contested" in polity["note"] or not document["contested_statements"]
    if "group" not in parts and document["group_principles"]:
        assert left_out["group"] == len(document["group_principles"])


def test_hf_cai_refuses_a_version_without_the_parts_asked_for(published_documents, db):
    document = json.loads(published_documents["group-only"])
    assert not document["consensus_principles"]
    with pytest.raises(NothingToTrain) as refusal:
        hf_cai.render(document)
    assert "?parts=group" in refusal.value.message
    assert str(len(document["group_principles"])) in refusal.value.message
