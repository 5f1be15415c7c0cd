"""The context card and the principles in plain words, for the formats a model reads as text
(`hf-cai`'s few-shot chat and `system-prompt`)."""

from typing import Any

from django.utils.translation import gettext as _

# Context fields as "Label: value" lines, in the order of the context's public page.
_CARD_FIELDS = (
    ("domain", "Domain"),
    ("deployment_surface", "Deployment surface"),
    ("intended_users", "Intended users"),
    ("affected_non_users", "Affected non-users"),
    ("languages", "Languages"),
    ("jurisdiction", "Jurisdiction"),
    ("out_of_scope_uses", "Out of scope"),
)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def context_card(document: dict[str, Any]) -> list[str]:
    context = document["context"]
    lines = [_("Context of use: %(title)s.") % {"title": _one_line(context["title"])}]
    if context.get("description"):
        lines.append(_one_line(context["description"]))
    for field, label in _CARD_FIELDS:
        if context.get(field):
            lines.append(f"{_(label)}: {_one_line(context[field])}")
    if context.get("valid_from") or context.get("valid_until"):
        lines.append(
            _("Valid from %(start)s until %(end)s.")
            % {
                "start": context.get("valid_from") or _("its publication"),
                "end": context.get("valid_until") or _("further notice"),
            }
        )
    return lines


def principle_words(principle: dict[str, Any]) -> str:
    """A selected principle (see common.training_selection) as one line of text."""
    text = _one_line(principle["text"])
    if principle["part"] != "group":
        return text
    if principle["group_letter"] is None:
        return _("%(text)s (supported by particular groups of participants, opposed by none)") % {
            "text": text
        }
    return _(
        "%(text)s (supported by Group %(letter)s, %(size)s participants, and opposed by no "
        "other group)"
    ) % {"text": text, "letter": principle["group_letter"], "size": principle["group_size"]}


def numbered(principles: list[dict[str, Any]]) -> list[str]:
    return [f"{index}. {principle_words(p)}" for index, p in enumerate(principles, start=1)]
