"""The README's "Evaluate a model against a constitution" blocks work, run as they are written:
fetch a version's eval set, run the `inspect eval` line's task on it, post the adherence report
from the log, and find it on the version page and in the API.

The model is scripted (an inspect_ai model provider defined here), so the run needs no network
and no API key: it answers every sample "I am not sure.", and as the judge it grades an answer
correct only against a criterion about admitting uncertainty.
"""

import json
import re
import shlex
from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval
from inspect_ai import list_tasks
from inspect_ai.model import ModelAPI, ModelOutput, modelapi

from constitutions.models import AdherenceReport, Part
from constitutions.services.publishing import publish_version
from constitutions.services.scenarios import add_scenario
from constitutions.services.tokens import create_token
from tests.constitutions.helpers import compiled_draft

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SECTION = "## Evaluate a model against a constitution"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    return section[: section.find("\n## ", len(SECTION))]


def readme_block(language: str) -> str:
    return re.search(rf"```{language}\n(.*?)```", _section(), re.DOTALL).group(1)


class ScriptedModel(ModelAPI):
    async def generate(self, input, tools, tool_choice, config):
        prompt = "\n".join(message.text for message in input)
        if "GRADE: C" in prompt:  # inspect_ai's model_graded_qa asks for a grade
            content = "GRADE: C" if "unsure" in prompt else "GRADE: I"
        else:
            content = "I am not sure."
        return ModelOutput.from_content(model=self.model_name, content=content)


@modelapi(name="polity-scripted")
def _scripted():
    return ScriptedModel


@pytest.fixture
def example():
    namespace = {"__name__": "readme_example"}  # defines the functions, skips the __main__ part
    exec(compile(readme_block("python"), str(README), "exec"), namespace)  # noqa: S102 - our README
    return namespace


def _inspect_line() -> list[str]:
    line = next(
        line for line in readme_block("sh").splitlines() if line.startswith("inspect eval ")
    )
    return shlex.split(line)


def test_example_task_file_loads_and_lists():
    task_file = _inspect_line()[2]
    assert task_file == "examples/polity_eval.py"
    names = [task.name for task in list_tasks("examples", root_dir=ROOT)]
    assert names == ["polity_adherence"]


def test_readme_evaluation_fetches_runs_and_reports(
    thaw_after,
    live_server,
    context,
    conversation,
    facilitator,
    example,
    tmp_path,
    client,
    monkeypatch,
):
    draft = compiled_draft(context, conversation, facilitator)
    for principle in draft.principles.filter(part=Part.CONSENSUS):
        for question in ("Is this atlas up to date?", "Which edition should I read?"):
            add_scenario(principle=principle, actor=facilitator, conversation=question)
    version = publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="1st.")
    api = f"{live_server.url}/api/v1"

    eval_file = tmp_path / "eval.json"
    eval_sha256, content_sha256 = example["fetch_eval_set"](
        eval_file, api=api, context=context.slug
    )
    assert content_sha256 == version.content_sha256

    # The README's `inspect eval` line, with the scripted model in place of the hosted ones.
    words = _inspect_line()
    task_args = dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "-T")
    assert task_args["eval_set"] == "$PWD/eval.json"
    task_args.update(eval_set=str(eval_file), grader="polity-scripted/judge")
    monkeypatch.chdir(ROOT)  # the README runs it from the checkout
    [log] = inspect_eval(
        words[2],
        model="polity-scripted/answers",
        task_args=task_args,
        log_dir=str(tmp_path / "logs"),
        display="none",
    )
    assert log.status == "success", log.error

    results = example["adherence"](log.location)
    by_key = {r["principle"]: r for r in results}
    assert {r["samples"] for r in results} == {2}
    document = json.loads(version.canonical_json)
    expected = {
        p["key"]: 1.0 if "unsure" in p["text"] else 0.0 for p in document["consensus_principles"]
    }
    assert {key: r["follow_share"] for key, r in by_key.items()} == expected
    assert sorted(expected.values()) == [0.0, 1.0]

    _token, raw = create_token(user=facilitator, name="eval job", scope="report", days=1)
    posted = example["post_report"](
        raw,
        content_sha256,
        eval_sha256,
        results,
        model="polity-scripted/answers",
        revision="scripted-1",
        api=api,
        context=context.slug,
    )
    assert posted["model"] == {"name": "polity-scripted/answers", "revision": "scripted-1"}
    report = AdherenceReport.objects.get()
    assert {r.principle_key: r.follow_share for r in report.results.all()} == {
        key: r["follow_share"] for key, r in by_key.items()
    }
    page = client.get(f"/contexts/{context.slug}/constitution/1.0.0/").content.decode()
    assert "polity-scripted/answers" in page and "100%" in page and "0%" in page
