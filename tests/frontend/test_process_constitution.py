"""Weighted verdicts and ratification on the constitution pages, and the participant's
ratification page (issue 13)."""

from http import HTTPStatus

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from constitutions.models import RatificationRound, RatificationVote, WeightingDecision
from constitutions.rules import SelectionRule
from constitutions.services.compile import compile_draft
from constitutions.services.ratification import open_ratification, ratifiable_principles
from deliberation.identity.cookie import PARTICIPANT_COOKIE, PARTICIPANT_COOKIE_SALT
from deliberation.models import Participant
from tests.constitutions.helpers import compiled_draft
from tests.constitutions.legitimacy_world import SPLIT, age_split_conversation
from tests.security.routes import database_state

CROSS_SITE = {
    "HTTP_ORIGIN": "https://attacker.example",
    "HTTP_REFERER": "https://attacker.example/",
}


@pytest.fixture
def flipping_draft(context, conversation, facilitator):
    age_split_conversation(context, conversation)
    return compile_draft(
        context=context,
        actor=facilitator,
        conversation_ids=[conversation.pk],
        rule=SelectionRule(rule="min-group", threshold=0.6),
    )


def _draft_url(version):
    return reverse(
        "frontend:constitution-draft", args=[version.constitution.context.slug, version.pk]
    )


def test_draft_page_flags_a_verdict_that_flips_and_records_the_decision(
    facilitator_client, flipping_draft
):
    page = facilitator_client.get(_draft_url(flipping_draft)).content.decode()
    assert "Passes as counted, fails weighted." in page
    assert SPLIT in page
    url = reverse(
        "frontend:constitution-weighting",
        args=[flipping_draft.constitution.context.slug, flipping_draft.pk],
    )
    statement = flipping_draft.principles.get(text=SPLIT).sources.get().statement_id
    conversation = flipping_draft.snapshots[0]["conversation"]
    body = {"conversation": conversation, "statement": statement, "decision": "keep"}
    forged = Client(enforce_csrf_checks=True)
    forged.cookies = facilitator_client.cookies
    before = database_state()
    assert (
        forged.post(url, {**body, "reason": "x"}, **CROSS_SITE).status_code == HTTPStatus.FORBIDDEN
    )
    assert database_state() == before
    response = facilitator_client.post(url, {**body, "reason": "Few old people took part."})
    assert response.status_code == HTTPStatus.FOUND
    assert WeightingDecision.objects.get().reason == "Few old people took part."
    assert (
        "Few old people took part."
        in facilitator_client.get(_draft_url(flipping_draft)).content.decode()
    )


def _participant_client(client, participant):
    """A browser that is `participant`: the signed cookie our own pages set."""
    client.cookies[PARTICIPANT_COOKIE] = signing.dumps(
        {participant.conversation.public_id: participant.pk},
        salt=PARTICIPANT_COOKIE_SALT,
        compress=True,
    )
    return client


def test_ratify_page_records_approvals_of_principles_and_the_whole(
    client, context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    open_ratification(version=draft, actor=facilitator)
    person = Participant.objects.filter(conversation=conversation).first()
    browser = _participant_client(client, person)
    url = reverse("frontend:ratify", args=[conversation.public_id])
    page = browser.get(url).content.decode()
    first = ratifiable_principles(draft).first()
    assert first.text in page
    response = browser.post(url, {f"principle-{first.pk}": "reject", "whole": "approve"})
    assert response.status_code == HTTPStatus.OK
    assert "Your answer is recorded" in response.content.decode()
    votes = dict(RatificationVote.objects.values_list("principle_id", "approve"))
    assert votes == {first.pk: False, None: True}


def test_ratify_page_refuses_a_visitor_who_did_not_take_part(
    client, context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    open_ratification(version=draft, actor=facilitator)
    url = reverse("frontend:ratify", args=[conversation.public_id])
    response = client.post(url, {"whole": "approve"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not RatificationVote.objects.exists()


def test_draft_page_opens_and_closes_a_ratification(
    facilitator_client, context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    url = reverse("frontend:constitution-ratification", args=[context.slug, draft.pk])
    facilitator_client.post(url, {"action": "open"})
    assert RatificationRound.objects.get().is_open
    facilitator_client.post(url, {"action": "close"})
    assert RatificationRound.objects.get().results["whole_text"]["votes"] == 0
