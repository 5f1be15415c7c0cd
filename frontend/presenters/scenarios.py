"""Scenarios on the draft page: their editable text, and the queue of participants' proposals."""

from constitutions import forms
from constitutions.models import Part, ScenarioProposal
from constitutions.services.proposals import suggested_principle
from constitutions.services.scenarios import turns_text


def pending_proposals(version) -> list[tuple[ScenarioProposal, forms.AcceptProposalForm]]:
    """The draft page's queue: each pending proposal with a form naming the likeliest principle."""
    principles = version.principles.filter(is_dropped=False).exclude(part=Part.CONTESTED)
    queue = ScenarioProposal.objects.filter(
        constitution_id=version.constitution_id, state=ScenarioProposal.State.PENDING
    ).select_related("principle")
    return [
        (
            proposal,
            forms.AcceptProposalForm(
                principles=principles,
                initial={"principle": getattr(suggested_principle(proposal, version), "pk", None)},
            ),
        )
        for proposal in queue
    ]


def with_scenario_texts(document: dict) -> dict:
    """Give each scenario of a draft's document the text its edit form starts from."""
    for key in ("consensus_principles", "group_principles"):
        for principle in document[key]:
            for scenario in principle.get("scenarios", []):
                scenario["text"] = turns_text(scenario["turns"])
    return document
