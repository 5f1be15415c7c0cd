"""Plain text to paste as a system prompt at inference time, in the manner of a model spec: who
the assistant serves and where, then the principles, then where they came from."""

from typing import Any

from django.utils.translation import gettext as _

from constitutions.renderers.common import (
    DEFAULT_PARTS,
    citation,
    left_out_sentence,
    licence,
    training_selection,
)
from constitutions.renderers.prose import context_card, numbered


def render(document: dict[str, Any], parts=DEFAULT_PARTS) -> str:
    selection = training_selection(document, parts)
    consensus = [p for p in selection.principles if p["part"] == "consensus"]
    groups = [p for p in selection.principles if p["part"] == "group"]
    lines = [
        _("You are an AI assistant. This is where you are used:"),
        "",
        *context_card(document),
        "",
    ]
    if consensus:
        lines += [
            _(
                "The people affected by this context deliberated and agreed, across their "
                "differences, that you follow these principles:"
            ),
            *numbered(consensus),
            "",
        ]
    if groups:
        lines += [
            _(
                "These principles are supported by one group of participants and opposed by "
                "no other; follow them where they apply:"
            ),
            *numbered(groups),
            "",
        ]
    if consensus and groups:
        lines += [_("When principles conflict, prefer the ones agreed across groups."), ""]
    lines += [
        "---",
        left_out_sentence(selection),
        _("Source: %(citation)s") % {"citation": citation(document)},
        _("Licence: %(name)s (%(url)s).") % licence(document),
        _("Provenance: constitution %(id)s, version %(version)s, SHA-256 %(sha256)s.")
        % {
            "id": document["constitution"]["id"],
            "version": document["version"],
            "sha256": document["content_sha256"],
        },
        "",
    ]
    return "\n".join(lines)
