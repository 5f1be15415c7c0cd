from datetime import timedelta

import pytest
from django.utils import timezone

from constitutions.models import ApiToken
from constitutions.renderers import FORMATS
from constitutions.services.tokens import create_token, revoke_token
from tests.constitutions.helpers import published_version
from tests.constitutions.renderers.schemas import validate_format


def versions_url(context):
    return f"/api/v1/contexts/{context.slug}/constitution/versions/"


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def version(context, conversation, facilitator):
    return published_version(context, conversation, facilitator)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(FORMATS))
def test_version_detail_serves_every_format_over_http(name, client, context, version):
    response = client.get(f"{versions_url(context)}1.0.0/", {"format": name})
    assert response.status_code == 200
    assert response["X-Polity-Content-SHA256"] == version.content_sha256
    validate_format(
        name,
        response.content.decode(),
        {"version": version.number, "content_sha256": version.content_sha256},
    )


@pytest.mark.django_db
def test_version_detail_json_is_the_stored_document_byte_for_byte(client, context, version):
    response = client.get(f"{versions_url(context)}latest/")
    assert response.content == version.canonical_json.encode()
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_version_detail_etag_answers_304(client, context, version):
    url = f"{versions_url(context)}1.0.0/"
    first = client.get(url)
    assert first["ETag"] == f'"{version.content_sha256}"'
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.django_db
def test_version_detail_refuses_unknown_format(client, context, version):
    assert client.get(f"{versions_url(context)}1.0.0/", {"format": "yaml"}).status_code == 400


@pytest.mark.django_db
def test_context_list_shows_public_contexts_with_latest_version(client, context, version):
    from tests.factories import make_context

    make_context(slug="hidden", title="Hidden", is_public=False)
    body = client.get("/api/v1/contexts/").json()
    assert [c["slug"] for c in body["results"]] == [context.slug]
    assert body["results"][0]["latest_version"] == "1.0.0"
    assert client.get("/api/v1/contexts/", {"search": "nothing-like-it"}).json()["count"] == 0


@pytest.mark.django_db
def test_non_public_context_needs_a_constitutions_token(client, context, version, facilitator):
    context.is_public = False
    context.save()
    url = f"{versions_url(context)}latest/"
    assert client.get(url).status_code == 404
    _token, raw = create_token(user=facilitator, name="job", scope="constitutions", days=30)
    assert client.get(url, **bearer(raw)).status_code == 200
    _token, raw_data = create_token(user=facilitator, name="raw", scope="raw", days=30)
    assert client.get(url, **bearer(raw_data)).status_code == 403


@pytest.mark.django_db
def test_expired_and_revoked_tokens_answer_401(client, context, version, facilitator):
    url = f"{versions_url(context)}latest/"
    token, raw = create_token(user=facilitator, name="job", scope="constitutions", days=1)
    assert client.get(url, **bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url, **bearer(raw)).status_code == 401
    token, raw = create_token(user=facilitator, name="job2", scope="constitutions", days=1)
    revoke_token(token=token)
    assert client.get(url, **bearer(raw)).status_code == 401
    assert client.get(url, **bearer("pol_made-up")).status_code == 401


@pytest.mark.django_db
def test_token_is_stored_only_as_a_hash(facilitator):
    token, raw = create_token(user=facilitator, name="job", scope="raw", days=1)
    assert raw not in {token.token_sha256, token.prefix} and len(token.token_sha256) == 64


@pytest.mark.django_db
def test_raw_votes_need_raw_scope(client, context, conversation, version, facilitator):
    url = f"/api/v1/contexts/{context.slug}/conversations/{conversation.public_id}/votes/"
    assert client.get(url).status_code == 401
    _t, constitutions_only = create_token(user=facilitator, name="a", scope="constitutions", days=1)
    assert client.get(url, **bearer(constitutions_only)).status_code == 403
    _t, raw = create_token(user=facilitator, name="b", scope="raw", days=1)
    assert client.get(url, **bearer(raw)).status_code == 200


@pytest.mark.django_db
def test_vote_export_pseudonyms_are_stable_within_and_differ_across_exports(
    client, context, conversation, version, facilitator
):
    _t, raw = create_token(user=facilitator, name="b", scope="raw", days=1)
    url = f"/api/v1/contexts/{context.slug}/conversations/{conversation.public_id}/votes/"
    first, second = client.get(url, **bearer(raw)).json(), client.get(url, **bearer(raw)).json()
    participants = list(conversation.participants.values_list("pk", flat=True))
    pseudonyms = {vote["participant"] for vote in first["votes"]}
    assert len(pseudonyms) == len(participants) == 24
    assert not pseudonyms & {str(pk) for pk in participants}
    assert all(p.startswith("p_") for p in pseudonyms)
    by_statement = {}
    for vote in first["votes"]:
        by_statement.setdefault(vote["participant"], set()).add(vote["statement"])
    assert all(len(statements) == 8 for statements in by_statement.values())
    assert first["export"] != second["export"]
    assert not pseudonyms & {vote["participant"] for vote in second["votes"]}


@pytest.mark.django_db
def test_snapshot_export_pseudonymises_participants(
    client, context, conversation, version, facilitator
):
    _t, raw = create_token(user=facilitator, name="b", scope="raw", days=1)
    snapshot = conversation.snapshots.first()
    conversation_url = f"/api/v1/contexts/{context.slug}/conversations/{conversation.public_id}/"
    url = f"{conversation_url}snapshots/{snapshot.pk}/"
    body = client.get(url, **bearer(raw)).json()
    ids = {p["participant_id"] for p in body["result"]["participants"]}
    assert ids and not ids & set(conversation.participants.values_list("pk", flat=True))
    assert "state" not in body["result"]


@pytest.mark.django_db
def test_conversation_list_gives_statistics(client, context, conversation, version):
    body = client.get(f"/api/v1/contexts/{context.slug}/conversations/").json()
    assert body["results"][0]["participants"] == 24 and body["results"][0]["votes"] == 24 * 8


@pytest.mark.django_db
def test_consumption_registry_records_verified_uses(client, context, version, facilitator):
    payload = {
        "context": context.slug,
        "version": "1.0.0",
        "content_sha256": version.content_sha256,
        "job_name": "sft-run-7",
        "kind": "training",
        "url": "https://example.org/runs/7",
    }
    assert (
        client.post("/api/v1/consumptions", payload, content_type="application/json").status_code
        == 401
    )
    _t, raw = create_token(user=facilitator, name="job", scope="constitutions", days=1)
    wrong = {**payload, "content_sha256": "0" * 64}
    assert (
        client.post(
            "/api/v1/consumptions", wrong, content_type="application/json", **bearer(raw)
        ).status_code
        == 400
    )
    created = client.post(
        "/api/v1/consumptions", payload, content_type="application/json", **bearer(raw)
    )
    assert created.status_code == 201
    listed = client.get(f"{versions_url(context)}1.0.0/consumptions/").json()
    assert [c["job_name"] for c in listed["results"]] == ["sft-run-7"]


@pytest.mark.django_db
def test_principle_list_filters_by_part(client, context, version):
    body = client.get(f"{versions_url(context)}1.0.0/principles/", {"part": "consensus"}).json()
    assert body["count"] == 2 and {p["part"] for p in body["results"]} == {"consensus"}


@pytest.mark.django_db
def test_openapi_schema_is_served(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/contexts/{slug}/constitution/versions/{version}/" in response.content.decode()
