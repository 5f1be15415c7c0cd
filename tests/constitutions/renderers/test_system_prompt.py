"""system-prompt: plain text to paste at inference time, the context card and the principles;
its consumer in the tests is an inspect-ai evaluation's `system_message` solver."""

import json
import subprocess
import sys

from constitutions.renderers import system_prompt

# inspect-ai's `system_message` solver, run on a sample's state as an evaluation runs it (in a
# child process: inspect-ai sets up its own logging and event loop, which must not leak into the
# Django test process). It fills the template with `str.format`-like substitution.
INSPECT_SOLVER = """
import asyncio, json, sys
from inspect_ai.model import ChatMessageUser
from inspect_ai.solver import TaskState, system_message

prompt = open(sys.argv[1], encoding="utf-8").read()
question = ChatMessageUser(content="Where is the atlas?")
state = TaskState(model="mockllm/model", sample_id=1, epoch=1, input="Hi", messages=[question])


async def generate(state, **kwargs):
    return state


state = asyncio.run(system_message(prompt)(state, generate))
print(json.dumps([{"role": m.role, "content": m.content} for m in state.messages]))
"""


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


def test_system_prompt_is_an_inspect_ai_system_message_unchanged(document, tmp_path):
    text = system_prompt.render(document, ("consensus", "group"))
    path = tmp_path / "system-prompt.txt"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", INSPECT_SOLVER, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    messages = json.loads(run.stdout.strip().splitlines()[-1])
    # Braces in principle texts (the group-only version has some) reach the model as written.
    assert messages[0] == {"role": "system", "content": text}
    assert messages[1]["role"] == "user"
