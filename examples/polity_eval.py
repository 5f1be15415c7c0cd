"""Evaluate a model against a Polity constitution's eval set, with inspect_ai.

    curl -sS -o eval.json \
      'http://127.0.0.1:8000/api/v1/contexts/public-library-assistant/constitution/versions/1.0.0/?format=eval'
    inspect eval examples/polity_eval.py -T eval_set=eval.json --model openai/gpt-4o-mini

Each sample is one scenario of one principle; its target is what a grader checks the answer
against (the principle and what to look for). `json_dataset` reads the file with its default
field names, so no mapping is needed. The grader is the evaluated model unless `-T grader=...`
names another (a stronger model makes a fairer judge). Per-principle results for an adherence
report come from the log: see the README, "Evaluate a model against a constitution".
"""

from inspect_ai import Task, task
from inspect_ai.dataset import json_dataset
from inspect_ai.scorer import model_graded_qa
from inspect_ai.solver import generate


@task
def polity_adherence(eval_set: str = "eval.json", grader: str | None = None) -> Task:
    return Task(
        dataset=json_dataset(eval_set),
        solver=generate(),
        scorer=model_graded_qa(model=grader),
    )
