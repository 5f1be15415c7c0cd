"""What the derived formats share: provenance, licence and citation, group names, and which
principles a training format carries."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from constitutions.errors import InvalidParts, NothingToTrain
from constitutions.licences import DEFAULT, licence_record

# The results page names groups with group_name too (frontend/presenters/groups.py): group 0 is
# "Group A" wherever a group is named.
GROUP_LETTERS = "ABCDEFGHIJ"
TRAINABLE_PARTS = ("consensus", "group")
DEFAULT_PARTS = ("consensus",)


def group_letter(index: int) -> str:
    return GROUP_LETTERS[index % len(GROUP_LETTERS)]


def group_name(index: int) -> str:
    return _("Group %(letter)s") % {"letter": group_letter(index)}


def licence(document: dict[str, Any]) -> dict[str, str]:
    """The document's licence; documents published before a context could choose one (schema
    v1) were published under the default, CC BY 4.0."""
    return document.get("licence") or licence_record(DEFAULT)


def citation(document: dict[str, Any]) -> str:
    context = document["context"]
    return _(
        "%(title)s (%(slug)s), constitution version %(version)s, published %(date)s, "
        "SHA-256 %(sha256)s. Written by its community with Polity."
    ) % {
        "title": context["title"],
        "slug": context["slug"],
        "version": document["version"],
        "date": (document["published_at"] or "")[:10],
        "sha256": document["content_sha256"],
    }


def provenance(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "constitution": document["constitution"]["id"],
        "context": document["constitution"]["context"],
        "version": document["version"],
        "content_sha256": document["content_sha256"],
        "licence": licence(document)["id"],
        "citation": citation(document),
    }


def parse_parts(raw: str | None) -> tuple[str, ...]:
    """`?parts=consensus,group` as a tuple in a fixed order; absent means consensus only."""
    if raw is None:
        return DEFAULT_PARTS
    asked = {part.strip() for part in raw.split(",") if part.strip()}
    if "contested" in asked:
        raise InvalidParts(
            _("Contested statements are not principles and never enter a training format.")
        )
    if not asked or asked - set(TRAINABLE_PARTS):
        raise InvalidParts()
    return tuple(part for part in TRAINABLE_PARTS if part in asked)


@dataclass(frozen=True)
class Selection:
    """The principles a training format carries, and what it leaves out and why."""

    parts: tuple[str, ...]
    principles: list[dict[str, Any]]
    left_out: list[dict[str, Any]]

    def summary(self) -> dict[str, Any]:
        return {"parts": list(self.parts), "left_out": self.left_out}


def group_size(principle: dict[str, Any]) -> int | None:
    """The size of the group behind a group-specific principle, as its evidence recorded it."""
    for source in principle["sources"]:
        for group in source["groups"]:
            if group["group"] == principle["group"]:
                return group["size"]
    return None


def _with_part(part: str, principle: dict[str, Any]) -> dict[str, Any]:
    item = {**principle, "part": part}
    if part == "group":
        # None when principles of different groups were merged: no one group stands behind it.
        group = principle.get("group")
        item["group_letter"] = group_letter(group) if group is not None else None
        item["group_size"] = group_size(principle) if group is not None else None
    return item


def training_selection(document: dict[str, Any], parts=DEFAULT_PARTS) -> Selection:
    """The chosen parts' principles (consensus first). Never empty: a version with nothing in
    those parts is refused (a generator picking one at random would crash on an empty list)."""
    principles = [
        _with_part(part, principle)
        for part in parts
        for principle in document[f"{part}_principles"]
    ]
    left_out = []
    groups = len(document["group_principles"])
    if "group" not in parts and groups:
        left_out.append(
            {
                "part": "group",
                "count": groups,
                "reason": _(
                    "Supported by one opinion group and opposed by none; not asked for "
                    "(?parts=consensus,group includes them)."
                ),
            }
        )
    if contested := len(document["contested_statements"]):
        left_out.append(
            {
                "part": "contested",
                "count": contested,
                "reason": _("The opinion groups disagree on them, so they are not principles."),
            }
        )
    if not principles:
        raise NothingToTrain(_nothing_message(document, parts, groups))
    return Selection(parts=tuple(parts), principles=principles, left_out=left_out)


def _nothing_message(document, parts, groups: int) -> str:
    message = _("Version %(version)s has no principles in the parts asked for (%(parts)s).") % {
        "version": document["version"],
        "parts": ", ".join(parts),
    }
    if groups and "group" not in parts:
        message += " " + ngettext(
            "It has %(n)d group-specific principle: ask for ?parts=group to train on it.",
            "It has %(n)d group-specific principles: ask for ?parts=group to train on them.",
            groups,
        ) % {"n": groups}
    return message


def left_out_sentence(selection: Selection) -> str:
    """What a training format left out, and why, in words."""
    if not selection.left_out:
        return _("Nothing was left out: this version has no group-specific or contested part.")
    sentences = []
    for item in selection.left_out:
        if item["part"] == "group":
            what = ngettext(
                "%(n)d group-specific principle", "%(n)d group-specific principles", item["count"]
            )
        else:
            what = ngettext(
                "%(n)d contested statement", "%(n)d contested statements", item["count"]
            )
        sentences.append(
            _("Left out: %(what)s. %(reason)s")
            % {"what": what % {"n": item["count"]}, "reason": item["reason"]}
        )
    return " ".join(sentences)
