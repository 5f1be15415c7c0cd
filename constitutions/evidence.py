"""The one place that reads `AnalysisSnapshot.result` (the opinion engine's `Analysis.to_dict()`).

Everything else in this app works on the `StatementEvidence` records made here, so a change in
the engine's output keys changes this module only.
"""

from dataclasses import asdict, dataclass
from typing import Any

from deliberation.models import AnalysisSnapshot, Statement


@dataclass(frozen=True)
class GroupEvidence:
    group: int
    size: int
    agree: int
    disagree: int
    passes: int
    seen: int
    agree_share: float
    disagree_share: float


@dataclass(frozen=True)
class StatementEvidence:
    statement_id: int
    text: str
    conversation: str  # the conversation's public id
    snapshot_id: int
    n_votes: int
    n_agree: int
    n_disagree: int
    n_pass: int
    groups: tuple[GroupEvidence, ...]
    gic: float  # group-informed consensus on agreement (Polis)
    gic_disagree: float
    bridging: float  # Community Notes style intercept
    bridging_factor: float
    contested: bool

    @property
    def n_groups(self) -> int:
        return len(self.groups)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["groups"] = [asdict(group) for group in self.groups]
        data["n_groups"] = self.n_groups
        return data


def statement_evidence(snapshot: AnalysisSnapshot) -> list[StatementEvidence]:
    """Evidence for each statement the analysis counted (not moderated-out or meta ones)."""
    result = snapshot.result
    sizes = {group["id"]: group["size"] for group in result.get("groups", [])}
    contested = {entry["statement_id"] for entry in result.get("contested", [])}
    counted = [
        entry
        for entry in result.get("statements", [])
        if entry.get("in_maths") and not entry.get("is_meta")
    ]
    texts = dict(
        Statement.objects.filter(
            conversation_id=snapshot.conversation_id,
            pk__in=[entry["statement_id"] for entry in counted],
        ).values_list("pk", "text")
    )
    public_id = snapshot.conversation.public_id
    evidence = []
    for entry in counted:
        if entry["statement_id"] not in texts:
            continue  # deleted since the analysis ran
        groups = tuple(
            GroupEvidence(
                group=votes["group"],
                size=sizes.get(votes["group"], 0),
                agree=votes["agree"],
                disagree=votes["disagree"],
                passes=votes["seen"] - votes["agree"] - votes["disagree"],
                seen=votes["seen"],
                agree_share=votes["agree_share"],
                disagree_share=votes["disagree_share"],
            )
            for votes in entry.get("groups", [])
        )
        evidence.append(
            StatementEvidence(
                statement_id=entry["statement_id"],
                text=texts[entry["statement_id"]],
                conversation=public_id,
                snapshot_id=snapshot.pk,
                n_votes=entry["n_votes"],
                n_agree=entry["n_agree"],
                n_disagree=entry["n_disagree"],
                n_pass=entry["n_pass"],
                groups=groups,
                gic=entry["gic_agree"],
                gic_disagree=entry["gic_disagree"],
                bridging=entry["bridging_intercept"],
                bridging_factor=entry["bridging_factor"],
                contested=entry["statement_id"] in contested,
            )
        )
    return evidence


def analysis_summary(snapshot: AnalysisSnapshot) -> dict[str, Any]:
    """What a published constitution says about the analysis behind it."""
    result = snapshot.result
    return {
        "snapshot": snapshot.pk,
        "conversation": snapshot.conversation.public_id,
        "algorithm": snapshot.algorithm,
        "method": result.get("mode", ""),
        "k": result.get("group_k", 0),
        "groups": [
            {"group": group["id"], "size": group["size"]} for group in result.get("groups", [])
        ],
        "participants": result.get("n_participants", snapshot.participant_count),
        "participants_clustered": result.get("n_in_conversation", 0),
        "statements": result.get("n_statements", 0),
        "statements_in_analysis": result.get("n_statements_in_maths", 0),
        "votes": result.get("n_votes", snapshot.vote_count),
        "vote_watermark": snapshot.vote_watermark,
        "parameters": snapshot.parameters,
        "created_at": snapshot.created_at.isoformat(),
    }
