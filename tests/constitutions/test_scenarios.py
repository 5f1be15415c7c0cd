"""Scenarios in curation: written, changed and dropped with a recorded history; published with
the version (document, hash) and frozen with it at the ORM, admin and database."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from constitutions.errors import InvalidCuration, VersionPublished
from constitutions.models import ConstitutionVersion, EditorialStep, Part, Scenario
from constitutions.renderers.canonical import content_hash
from constitutions.services.curation import drop_principle, merge_principles
from constitutions.services.publishing import publish_version
from constitutions.services.scenarios import add_scenario, drop_scenario, edit_scenario
from tests.constitutions.helpers import compiled_draft, published_version

pytestmark = pytest.mark.django_db
QUESTION = "Is this book on ancient Rome any good for a ten-year-old?"


def _consensus(draft):
    return list(draft.principles.filter(part=Part.CONSENSUS).order_by("position", "id"))


def _publish(draft, actor, number="1.0.0"):
    return publish_version(version=draft, actor=actor, number=number, changelog="First version.")


def test_add_scenario_is_recorded_and_published_in_document_and_hash(
    context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    principle = _consensus(draft)[0]
    add_scenario(
        principle=principle,
        actor=facilitator,
        conversation=QUESTION,
        following="It is written for older readers; I am not sure, so ask a librarian.",
        following_why="Admits what it does not know.",
        breaking="Yes, it is perfect.",
        breaking_why="Claims a certainty it cannot have.",
    )
    step = principle.steps.get(action=EditorialStep.Action.SCENARIO)
    assert step.actor == facilitator and QUESTION in step.after
    version = _publish(draft, facilitator)
    document = json.loads(version.canonical_json)
    published = document["consensus_principles"][0]
    assert published["scenarios"][0]["turns"] == [{"role": "user", "content": QUESTION}]
    assert published["scenarios"][0]["breaking_why"] == "Claims a certainty it cannot have."
    assert content_hash(document) == version.content_sha256
    document["consensus_principles"][0]["scenarios"][0]["turns"][0]["content"] = "Other."
    assert content_hash(document) != version.content_sha256


def test_principles_without_scenarios_have_no_scenarios_key(context, conversation, facilitator):
    # Documents published before scenarios existed hash the same when built again.
    version = published_version(context, conversation, facilitator)
    document = json.loads(version.canonical_json)
    for key in ("consensus_principles", "group_principles", "contested_statements"):
        assert all("scenarios" not in principle for principle in document[key])


def test_add_scenario_parses_a_short_conversation(context, conversation, facilitator):
    principle = _consensus(compiled_draft(context, conversation, facilitator))[0]
    scenario = add_scenario(
        principle=principle,
        actor=facilitator,
        conversation="User: I need a book.\nAssistant: On what?\nUser: Rome,\nfor a child.",
    )
    assert scenario.turns == [
        {"role": "user", "content": "I need a book."},
        {"role": "assistant", "content": "On what?"},
        {"role": "user", "content": "Rome,\nfor a child."},
    ]


@pytest.mark.parametrize(
    ("conversation_text", "extra"),
    [
        ("User: Hello\nAssistant: Hi there", {}),
        ("", {}),
        (QUESTION, {"following": "A response without a reason."}),
        (QUESTION, {"breaking_why": "A reason without a response."}),
    ],
)
def test_add_scenario_refuses_incomplete_input_and_writes_nothing(
    context, conversation, facilitator, conversation_text, extra
):
    principle = _consensus(compiled_draft(context, conversation, facilitator))[0]
    steps = EditorialStep.objects.count()
    with pytest.raises((InvalidCuration, ValidationError)) as error:
        add_scenario(
            principle=principle, actor=facilitator, conversation=conversation_text, **extra
        )
    assert str(error.value)
    assert not Scenario.objects.exists() and EditorialStep.objects.count() == steps


def test_edit_and_drop_scenario_are_recorded(context, conversation, facilitator):
    principle = _consensus(compiled_draft(context, conversation, facilitator))[0]
    scenario = add_scenario(principle=principle, actor=facilitator, conversation=QUESTION)
    edit_scenario(
        scenario=scenario, actor=facilitator, conversation="A new question?", reason="Sharper."
    )
    drop_scenario(scenario=scenario, actor=facilitator, reason="Not about this principle.")
    steps = list(principle.steps.filter(action=EditorialStep.Action.SCENARIO))
    assert [(s.before, s.after, s.reason) for s in steps] == [
        ("", QUESTION, ""),
        (QUESTION, "A new question?", "Sharper."),
        ("A new question?", "", "Not about this principle."),
    ]
    assert not Scenario.objects.exists()


def test_merge_keeps_every_scenario_and_drop_removes_them_from_the_version(
    context, conversation, facilitator
):
    draft = compiled_draft(context, conversation, facilitator)
    first, second, *_rest = _consensus(draft)
    for principle in (first, second):
        add_scenario(principle=principle, actor=facilitator, conversation=f"About {principle.pk}?")
    merged = merge_principles(
        version=draft, principle_ids=[first.pk, second.pk], actor=facilitator, text="Both."
    )
    assert merged.scenarios.count() == 2
    drop_principle(principle=merged, actor=facilitator, reason="Too broad.")
    document = json.loads(_publish(draft, facilitator).canonical_json)
    assert all("scenarios" not in p for p in document["consensus_principles"])
    assert "scenarios" not in document["dropped_principles"][0]


def _published_with_scenario(context, conversation, facilitator):
    draft = compiled_draft(context, conversation, facilitator)
    principle = _consensus(draft)[0]
    scenario = add_scenario(principle=principle, actor=facilitator, conversation=QUESTION)
    return _publish(draft, facilitator), scenario


def _stored(version):
    return ConstitutionVersion.objects.values_list("canonical_json", flat=True).get(pk=version.pk)


def test_published_scenarios_refuse_orm_changes(context, conversation, facilitator):
    version, scenario = _published_with_scenario(context, conversation, facilitator)
    before = _stored(version)
    attempts = [
        lambda: scenario.save(),
        lambda: scenario.delete(),
        lambda: Scenario.objects.filter(pk=scenario.pk).update(turns=[]),
        lambda: Scenario.objects.filter(pk=scenario.pk).delete(),
        lambda: Scenario.objects.create(principle=scenario.principle, turns=scenario.turns),
        lambda: edit_scenario(scenario=scenario, actor=facilitator, conversation="Changed?"),
        lambda: drop_scenario(scenario=scenario, actor=facilitator, reason="Gone."),
        lambda: add_scenario(principle=scenario.principle, actor=facilitator, conversation="New?"),
    ]
    for attempt in attempts:
        with pytest.raises(VersionPublished):
            attempt()
    assert _stored(version) == before
    assert Scenario.objects.get(pk=scenario.pk).turns[0]["content"] == QUESTION


def test_published_scenarios_refuse_raw_sql(context, conversation, facilitator):
    version, scenario = _published_with_scenario(context, conversation, facilitator)
    statements = [
        ("UPDATE constitutions_scenario SET following = 'x' WHERE id = %s", [scenario.pk]),
        ("DELETE FROM constitutions_scenario WHERE id = %s", [scenario.pk]),
        (
            "INSERT INTO constitutions_scenario (principle_id, turns, following, following_why, "
            "breaking, breaking_why, created_at) VALUES (%s, '[]', '', '', '', '', '2026-01-01')",
            [scenario.principle_id],
        ),
    ]
    for sql, params in statements:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert Scenario.objects.filter(principle__version=version).count() == 1
    assert Scenario.objects.get(pk=scenario.pk).following == ""


def test_published_scenarios_are_read_only_in_the_admin(context, conversation, facilitator, client):
    _version, scenario = _published_with_scenario(context, conversation, facilitator)
    admin = get_user_model().objects.create_superuser("admin", password="an-admin-password-1")
    client.force_login(admin)
    change = reverse("admin:constitutions_scenario_change", args=[scenario.pk])
    client.post(change, {"following": "rewritten"})
    client.post(reverse("admin:constitutions_scenario_delete", args=[scenario.pk]), {"post": "yes"})
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:constitutions_scenario_add")).status_code == 403
    assert Scenario.objects.get(pk=scenario.pk).following == ""


def test_published_scenarios_have_no_api_write_path(context, conversation, facilitator, client):
    version, scenario = _published_with_scenario(context, conversation, facilitator)
    before = _stored(version)
    base = f"/api/v1/contexts/{context.slug}/constitution/versions/1.0.0/"
    for url in (base, f"{base}principles/"):
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(
                url, data={"scenarios": []}, content_type="application/json"
            )
            assert response.status_code == 405
    assert _stored(version) == before
    assert Scenario.objects.get(pk=scenario.pk).turns[0]["content"] == QUESTION
