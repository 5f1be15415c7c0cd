"""Scenario pages: facilitators write, change and drop scenarios on the draft page; visitors
propose them on the public version page; proposals wait in the draft page's queue; the version
page shows scenarios and each model's reported adherence per principle."""

import json
from http import HTTPStatus

import pytest
from django.urls import reverse

from constitutions.models import AdherenceReport, Part, Scenario, ScenarioProposal
from constitutions.renderers.evalset import eval_sha256
from constitutions.services.adherence import record_report
from constitutions.services.publishing import publish_version
from constitutions.services.scenarios import add_scenario
from constitutions.services.tokens import create_token
from tests.constitutions.helpers import compiled_draft, published_version

pytestmark = pytest.mark.django_db


def _principle_url(context, draft, principle, name):
    return reverse(
        "frontend:constitution-principle", args=[context.slug, draft.pk, principle.pk, name]
    )


def test_draft_page_adds_edits_and_drops_a_scenario(facilitator_client, context, conversation):
    draft = compiled_draft(context, conversation, None)
    principle = draft.principles.filter(part=Part.CONSENSUS).first()
    response = facilitator_client.post(
        _principle_url(context, draft, principle, "scenario"),
        {
            "conversation": "Is this novel suitable for my class?",
            "following": "It depends on their age; here is what it contains.",
            "following_why": "Honest about what it cannot know.",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    scenario = Scenario.objects.get()
    page = facilitator_client.get(
        reverse("frontend:constitution-draft", args=[context.slug, draft.pk])
    )
    assert "Is this novel suitable for my class?" in page.content.decode()
    edit = reverse(
        "frontend:constitution-scenario-edit", args=[context.slug, draft.pk, scenario.pk]
    )
    refused = facilitator_client.post(
        edit, {"conversation": "Changed?", "following": "An answer without a why."}
    )
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "why" in refused.content.decode()
    scenario.refresh_from_db()
    assert scenario.turns[0]["content"] == "Is this novel suitable for my class?"
    drop = reverse(
        "frontend:constitution-scenario-drop", args=[context.slug, draft.pk, scenario.pk]
    )
    assert facilitator_client.post(drop, {"reason": "Off topic."}).status_code == HTTPStatus.FOUND
    assert not Scenario.objects.exists()


def test_proposal_from_the_version_page_is_moderated_into_a_draft(
    client, facilitator_client, context, conversation, facilitator
):
    version = published_version(context, conversation, facilitator)
    page = reverse("frontend:constitution-version", args=[context.slug, version.number])
    assert "When would this matter?" in client.get(page).content.decode()
    propose = reverse("frontend:constitution-propose", args=[context.slug, "1.0.0", "consensus-1"])
    sent = client.post(propose, {"text": "A parent asks whether a book suits a nine-year-old."})
    assert sent.status_code == HTTPStatus.FOUND
    unknown = reverse("frontend:constitution-propose", args=[context.slug, "1.0.0", "consensus-9"])
    refused = client.post(unknown, {"text": "Anything."})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "not in this version" in refused.content.decode()
    proposal = ScenarioProposal.objects.get()
    assert proposal.state == ScenarioProposal.State.PENDING

    draft = compiled_draft(context, conversation, facilitator)
    draft_page = facilitator_client.get(
        reverse("frontend:constitution-draft", args=[context.slug, draft.pk])
    ).content.decode()
    assert "A parent asks whether a book suits a nine-year-old." in draft_page
    target = draft.principles.filter(part=Part.CONSENSUS).first()
    accept = reverse(
        "frontend:constitution-proposal", args=[context.slug, draft.pk, proposal.pk, "accept"]
    )
    assert facilitator_client.post(accept, {"principle": target.pk}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ScenarioProposal.State.ACCEPTED
    scenario = target.scenarios.get()
    assert scenario.turns[0]["content"].startswith("A parent asks")
    assert "Proposed by a participant" in target.steps.get(action="scenario").reason
    again = facilitator_client.post(accept, {"principle": target.pk})
    assert again.status_code == HTTPStatus.BAD_REQUEST and target.scenarios.count() == 1


def test_version_page_shows_scenarios_and_each_models_adherence(
    client, context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    principle = draft.principles.filter(part=Part.CONSENSUS).order_by("position", "id").first()
    add_scenario(principle=principle, actor=facilitator, conversation="Which atlas is best?")
    version = publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="First.")
    token, _raw = create_token(user=facilitator, name="eval", scope="report", days=1)
    record_report(
        version=version,
        token=token,
        content_sha256=version.content_sha256,
        model_name="atlas-7b",
        model_revision="r1",
        eval_sha256_hex=eval_sha256(json.loads(version.canonical_json)),
        results=[{"principle": "consensus-1", "samples": 8, "follow_share": 0.625}],
        url="https://example.org/run/1",
    )
    assert AdherenceReport.objects.count() == 1
    body = client.get(
        reverse("frontend:constitution-version", args=[context.slug, "1.0.0"])
    ).content.decode()
    assert "Which atlas is best?" in body
    table = body[
        body.index("adherence-table") : body.index("</table>", body.index("adherence-table"))
    ]
    assert "atlas-7b" in table and "63%" in table and ">8</td>" in table
