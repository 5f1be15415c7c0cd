import hashlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from constitutions.errors import InvalidVersionNumber, VersionPublished
from constitutions.models import ConstitutionVersion, EditorialStep, Principle, PrincipleSource
from constitutions.renderers.canonical import canonical_bytes
from constitutions.services.curation import reword_principle
from constitutions.services.publishing import publish_version
from tests.constitutions.helpers import compiled_draft, published_version


def stored(version):
    return ConstitutionVersion.objects.values_list("canonical_json", flat=True).get(pk=version.pk)


@pytest.mark.django_db
def test_publish_version_hash_is_verifiable_by_recomputation(context, conversation, facilitator):
    version = published_version(context, conversation, facilitator)
    document = json.loads(version.canonical_json)
    assert document["schema"] == "polity.constitution/v2"
    assert document["version"] == "1.0.0"
    claimed = document.pop("content_sha256")
    recomputed = hashlib.sha256(
        json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    assert claimed == recomputed == version.content_sha256
    assert (
        canonical_bytes({**document, "content_sha256": claimed}).decode() == version.canonical_json
    )


@pytest.mark.django_db
def test_publish_version_requires_a_higher_number_and_links_the_parent(
    context, conversation, facilitator
):
    first = published_version(context, conversation, facilitator)
    draft = compiled_draft(context, conversation, facilitator)
    with pytest.raises(InvalidVersionNumber):
        publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="again")
    with pytest.raises(InvalidVersionNumber):
        publish_version(version=draft, actor=facilitator, number="v2", changelog="again")
    second = publish_version(version=draft, actor=facilitator, number="1.1.0", changelog="Refresh.")
    assert second.parent == first
    assert json.loads(second.canonical_json)["parent"]["content_sha256"] == first.content_sha256


@pytest.mark.django_db
def test_published_version_refuses_orm_changes(context, conversation, facilitator):
    version = published_version(context, conversation, facilitator)
    before = stored(version)
    principle = version.principles.first()
    attempts = [
        lambda: ConstitutionVersion.objects.filter(pk=version.pk).update(changelog="x"),
        lambda: ConstitutionVersion.objects.filter(pk=version.pk).delete(),
        lambda: version.save(),
        lambda: version.delete(),
        lambda: principle.save(),
        lambda: principle.delete(),
        lambda: Principle.objects.filter(version=version).update(text="x"),
        lambda: PrincipleSource.objects.filter(principle=principle).update(statement_text="x"),
        lambda: EditorialStep.objects.filter(principle=principle).delete(),
        lambda: reword_principle(principle=principle, actor=facilitator, text="Something else."),
    ]
    for attempt in attempts:
        with pytest.raises(VersionPublished):
            attempt()
    assert stored(version) == before


@pytest.mark.django_db
def test_published_version_refuses_raw_sql(context, conversation, facilitator):
    version = published_version(context, conversation, facilitator)
    before = stored(version)
    principle = version.principles.first()
    statements = [
        ("UPDATE constitutions_constitutionversion SET changelog = 'x' WHERE id = %s", version.pk),
        ("DELETE FROM constitutions_constitutionversion WHERE id = %s", version.pk),
        ("UPDATE constitutions_principle SET text = 'x' WHERE id = %s", principle.pk),
        ("DELETE FROM constitutions_principle WHERE id = %s", principle.pk),
        (
            "UPDATE constitutions_principlesource SET statement_text = 'x' WHERE principle_id = %s",
            principle.pk,
        ),
        ("DELETE FROM constitutions_editorialstep WHERE principle_id = %s", principle.pk),
    ]
    for sql, pk in statements:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])
    assert stored(version) == before
    assert Principle.objects.get(pk=principle.pk).text == principle.text


@pytest.mark.django_db
def test_published_version_is_read_only_in_the_admin(context, conversation, facilitator, client):
    version = published_version(context, conversation, facilitator)
    before = stored(version)
    admin = get_user_model().objects.create_superuser("admin", password="an-admin-password-1")
    client.force_login(admin)
    change = reverse("admin:constitutions_constitutionversion_change", args=[version.pk])
    delete = reverse("admin:constitutions_constitutionversion_delete", args=[version.pk])
    client.post(change, {"changelog": "rewritten", "number": "9.9.9"})
    client.post(delete, {"post": "yes"})
    principle = version.principles.first()
    client.post(
        reverse("admin:constitutions_principle_change", args=[principle.pk]), {"text": "rewritten"}
    )
    assert client.get(change).status_code == 200  # can look, cannot touch
    assert stored(version) == before
    assert Principle.objects.get(pk=principle.pk).text == principle.text


@pytest.mark.django_db
def test_published_version_has_no_api_write_path(context, conversation, facilitator, client):
    version = published_version(context, conversation, facilitator)
    before = stored(version)
    url = f"/api/v1/contexts/{context.slug}/constitution/versions/1.0.0/"
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            url, data={"changelog": "x"}, content_type="application/json"
        )
        assert response.status_code == 405
    assert stored(version) == before
