"""Scenario pages: facilitators change and drop a draft's scenarios and moderate participants'
proposals on the draft page; anyone who can read a published version proposes a scenario.

Adding a scenario is one of the draft page's principle actions (views/constitutions.py).
"""

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from constitutions import forms
from constitutions.models import Part, Scenario, ScenarioProposal
from constitutions.services import proposals, scenarios
from core.errors import DomainError
from core.pseudonyms import pseudonym
from deliberation.identity.network import client_ip, network_key
from frontend.views.constitutions import (
    _draft,
    _draft_page,
    _public_context,
    _published,
    _refusal,
    _version_page,
)
from frontend.views.facilitate.common import action


def _back_to_draft(slug, version, anchor=""):
    return redirect(reverse("frontend:constitution-draft", args=[slug, version.pk]) + anchor)


@action
def scenario_edit(request, slug, version_id, scenario_id):
    context, version = _draft(request, slug, version_id)
    scenario = get_object_or_404(Scenario, pk=scenario_id, principle__version=version)
    form = forms.ScenarioEditForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        scenarios.edit_scenario(scenario=scenario, actor=request.user, **form.cleaned_data)
    except (DomainError, ValidationError) as error:
        messages.error(request, _refusal(error))
        return _draft_page(request, context, version, status=HTTPStatus.BAD_REQUEST)
    return _back_to_draft(slug, version, f"#principle-{scenario.principle_id}")


@action
def scenario_drop(request, slug, version_id, scenario_id):
    context, version = _draft(request, slug, version_id)
    scenario = get_object_or_404(Scenario, pk=scenario_id, principle__version=version)
    try:
        scenarios.drop_scenario(
            scenario=scenario, actor=request.user, reason=request.POST.get("reason", "")
        )
    except (DomainError, ValidationError) as error:
        messages.error(request, _refusal(error))
        return _draft_page(request, context, version, status=HTTPStatus.BAD_REQUEST)
    return _back_to_draft(slug, version, f"#principle-{scenario.principle_id}")


@action
def proposal_moderate(request, slug, version_id, proposal_id, decision):
    context, version = _draft(request, slug, version_id)
    if decision not in ("accept", "reject"):
        raise Http404
    proposal = get_object_or_404(
        ScenarioProposal, pk=proposal_id, constitution_id=version.constitution_id
    )
    try:
        if decision == "accept":
            principles = version.principles.filter(is_dropped=False).exclude(part=Part.CONTESTED)
            form = forms.AcceptProposalForm(request.POST, principles=principles)
            if not form.is_valid():
                raise ValidationError(_("Choose a principle of this draft."))
            proposals.accept_proposal(
                proposal=proposal,
                actor=request.user,
                principle=principles.get(pk=form.cleaned_data["principle"]),
            )
        else:
            proposals.reject_proposal(
                proposal=proposal, actor=request.user, reason=request.POST.get("reason", "")
            )
    except (DomainError, ValidationError) as error:
        messages.error(request, _refusal(error))
        return _draft_page(request, context, version, status=HTTPStatus.BAD_REQUEST)
    return _back_to_draft(slug, version, "#proposals-heading")


@require_POST
def propose(request, slug, number, key):
    """Anyone who may read the version proposes a situation for one of its principles."""
    context = _public_context(request, slug)
    version = get_object_or_404(_published(context), number=number)
    page = reverse("frontend:constitution-version", args=[slug, number])
    form = forms.ProposalForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        proposal = proposals.propose_scenario(
            version=version,
            principle_key=key,
            text=form.cleaned_data["text"],
            proposer_key=pseudonym(
                scope="scenario-proposal", value=network_key(client_ip(request))
            ),
        )
    except (DomainError, ValidationError) as error:
        messages.error(request, _refusal(error))
        response = _version_page(request, context, version)
        response.status_code = getattr(error, "status", HTTPStatus.BAD_REQUEST)
        return response
    messages.success(
        request, _("Thank you. The facilitators will consider your scenario for a next version.")
    )
    return redirect(f"{page}#principle-{proposal.principle_id}")
