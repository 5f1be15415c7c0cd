"""Selection rules: which statements become consensus principles, which are group-specific,
which are contested, and why the others failed. Pure functions over `StatementEvidence`.

- gic: Polis' group-informed consensus, the product over groups of (A+1)/(S+2), above a threshold
  that falls as the number of groups rises, because a product of k shares shrinks with k
  (thresholds as the Polis report uses them, 0.70 / 0.47 / 0.32 / 0.24 for 2-5 groups).
- min-group: the smallest per-group agree share above t, the rule of Anthropic and the Collective
  Intelligence Project's "Collective Constitutional AI" (2023).
- bridging: the matrix-factorisation intercept of X's Community Notes (Wojcik et al. 2022) above
  0.40, its "helpful" cut.
Every rule also needs a minimum number of votes in every group, so that a small group's silence
is not read as agreement.
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from constitutions.evidence import StatementEvidence
from constitutions.models import Part, Rule

GIC_THRESHOLDS = {2: 0.70, 3: 0.47, 4: 0.32, 5: 0.24}
DEFAULT_THRESHOLDS = {Rule.MIN_GROUP: 0.60, Rule.BRIDGING: 0.40}
DEFAULT_MIN_VOTES_PER_GROUP = 3
# A group "strongly supports" at this agree share; another group "opposes" at this disagree share.
GROUP_SUPPORT_SHARE = 0.70
GROUP_OPPOSE_SHARE = 0.30


@dataclass(frozen=True)
class SelectionRule:
    rule: str
    threshold: float | None = None  # None: the rule's default (for gic, by number of groups)
    min_votes_per_group: int = DEFAULT_MIN_VOTES_PER_GROUP
    group_support_share: float = GROUP_SUPPORT_SHARE
    group_oppose_share: float = GROUP_OPPOSE_SHARE
    gic_thresholds: dict[int, float] = field(default_factory=lambda: dict(GIC_THRESHOLDS))

    def __post_init__(self) -> None:
        if self.rule not in Rule.values:
            raise ValueError(_("Unknown selection rule: %(rule)s") % {"rule": self.rule})
        if self.threshold is not None and not 0 <= self.threshold <= 1:
            raise ValueError(_("A threshold is a number between 0 and 1."))
        if self.min_votes_per_group < 0:
            raise ValueError(_("The minimum number of votes per group cannot be negative."))

    def threshold_for(self, n_groups: int) -> float:
        if self.threshold is not None:
            return self.threshold
        if self.rule == Rule.GIC:
            # One group is treated as two; beyond five the five-group value is the closest known.
            return self.gic_thresholds[min(max(n_groups, 2), 5)]
        return DEFAULT_THRESHOLDS[self.rule]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["gic_thresholds"] = {str(k): v for k, v in self.gic_thresholds.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SelectionRule":
        data = dict(data)
        data["gic_thresholds"] = {
            int(k): v for k, v in data.get("gic_thresholds", GIC_THRESHOLDS).items()
        }
        return cls(**data)


@dataclass(frozen=True)
class Verdict:
    part: str | None  # a Part, or None when the statement failed
    score: float
    threshold: float
    reason: str
    group: int | None = None


def rule_score(rule: SelectionRule, evidence: StatementEvidence) -> float:
    if rule.rule == Rule.GIC:
        return evidence.gic
    if rule.rule == Rule.MIN_GROUP:
        return min((group.agree_share for group in evidence.groups), default=0.0)
    return evidence.bridging


def _group_specific(rule: SelectionRule, evidence: StatementEvidence) -> int | None:
    """The group that strongly supports the statement while no other group opposes it."""
    supporters = [g for g in evidence.groups if g.agree_share >= rule.group_support_share]
    if not supporters:
        return None
    best = max(supporters, key=lambda g: (g.agree_share, -g.group))
    opposed = any(
        g.disagree_share >= rule.group_oppose_share
        for g in evidence.groups
        if g.group != best.group
    )
    return None if opposed else best.group


def evaluate(rule: SelectionRule, evidence: StatementEvidence) -> Verdict:
    threshold = rule.threshold_for(evidence.n_groups)
    score = rule_score(rule, evidence)
    if not evidence.groups:
        return Verdict(None, score, threshold, _("The analysis found no opinion groups."))
    thin = [g for g in evidence.groups if g.seen < rule.min_votes_per_group]
    if thin:
        return Verdict(
            None,
            score,
            threshold,
            _("Too few votes: group %(group)d cast %(seen)d, the minimum is %(minimum)d.")
            % {
                "group": thin[0].group + 1,
                "seen": thin[0].seen,
                "minimum": rule.min_votes_per_group,
            },
        )
    if score > threshold:
        return Verdict(
            Part.CONSENSUS,
            score,
            threshold,
            _("Score %(score).2f is above the threshold %(threshold).2f.")
            % {"score": score, "threshold": threshold},
        )
    if evidence.contested:
        return Verdict(Part.CONTESTED, score, threshold, _("Opinion groups disagree."))
    group = _group_specific(rule, evidence)
    if group is not None:
        return Verdict(
            Part.GROUP,
            score,
            threshold,
            _("Strongly supported by group %(group)d and opposed by no other group.")
            % {"group": group + 1},
            group=group,
        )
    return Verdict(
        None,
        score,
        threshold,
        _("Score %(score).2f is not above the threshold %(threshold).2f.")
        % {"score": score, "threshold": threshold},
    )
