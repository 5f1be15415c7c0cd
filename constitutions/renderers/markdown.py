"""Markdown for people: the principles, who supported them, and how the text came to be."""

from typing import Any

from django.utils.translation import gettext as _

from constitutions.renderers.process_prose import process_prose

# Characters with a meaning in Markdown; escaped in user text so it can only ever be text.
_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]<>()#+-.!|~"})


def escape(text: str) -> str:
    return " ".join(str(text).split()).translate(_SPECIAL)


def _support(source: dict[str, Any]) -> str:
    groups = "; ".join(
        _("group %(group)d: %(agree)d agree, %(disagree)d disagree, %(passes)d pass")
        % {
            "group": g["group"] + 1,
            "agree": g["agree"],
            "disagree": g["disagree"],
            "passes": g["pass"],
        }
        for g in source["groups"]
    )
    return f"  - {_('Source')} “{escape(source['text'])}” ({groups})"


def _principle(index: int, principle: dict[str, Any]) -> list[str]:
    lines = [f"{index}. **{escape(principle['text'])}**"]
    if principle.get("category"):
        lines.append(f"  - {_('Category')}: {escape(principle['category'])}")
    if principle.get("group") is not None:
        lines.append(f"  - {_('Supported by group')} {principle['group'] + 1}")
    for position in principle.get("positions", []):
        lines.append(
            f"  - {_('Group')} {position['group'] + 1}: {position['position']} "
            f"({position['agree_share']:.0%} {_('agree')}, "
            f"{position['disagree_share']:.0%} {_('disagree')})"
        )
    lines += [_support(source) for source in principle["sources"]]
    for edit in principle["edits"]:
        if edit["action"] != "compile":
            why = f" — {escape(edit['reason'])}" if edit["reason"] else ""
            lines.append(
                f"  - {_('Edit')}: {edit['action']} {_('by')} {escape(edit['actor'])}, "
                f"{edit['at'][:10]}{why}"
            )
    return lines


def render(document: dict[str, Any]) -> str:
    context = document["context"]
    lines = [
        f"# {escape(context['title'])} — {_('constitution')} {document['version']}",
        "",
        f"- {_('Constitution')}: {document['constitution']['id']} ({context['slug']})",
        f"- {_('Version')}: {document['version']}",
        f"- {_('Published')}: {document['published_at']}",
        f"- SHA-256: `{document['content_sha256']}`",
        f"- {_('Selection rule')}: {document['selection_rule']['rule']}",
        "",
    ]
    if document.get("changelog"):
        lines += [f"## {_('Changes')}", "", escape(document["changelog"]), ""]
    sections = (
        ("consensus_principles", _("Consensus principles")),
        ("group_principles", _("Group-specific principles")),
        ("contested_statements", _("Contested statements")),
    )
    for key, title in sections:
        lines += [f"## {title}", ""]
        if not document[key]:
            lines += [_("None."), ""]
        for index, principle in enumerate(document[key], start=1):
            lines += _principle(index, principle)
        lines.append("")
    lines += process_prose(document, escape)
    return "\n".join(lines)
