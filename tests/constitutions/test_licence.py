"""A context chooses the licence of its constitutions; every format carries it with a citation,
and documents published before licences could be chosen keep their bytes and hash."""

import json
from http import HTTPStatus

import pytest
from django.urls import reverse

from constitutions.renderers import FORMATS
from constitutions.renderers.canonical import content_hash
from tests.constitutions.helpers import published_version
from tests.constitutions.renderers.schemas import validate_format


@pytest.mark.django_db
def test_published_version_records_the_licence_its_context_chose(
    context, conversation, facilitator
):
    context.constitution_licence = context.Licence.CC0_1_0
    context.save()
    version = published_version(context, conversation, facilitator)
    document = json.loads(version.canonical_json)
    assert document["schema"] == "polity.constitution/v2"
    assert document["licence"]["id"] == "CC0-1.0"
    assert content_hash(document) == version.content_sha256  # the licence is hashed
    for name in FORMATS:
        body = FORMATS[name].body(document)
        assert "CC0-1.0" in body or "publicdomain/zero/1.0" in body, name
        assert f"constitution version {version.number}" in body or name == "json", name


@pytest.mark.django_db
def test_facilitator_chooses_the_licence_on_the_context_form(facilitator_client, context):
    url = reverse("frontend:facilitate-context-edit", args=[context.slug])
    response = facilitator_client.post(
        url, {"title": context.title, "is_public": "on", "constitution_licence": "CC0-1.0"}
    )
    assert response.status_code == HTTPStatus.FOUND
    context.refresh_from_db()
    assert context.constitution_licence == "CC0-1.0"


def v1_document(document):
    """The document as schema v1 published it: no licence, groups named by number only."""
    old = {key: value for key, value in document.items() if key != "licence"}
    old["schema"] = "polity.constitution/v1"
    for key in ("consensus_principles", "group_principles", "contested_statements"):
        for principle in old[key]:
            principle.pop("group_letter", None)
            for source in principle["sources"]:
                for group in source["groups"]:
                    group.pop("letter")
            for position in principle.get("positions", []):
                position.pop("letter")
    old["content_sha256"] = content_hash(old)
    return old


@pytest.mark.django_db
def test_v1_documents_render_in_every_format_under_the_default_licence(
    context, conversation, facilitator
):
    version = published_version(context, conversation, facilitator)
    old = v1_document(json.loads(version.canonical_json))
    before = json.dumps(old, sort_keys=True)
    for name in FORMATS:
        body = FORMATS[name].body(old)
        validate_format(name, body, old)
        assert (
            "CC-BY-4.0" in body or "creativecommons.org/licenses/by/4.0" in body or name == "json"
        )
    assert json.dumps(old, sort_keys=True) == before  # rendering never changes the document
    assert content_hash(old) == old["content_sha256"]
