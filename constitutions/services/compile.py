"""Compile a draft version from the latest analysis of some of a context's conversations."""

from django.db import transaction
from django.utils.translation import gettext as _

from constitutions.errors import InvalidCuration, NoAnalysis
from constitutions.evidence import StatementEvidence, analysis_summary, statement_evidence
from constitutions.models import (
    Constitution,
    ConstitutionVersion,
    EditorialStep,
    Part,
    Principle,
    PrincipleSource,
)
from constitutions.rules import SelectionRule, Verdict, evaluate
from deliberation.models import AnalysisSnapshot, Context

PART_ORDER = {Part.CONSENSUS: 0, Part.GROUP: 1, Part.CONTESTED: 2}


def latest_snapshots(*, context: Context, conversation_ids) -> list[AnalysisSnapshot]:
    """The newest snapshot of each chosen conversation; refuse conversations of other contexts."""
    conversations = list(context.conversations.filter(pk__in=conversation_ids))
    if not conversations or len(conversations) != len(set(conversation_ids)):
        raise InvalidCuration(_("Choose one or more conversations of this context."))
    snapshots = []
    for conversation in conversations:
        snapshot = AnalysisSnapshot.objects.select_related("conversation").latest_for(conversation)
        if snapshot is None:
            raise NoAnalysis(
                _("“%(topic)s” has not been analysed yet.") % {"topic": conversation.topic}
            )
        snapshots.append(snapshot)
    return snapshots


def classify(
    rule: SelectionRule, evidence: list[StatementEvidence]
) -> tuple[list[tuple[StatementEvidence, Verdict]], list[tuple[StatementEvidence, Verdict]]]:
    """Split statements into (selected, failed), selected in part order then strongest first."""
    verdicts = [(item, evaluate(rule, item)) for item in evidence]
    selected = [(item, verdict) for item, verdict in verdicts if verdict.part is not None]
    selected.sort(key=lambda pair: (PART_ORDER[pair[1].part], -pair[1].score, pair[0].statement_id))
    failed = [(item, verdict) for item, verdict in verdicts if verdict.part is None]
    return selected, failed


def _scores(item: StatementEvidence, verdict: Verdict) -> dict:
    return {
        "rule_score": round(verdict.score, 6),
        "threshold": verdict.threshold,
        "gic": round(item.gic, 6),
        "bridging": round(item.bridging, 6),
        "min_group_agree_share": round(min((g.agree_share for g in item.groups), default=0.0), 6),
        "reason": verdict.reason,
    }


def compile_draft(
    *, context: Context, actor, conversation_ids, rule: SelectionRule
) -> ConstitutionVersion:
    """Make a draft version with its three parts and the failed statements, each with a reason."""
    snapshots = latest_snapshots(context=context, conversation_ids=conversation_ids)
    evidence = [item for snapshot in snapshots for item in statement_evidence(snapshot)]
    selected, failed = classify(rule, evidence)
    with transaction.atomic():
        constitution, _created = Constitution.objects.get_or_create(context=context)
        version = ConstitutionVersion.objects.create(
            constitution=constitution,
            rule=rule.rule,
            rule_parameters=rule.to_dict(),
            snapshots=[
                {
                    "id": s.pk,
                    "conversation": s.conversation.public_id,
                    "vote_watermark": s.vote_watermark,
                }
                for s in snapshots
            ],
            analyses=[analysis_summary(snapshot) for snapshot in snapshots],
            failures=[
                {
                    "statement": item.statement_id,
                    "conversation": item.conversation,
                    "text": item.text,
                    "score": round(verdict.score, 6),
                    "threshold": verdict.threshold,
                    "reason": verdict.reason,
                }
                for item, verdict in failed
            ],
            created_by=actor,
        )
        for position, (item, verdict) in enumerate(selected):
            principle = Principle.objects.create(
                version=version,
                part=verdict.part,
                position=position,
                text=item.text,
                group=verdict.group,
                scores=_scores(item, verdict),
            )
            PrincipleSource.objects.create(
                principle=principle,
                statement_id=item.statement_id,
                statement_text=item.text,
                conversation_public_id=item.conversation,
                snapshot_id=item.snapshot_id,
                evidence=item.to_dict(),
            )
            EditorialStep.objects.create(
                principle=principle,
                actor=actor,
                actor_name=actor.get_username() if actor else "",
                action=EditorialStep.Action.COMPILE,
                after=item.text,
                reason=verdict.reason,
            )
    return version


def discard_draft(*, version: ConstitutionVersion) -> None:
    """Delete an unpublished draft (a published version refuses, see the model)."""
    with transaction.atomic():
        version.delete()
