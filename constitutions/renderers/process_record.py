"""The process record inside a version's canonical `process` object (issue 13): who could take
part, through which channels, how many were screened out, the window, participation, the
participants' self-description against the population (cells under k null), the weighting and
the ratification.

Only versions published after this was added carry these keys: a published version's document
is stored at publication and never rebuilt, so older documents and their hashes are unchanged.
"""

from typing import Any

from constitutions.models import ConstitutionVersion
from constitutions.services.ratification import latest_closed_round
from constitutions.services.weighted_consensus import weighting_summary
from deliberation.models import Conversation, ScreeningTally, Statement, Vote
from deliberation.services.process import channel_counts, process_record
from deliberation.services.representativeness import report, sample


def _suppress_groups(results: dict[str, Any], k: int) -> dict[str, Any]:
    def tally(entry):
        groups = [
            g if g["votes"] >= k else {**g, "votes": None, "approve": None, "approval": None}
            for g in entry["groups"]
        ]
        return {**entry, "groups": groups}

    return {
        "whole_text": tally(results["whole_text"]),
        "principles": [tally(p) for p in results["principles"]],
    }


def process_record_document(version: ConstitutionVersion) -> dict[str, Any]:
    context = version.constitution.context
    record = process_record(context)
    public_ids = [entry["conversation"] for entry in version.snapshots]
    conversations = Conversation.objects.filter(public_id__in=public_ids)
    data = sample(context)
    summary = report(context=context, public=True, data=data)
    tallies = ScreeningTally.objects.filter(conversation__in=conversations)
    submitted = Statement.objects.filter(conversation__in=conversations, is_seed=False)
    ratification = latest_closed_round(version)
    return {
        "eligibility": record.eligibility,
        "sampling_frame": record.sampling_frame,
        "window": {
            "start": record.window_start.isoformat() if record.window_start else None,
            "end": record.window_end.isoformat() if record.window_end else None,
        },
        "channels": [
            {
                "name": c.name,
                "kind": c.kind,
                "description": c.description,
                "participants": c.participants,
            }
            for c in channel_counts(context)
        ],
        "screening": {
            "eligible": sum(t.eligible for t in tallies),
            "screened_out": sum(t.screened_out for t in tallies),
        },
        "participation": {
            "participants": len(data.participant_ids),
            "participants_grouped": sum(
                a.get("participants_clustered", 0) for a in version.analyses
            ),
            "votes": Vote.objects.filter(conversation__in=conversations).count(),
            "statements_submitted": submitted.count(),
            "statements_accepted": submitted.filter(state=Statement.State.ACCEPTED).count(),
        },
        "suppression": {"k": record.suppression_k, "note": summary["suppression"]["note"]},
        "self_description": [
            {
                "question": q["question"],
                "key": q["key"],
                "target_source": q["target_source"] or None,
                "categories": [
                    {
                        "category": c["key"],
                        "label": c["label"],
                        "participants": c["participants"],
                        "sample_share": c["sample_share"],
                        "weighted_share": c["weighted_share"],
                        "target_share": c["target_share"],
                    }
                    for c in q["categories"]
                ],
                "prefer_not_to_say": q["prefer_not_to_say"],
            }
            for q in summary["questions"]
        ],
        "weighting": {
            "method": summary["weighting"]["method"],
            "margins": summary["weighting"]["margins"],
            "effective_sample_size": summary["weighting"]["effective_sample_size"],
            "design_effect": summary["weighting"]["design_effect"],
            "unmet_margins": summary["weighting"]["unmet"],
            "verdicts_that_flip": weighting_summary(version=version),
        },
        "ratification": None
        if ratification is None
        else {
            "opened_at": ratification.opened_at.isoformat(),
            "closed_at": ratification.closed_at.isoformat(),
            **_suppress_groups(ratification.results, record.suppression_k),
        },
    }
