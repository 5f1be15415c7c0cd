"""Would each candidate principle still pass if the participants matched the population?

For every statement the draft's analyses counted (its principles and its failed statements),
the votes as the analysis saw them (the vote events up to its watermark) are tallied twice per
opinion group: once as they are, once with each participant's raking weight
(deliberation.services.representativeness). Both tallies go through the draft's own selection
rule (constitutions.rules.evaluate). Shares and group-informed consensus are recomputed from the
weighted tallies; the minimum-votes check keeps counting real votes, and the bridging score (a
matrix factorisation) is not re-estimated, so under the bridging rule a verdict cannot flip.
A flipped verdict waits for the facilitator's recorded decision.
"""

from collections import defaultdict
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils.translation import gettext as _

from constitutions.errors import InvalidCuration, VersionPublished
from constitutions.evidence import StatementEvidence, statement_evidence
from constitutions.models import ConstitutionVersion, Part, WeightingDecision
from constitutions.rules import SelectionRule, evaluate
from core.text import clean_text
from deliberation.models import AnalysisSnapshot, VoteEvent
from deliberation.services.representativeness import sample


@dataclass(frozen=True)
class Side:
    """One way of counting: agree share overall and per group, and the rule's verdict."""

    agree_share: float
    groups: tuple[tuple[int, float], ...]
    part: str | None
    score: float

    @property
    def passes(self) -> bool:
        return self.part == Part.CONSENSUS


@dataclass(frozen=True)
class Candidate:
    statement_id: int
    conversation: str
    text: str
    unweighted: Side
    weighted: Side
    decision: WeightingDecision | None

    @property
    def flips(self) -> bool:
        return self.unweighted.passes != self.weighted.passes


def _votes_at(snapshot: AnalysisSnapshot) -> dict[int, dict[int, int]]:
    """statement -> participant -> vote, as of the snapshot's vote watermark."""
    latest: dict[int, dict[int, int]] = defaultdict(dict)
    events = VoteEvent.objects.filter(
        conversation_id=snapshot.conversation_id, id__lte=snapshot.vote_watermark
    ).order_by("id")
    for participant_id, statement_id, value in events.values_list(
        "participant_id", "statement_id", "value"
    ):
        latest[statement_id][participant_id] = value
    return latest


def _side(
    rule: SelectionRule,
    evidence: StatementEvidence,
    votes: dict[int, int],
    group_of: dict[int, int],
    weight_of,
) -> Side:
    agree: dict[int, float] = defaultdict(float)
    disagree: dict[int, float] = defaultdict(float)
    seen: dict[int, float] = defaultdict(float)
    total_agree = total_seen = 0.0
    for participant_id, value in votes.items():
        weight = weight_of(participant_id)
        total_seen += weight
        total_agree += weight * (value == 1)
        group = group_of.get(participant_id)
        if group is None:
            continue
        seen[group] += weight
        agree[group] += weight * (value == 1)
        disagree[group] += weight * (value == -1)
    groups = tuple(
        replace(
            g,
            agree_share=agree[g.group] / seen[g.group] if seen[g.group] else 0.0,
            disagree_share=disagree[g.group] / seen[g.group] if seen[g.group] else 0.0,
        )
        for g in evidence.groups
    )
    # Polis' group-informed consensus, the product over groups of (A + 1) / (S + 2).
    gic = 1.0
    for g in evidence.groups:
        gic *= (agree[g.group] + 1) / (seen[g.group] + 2)
    verdict = evaluate(rule, replace(evidence, groups=groups, gic=gic if groups else 0.0))
    return Side(
        agree_share=round(total_agree / total_seen, 6) if total_seen else 0.0,
        groups=tuple((g.group, round(g.agree_share, 6)) for g in groups),
        part=verdict.part,
        score=round(verdict.score, 6),
    )


def weighted_candidates(*, version: ConstitutionVersion) -> list[Candidate]:
    """Every candidate of the draft with its unweighted and weighted verdicts."""
    rule = SelectionRule.from_dict(version.rule_parameters)
    weights = sample(version.constitution.context).weight_of()
    decisions = {
        (d.conversation, d.statement_id): d
        for d in WeightingDecision.objects.filter(version=version).order_by("id")
    }
    candidates = []
    snapshot_ids = [entry["id"] for entry in version.snapshots]
    for snapshot in AnalysisSnapshot.objects.filter(pk__in=snapshot_ids).select_related(
        "conversation"
    ):
        group_of = {
            p["participant_id"]: p["group"]
            for p in snapshot.result["participants"]
            if p["group"] is not None
        }
        votes = _votes_at(snapshot)
        for evidence in statement_evidence(snapshot):
            cast = votes.get(evidence.statement_id, {})
            key = (evidence.conversation, evidence.statement_id)
            candidates.append(
                Candidate(
                    statement_id=evidence.statement_id,
                    conversation=evidence.conversation,
                    text=evidence.text,
                    unweighted=_side(rule, evidence, cast, group_of, lambda _pid: 1.0),
                    weighted=_side(
                        rule, evidence, cast, group_of, lambda pid: weights.get(pid, 1.0)
                    ),
                    decision=decisions.get(key),
                )
            )
    return sorted(candidates, key=lambda c: (not c.flips, c.conversation, c.statement_id))


def decide_weighting(
    *,
    version: ConstitutionVersion,
    actor,
    conversation: str,
    statement_id: int,
    decision: str,
    reason: str,
) -> WeightingDecision:
    """Record the facilitator's call on a candidate whose verdict flips under weighting."""
    if decision not in WeightingDecision.Decision.values:
        raise InvalidCuration(
            _("Choose to keep the unweighted verdict or follow the weighted one.")
        )
    reason = clean_text(reason, max_length=2000, field=_("Reason"), multiline=True)
    candidate = next(
        (
            c
            for c in weighted_candidates(version=version)
            if c.conversation == conversation and c.statement_id == statement_id
        ),
        None,
    )
    if candidate is None or not candidate.flips:
        raise InvalidCuration(_("Only a statement whose verdict flips under weighting needs this."))
    with transaction.atomic():
        locked = ConstitutionVersion.objects.select_for_update().get(pk=version.pk)
        if locked.is_published:
            raise VersionPublished()
        return WeightingDecision.objects.create(
            version=locked,
            statement_id=statement_id,
            conversation=conversation,
            text=candidate.text,
            decision=decision,
            reason=reason,
            actor=actor,
            actor_name=getattr(actor, "get_username", lambda: "")(),
        )


def weighting_summary(*, version: ConstitutionVersion) -> list[dict]:
    """The candidates whose verdict flips, with both verdicts and the decision, for documents."""
    return [
        {
            "statement": c.statement_id,
            "conversation": c.conversation,
            "text": c.text,
            "agree_share": c.unweighted.agree_share,
            "weighted_agree_share": c.weighted.agree_share,
            "passes": c.unweighted.passes,
            "passes_weighted": c.weighted.passes,
            "decision": c.decision.decision if c.decision else None,
            "reason": c.decision.reason if c.decision else None,
        }
        for c in weighted_candidates(version=version)
        if c.flips
    ]
