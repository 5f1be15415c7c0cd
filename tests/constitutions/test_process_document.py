"""The process record in the canonical document, its prose, and the untouched older versions."""

import json
from pathlib import Path

import jsonschema
import pytest

from constitutions.renderers import FORMATS, dataset_card
from constitutions.renderers.canonical import content_hash, stored_document
from constitutions.rules import SelectionRule
from constitutions.services.compile import compile_draft
from constitutions.services.publishing import publish_version
from constitutions.services.ratification import (
    close_ratification,
    open_ratification,
    ratify,
)
from deliberation.models import Participant
from deliberation.services.process import add_channel, set_process_record
from tests.constitutions.helpers import published_version
from tests.constitutions.legitimacy_world import age_split_conversation

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "constitutions/schemas/constitution.json").read_text()
)


@pytest.fixture
def published(context, conversation, facilitator):
    set_process_record(context=context, eligibility="Library card holders", suppression_k=5)
    add_channel(context=context, name="Newsletter", kind="public", description="monthly mail")
    age_split_conversation(context, conversation, young_per_camp=9, old_per_camp=3)
    draft = compile_draft(
        context=context,
        actor=facilitator,
        conversation_ids=[conversation.pk],
        rule=SelectionRule(rule="min-group", threshold=0.6),
    )
    ratification = open_ratification(version=draft, actor=facilitator)
    for person in Participant.objects.filter(conversation=conversation)[:4]:
        ratify(ratification=ratification, participant=person, approvals={}, whole=True)
    close_ratification(ratification=ratification)
    return publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="First.")


def test_canonical_process_carries_the_process_record(published):
    process = stored_document(published)["process"]
    assert process["eligibility"] == "Library card holders"
    assert process["channels"][0] == {
        "name": "Newsletter",
        "kind": "public",
        "description": "monthly mail",
        "participants": 24,
    }
    assert process["participation"]["participants"] == 24
    assert process["participation"]["votes"] == 24 * 6
    age = process["self_description"][0]
    young, _old = age["categories"]
    assert (young["participants"], young["sample_share"], young["target_share"]) == (18, 0.75, 0.3)
    assert process["weighting"]["effective_sample_size"] < 24
    assert process["weighting"]["verdicts_that_flip"][0]["passes_weighted"] is False
    whole = process["ratification"]["whole_text"]
    assert (whole["votes"], whole["approve"]) == (4, 4)
    # Four votes, all in one group: under k = 5, so the group's figures are null.
    assert all(g["approval"] is None for g in whole["groups"])
    jsonschema.validate(stored_document(published), SCHEMA)


def test_canonical_process_suppresses_cells_under_k(context, published):
    old = stored_document(published)["process"]["self_description"][0]["categories"][1]
    assert old["participants"] == 6  # 6 >= k = 5
    set_process_record(context=context, suppression_k=10)
    draft = compile_draft(
        context=context,
        actor=None,
        conversation_ids=[published.constitution.context.conversations.get().pk],
        rule=SelectionRule(rule="gic"),
    )
    newer = publish_version(version=draft, actor=None, number="1.1.0", changelog="Again.")
    hidden = stored_document(newer)["process"]["self_description"][0]["categories"][1]
    assert hidden["participants"] is None and hidden["sample_share"] is None
    assert hidden["target_share"] == 0.7


def test_published_documents_never_change_when_the_process_record_does(
    context, conversation, facilitator
):
    version = published_version(context, conversation, facilitator)
    stored, sha = version.canonical_json, version.content_sha256
    set_process_record(context=context, eligibility="Changed after publication")
    add_channel(context=context, name="Late channel", kind="public")
    version.refresh_from_db()
    assert version.canonical_json == stored and version.content_sha256 == sha
    assert content_hash(json.loads(stored)) == sha


def test_documents_without_the_process_record_still_render_and_validate(
    context, conversation, facilitator
):
    """A document published before the record existed (its keys removed here) is still valid,
    and the Markdown simply has no "Who took part" section."""
    document = stored_document(published_version(context, conversation, facilitator))
    older = {
        **document,
        "process": {k: document["process"][k] for k in ("conversations", "judgement_calls")},
    }
    jsonschema.validate(older, SCHEMA)
    assert "Who took part" not in FORMATS["markdown"].render(older)
    assert "Who took part" in FORMATS["markdown"].render(document)


@pytest.mark.parametrize("render", [FORMATS["markdown"].render, dataset_card.render])
def test_prose_formats_tell_the_process_record(published, render):
    text = render(stored_document(published))
    assert "24 people took part" in text
    assert "Newsletter: 24" in text
    assert "75% of participants, 30% of the population" in text
    assert "approved the whole text" in text
