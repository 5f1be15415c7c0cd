"""The README.md dataset card of a constitution's Hugging Face dataset folder (see
services/dataset.py): a YAML header the Hub and `datasets.load_dataset` read (licence, pretty
name, configs), then the context card, how the constitution was made, who took part, the
selection rule, what the data holds and how to cite it. Derived from the stored document only.
"""

import json
from typing import Any

from constitutions.licences import LICENCES
from constitutions.renderers.common import citation, licence
from constitutions.renderers.markdown import escape
from constitutions.renderers.process_prose import process_prose
from constitutions.renderers.prose import context_card

DATA_FILE = "data/principles.parquet"


def _yaml_header(document: dict[str, Any]) -> list[str]:
    title = f"{document['context']['title']}: constitution {document['version']}"
    # JSON strings are valid YAML scalars, and quote whatever the title holds.
    return [
        "---",
        f"license: {LICENCES[licence(document)['id']]['hf']}",
        f"pretty_name: {json.dumps(title, ensure_ascii=False)}",
        "tags:",
        "- constitutional-ai",
        "- alignment",
        "- deliberation",
        "configs:",
        "- config_name: default",
        "  data_files:",
        "  - split: train",
        f"    path: {DATA_FILE}",
        "---",
    ]


def _participation(document: dict[str, Any]) -> list[str]:
    lines = [
        "| Conversation | Topic | Participants | Excluded | Statements | Accepted | Votes |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in document["process"]["conversations"]:
        topic = escape(c["topic"]).replace("|", r"\|")  # a pipe would end the cell
        lines.append(
            f"| {c['conversation']} | {topic} | "
            f"{c['participants']} | {c['excluded_participants']} | "
            f"{c['statements']['total']} | {c['statements']['accepted']} | {c['votes']} |"
        )
    return lines


def _bibtex(document: dict[str, Any]) -> list[str]:
    context = document["context"]
    key = f"polity-{context['slug']}-{document['version']}".replace(".", "-")
    year = (document["published_at"] or "")[:4]
    title = f"{context['title']}: constitution {document['version']}".replace("{", "").replace(
        "}", ""
    )
    return [
        "```bibtex",
        f"@misc{{{key},",
        f"  title = {{{title}}},",
        f"  year = {{{year}}},",
        f"  note = {{Context {context['slug']}, published {document['published_at']}, "
        f"SHA-256 {document['content_sha256']}}},",
        "}",
        "```",
    ]


def render(document: dict[str, Any]) -> str:
    context = document["context"]
    rule = document["selection_rule"]
    parts = {key: len(document[key]) for key in ("consensus_principles", "group_principles")}
    contested = len(document["contested_statements"])
    chosen = licence(document)
    lines = [
        *_yaml_header(document),
        "",
        f"# {escape(context['title'])}: constitution {document['version']}",
        "",
        "Behavioural principles for an AI assistant in one context of use, written by the "
        "people it affects: they voted on statements, their votes were grouped into opinion "
        "groups, and the statements that the selection rule found supported across groups "
        "became principles.",
        "",
        "## Context of use",
        "",
        *[f"- {escape(line)}" for line in context_card(document)],
        "",
        "## How it was made",
        "",
        "Participants voted agree, disagree or pass on short statements, and could write their "
        "own (moderated). The votes were analysed the way Polis analyses them: participants "
        "projected by PCA and clustered into opinion groups, each statement scored per group "
        "(group-informed consensus, bridging). A facilitator compiled a draft from the latest "
        "analysis with the selection rule below, then edited it; every edit (merge, reword, "
        f"order, drop) is published with who made it and why: "
        f"{len(document['process']['judgement_calls'])} in this version.",
        "",
        "## Participation",
        "",
        *_participation(document),
        "",
        *process_prose(document, escape),
        "## Selection rule",
        "",
        f"`{rule['rule']}` with parameters `{json.dumps(rule['parameters'], sort_keys=True)}`.",
        "",
        "## The data",
        "",
        f"`{DATA_FILE}`, one row per principle: {parts['consensus_principles']} consensus "
        f"(`part` = consensus) and {parts['group_principles']} group-specific (`part` = group, "
        "with `group_letter` and `group_size`). Each row has the principle's text, its "
        "critique and revision requests, its source statements with their vote counts, and "
        "the version's provenance. "
        f"{contested} contested statements are not principles and are left out; the "
        "canonical JSON document of the version lists them with each group's position.",
        "",
        "## Licence",
        "",
        f"[{chosen['name']}]({chosen['url']}) (`{chosen['id']}`).",
        "",
        "## How to cite",
        "",
        escape(citation(document)),
        "",
        *_bibtex(document),
        "",
        f"Version {document['version']} of constitution {document['constitution']['id']}, "
        f"SHA-256 `{document['content_sha256']}` (of the canonical JSON document).",
        "",
    ]
    return "\n".join(lines)
