"""The canonical document's process record told as prose, for the Markdown rendering (and any
other format written for people, such as a dataset card). Documents published before the record
existed have none of its keys, and get no section."""

from typing import Any

from django.utils.translation import gettext as _


def _share(value: float | None) -> str:
    return _("hidden") if value is None else f"{value:.0%}"


def process_prose(document: dict[str, Any], escape=lambda text: text) -> list[str]:
    process = document.get("process", {})
    if "participation" not in process:
        return []
    p = process["participation"]
    lines = [f"## {_('Who took part')}", ""]
    if process["eligibility"]:
        lines.append(_("Who could take part: %(text)s") % {"text": escape(process["eligibility"])})
    if process["sampling_frame"]:
        lines.append(_("Sampling frame: %(text)s") % {"text": escape(process["sampling_frame"])})
    window = process["window"]
    if window["start"] or window["end"]:
        lines.append(
            _("Window: %(start)s to %(end)s.")
            % {"start": window["start"] or "…", "end": window["end"] or "…"}
        )
    lines += [
        "",
        _(
            "%(participants)s people took part (%(grouped)s of them placed in opinion groups), "
            "casting %(votes)s votes; they submitted %(submitted)s statements, of which "
            "%(accepted)s were accepted. Screening let %(eligible)s in and kept %(out)s out."
        )
        % {
            "participants": p["participants"],
            "grouped": p["participants_grouped"],
            "votes": p["votes"],
            "submitted": p["statements_submitted"],
            "accepted": p["statements_accepted"],
            "eligible": process["screening"]["eligible"],
            "out": process["screening"]["screened_out"],
        },
        "",
    ]
    for channel in process["channels"]:
        lines.append(
            f"- {escape(channel['name'])}: {channel['participants']}"
            + (f" ({escape(channel['description'])})" if channel["description"] else "")
        )
    lines.append("")
    for question in process["self_description"]:
        source = question["target_source"] or _("no target entered")
        lines.append(f"- {escape(question['question'])} ({_('target')}: {escape(source)})")
        for c in question["categories"]:
            lines.append(
                f"  - {escape(c['label'])}: {_share(c['sample_share'])} "
                f"{_('of participants')}, {_share(c['target_share'])} {_('of the population')}"
            )
    weighting = process["weighting"]
    if weighting["method"]:
        lines += [
            "",
            _("Weighted by %(method)s; effective sample size %(n)s.")
            % {"method": weighting["method"], "n": weighting["effective_sample_size"]},
        ]
        lines += [escape(sentence) for sentence in weighting["unmet_margins"]]
    lines += ["", process["suppression"]["note"], ""]
    ratification = process["ratification"]
    if ratification:
        whole = ratification["whole_text"]
        lines += [
            _(
                "Ratification: %(approve)s of %(votes)s participants approved the whole text "
                "(%(share)s; %(weighted)s weighted)."
            )
            % {
                "approve": whole["approve"],
                "votes": whole["votes"],
                "share": _share(whole["approval"]),
                "weighted": _share(whole["weighted_approval"]),
            },
            "",
        ]
    return lines
