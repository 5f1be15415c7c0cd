"""The version endpoint's hot path: one query per request, each format rendered once."""

import pytest

from api.published import rendered
from constitutions.readers import published_version
from constitutions.renderers import FORMATS
from constitutions.renderers.canonical import stored_document
from constitutions.rules import SelectionRule
from constitutions.services.compile import compile_draft
from constitutions.services.publishing import publish_version
from tests.constitutions.helpers import published_version as publish_demo


@pytest.fixture
def version(context, conversation, facilitator):
    return publish_demo(context, conversation, facilitator)


def detail_url(context, number):
    return f"/api/v1/contexts/{context.slug}/constitution/versions/{number}/"


@pytest.mark.parametrize("name", list(FORMATS))
def test_rendered_is_what_the_format_renders_from_the_stored_document(name, version):
    expected = FORMATS[name].render(stored_document(version))
    assert rendered(published_version(version.constitution.context.slug, "1.0.0"), name) == (
        version.canonical_json if name == "json" else expected
    )


@pytest.mark.parametrize("number", ["1.0.0", "latest"])
def test_version_detail_costs_one_query_once_rendered(
    number, client, context, version, django_assert_num_queries
):
    client.get(detail_url(context, number), {"format": "hf-cai"})
    with django_assert_num_queries(1):
        response = client.get(detail_url(context, number), {"format": "hf-cai"})
    assert response.status_code == 200
    with django_assert_num_queries(1):
        response = client.get(
            detail_url(context, number), HTTP_IF_NONE_MATCH=f'"{version.content_sha256}"'
        )
    assert response.status_code == 304


def test_latest_moves_to_a_newer_version_at_once(
    client, context, conversation, facilitator, version
):
    first = client.get(detail_url(context, "latest")).content
    draft = compile_draft(
        context=context,
        actor=facilitator,
        conversation_ids=[conversation.pk],
        rule=SelectionRule(rule="gic"),
    )
    newer = publish_version(version=draft, actor=facilitator, number="1.1.0", changelog="Again.")
    response = client.get(detail_url(context, "latest"))
    assert response["X-Polity-Version"] == "1.1.0"
    assert response.content == newer.canonical_json.encode() != first
