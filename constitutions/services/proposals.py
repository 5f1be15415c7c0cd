"""Participants' scenario proposals ("when would this matter?") and their moderation.

A proposal names a principle of a published version; it waits, like a statement under strict
moderation, until a facilitator accepts it into a draft (where it becomes a scenario, recorded
as an editorial step that says it came from a participant) or rejects it with a reason.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from constitutions.errors import InvalidCuration
from constitutions.models import ConstitutionVersion, Principle, ScenarioProposal
from constitutions.renderers.canonical import stored_document
from constitutions.renderers.evalset import PARTS
from constitutions.services.curation import _reason
from constitutions.services.scenarios import TURN_MAX_LENGTH, add_scenario
from core.text import clean_text
from deliberation.ratelimit import check_rate


def propose_scenario(
    *, version: ConstitutionVersion, principle_key: str, text: str, proposer_key: str
) -> ScenarioProposal:
    """A visitor proposes a situation for a published principle (consensus or group-specific)."""
    if not version.is_published:
        raise InvalidCuration(_("Scenarios are proposed for published versions."))
    principles = {
        principle["key"]: principle
        for _part, key in PARTS
        for principle in stored_document(version)[key]
    }
    if principle_key not in principles:
        raise InvalidCuration(_("That principle is not in this version."))
    text = clean_text(text, max_length=TURN_MAX_LENGTH, field=_("Situation"), multiline=True)
    if ScenarioProposal.objects.filter(
        constitution_id=version.constitution_id,
        principle_key=principle_key,
        text=text,
        state=ScenarioProposal.State.PENDING,
    ).exists():
        raise InvalidCuration(_("That situation has already been proposed for this principle."))
    check_rate("proposal", proposer_key)
    principle = principles[principle_key]
    return ScenarioProposal.objects.create(
        constitution_id=version.constitution_id,
        principle=Principle.objects.filter(pk=principle["id"]).first(),
        principle_key=principle_key,
        principle_text=principle["text"],
        text=text,
        proposer_key=proposer_key,
    )


def _pending(proposal_id: int) -> ScenarioProposal:
    proposal = ScenarioProposal.objects.select_for_update().get(pk=proposal_id)
    if proposal.state != ScenarioProposal.State.PENDING:
        raise InvalidCuration(_("That proposal has already been moderated."))
    return proposal


def accept_proposal(*, proposal: ScenarioProposal, actor, principle: Principle) -> None:
    """Make the proposal a scenario of `principle`, a principle of a draft of its constitution."""
    if principle.version.constitution_id != proposal.constitution_id:
        raise InvalidCuration(_("That principle is not in a draft of this constitution."))
    with transaction.atomic():
        proposal = _pending(proposal.pk)
        add_scenario(
            principle=principle,
            actor=actor,
            conversation=proposal.text,
            reason=_("Proposed by a participant for “%(text)s”.")
            % {"text": proposal.principle_text},
        )
        proposal.state, proposal.moderated_by = ScenarioProposal.State.ACCEPTED, actor
        proposal.moderated_at = timezone.now()
        proposal.save()


def reject_proposal(*, proposal: ScenarioProposal, actor, reason: str) -> None:
    reason = _reason(reason, required=True)
    with transaction.atomic():
        proposal = _pending(proposal.pk)
        proposal.state, proposal.moderated_by = ScenarioProposal.State.REJECTED, actor
        proposal.moderated_at, proposal.reason = timezone.now(), reason
        proposal.save()


def suggested_principle(proposal: ScenarioProposal, draft: ConstitutionVersion):
    """The draft's principle sharing a source statement with the proposal's, if any."""
    if proposal.principle is None:
        return None
    statements = proposal.principle.sources.values_list("statement_id", flat=True)
    return (
        draft.principles.filter(is_dropped=False, sources__statement_id__in=list(statements))
        .order_by("part", "position", "id")
        .first()
    )
