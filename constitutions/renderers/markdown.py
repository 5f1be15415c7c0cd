"""Markdown for people: the principles, who supported them, and how the text came to be.

Written for CommonMark (markdown-it-py's `commonmark` preset in the tests): each principle is one
item of an ordered list, its details a nested list indented to the item's content, and user text
is escaped only where Markdown would read it as markup, so the text pastes cleanly as a prompt.
"""

import re
from typing import Any

from django.utils.translation import gettext as _

from constitutions.renderers.common import citation, group_name, licence
from constitutions.renderers.process_prose import process_prose

# Inline markup: emphasis, code, links and images, raw HTML, entities. Block markup (headings,
# lists, quotes) can only start a line, and user text never does: whitespace is collapsed and
# every text follows a list marker or a label (see `_paragraph` for the one exception).
_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>&"})
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([#>+=~|-])")


def escape(text: str) -> str:
    return " ".join(str(text).split()).translate(_SPECIAL)


def _paragraph(text: str) -> str:
    """A paragraph of user text that must not turn into a heading, list or quote."""
    return _BLOCK_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", escape(text)
    )


def _support(source: dict[str, Any]) -> str:
    groups = "; ".join(
        _("%(group)s: %(agree)d agree, %(disagree)d disagree, %(passes)d pass")
        % {
            "group": group_name(g["group"]),
            "agree": g["agree"],
            "disagree": g["disagree"],
            "passes": g["pass"],
        }
        for g in source["groups"]
    )
    return f"{_('Source')} “{escape(source['text'])}” ({groups})"


def _details(principle: dict[str, Any]) -> list[str]:
    details = []
    if principle.get("category"):
        details.append(f"{_('Category')}: {escape(principle['category'])}")
    if principle.get("group") is not None:
        details.append(_("Supported by %(group)s") % {"group": group_name(principle["group"])})
    for position in principle.get("positions", []):
        details.append(
            f"{group_name(position['group'])}: {position['position']} "
            f"({position['agree_share']:.0%} {_('agree')}, "
            f"{position['disagree_share']:.0%} {_('disagree')})"
        )
    details += [_support(source) for source in principle["sources"]]
    for edit in principle["edits"]:
        if edit["action"] != "compile":
            why = f" — {escape(edit['reason'])}" if edit["reason"] else ""
            details.append(
                f"{_('Edit')}: {edit['action']} {_('by')} {escape(edit['actor'])}, "
                f"{edit['at'][:10]}{why}"
            )
    return details


def _principle(index: int, principle: dict[str, Any]) -> list[str]:
    marker = f"{index}. "
    # A nested list belongs to the item only when indented to the item's content.
    indent = " " * len(marker)
    lines = [f"{marker}**{escape(principle['text'])}**"]
    return lines + [f"{indent}- {detail}" for detail in _details(principle)]


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
        f"- {_('Licence')}: {escape(licence(document)['name'])} ({licence(document)['url']})",
        f"- {_('Cite as')}: {escape(citation(document))}",
        "",
    ]
    if document.get("changelog"):
        lines += [f"## {_('Changes')}", "", _paragraph(document["changelog"]), ""]
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
