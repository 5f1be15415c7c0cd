"""The version endpoint's formats over HTTP: content negotiation and the parts to train on."""

import pytest

from constitutions.renderers import FORMATS, TRAINING_FORMATS
from tests.constitutions.helpers import published_version
from tests.constitutions.renderers.conftest import group_only_version


def url(context, number="1.0.0"):
    return f"/api/v1/contexts/{context.slug}/constitution/versions/{number}/"


@pytest.fixture
def version(context, conversation, facilitator):
    return published_version(context, conversation, facilitator)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(FORMATS))
def test_version_detail_accepts_the_media_type_of_the_chosen_format(name, client, version):
    media_type = FORMATS[name].media_type.split(";")[0]
    context = version.constitution.context
    for accept in (media_type, f"{media_type}; q=0.9, */*; q=0.1", media_type.split("/")[0] + "/*"):
        response = client.get(url(context), {"format": name}, HTTP_ACCEPT=accept)
        assert response.status_code == 200, (name, accept)
        assert response["Content-Type"].startswith(media_type)


@pytest.mark.django_db
def test_version_detail_refuses_an_accept_header_the_format_cannot_meet(client, version):
    context = version.constitution.context
    response = client.get(url(context), {"format": "markdown"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 406
    assert "text/markdown" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", TRAINING_FORMATS)
def test_version_detail_trains_on_the_parts_asked_for(
    name, client, context, conversation, facilitator
):
    group_only_version(context, conversation, facilitator)
    refused = client.get(url(context), {"format": name})
    assert refused.status_code == 409
    assert "?parts=group" in refused.json()["detail"]
    response = client.get(url(context), {"format": name, "parts": "consensus,group"})
    assert response.status_code == 200
    assert "The assistant should recommend only local events." in response.content.decode()
    assert "refuse to discuss politics" not in response.content.decode()  # contested


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "parts", "message"),
    [
        ("hf-cai", "contested", "never enter a training format"),
        ("hf-cai", "everything", "consensus and group"),
        ("hf-cai", "", "consensus and group"),
        ("json", "group", "always the complete version"),
    ],
)
def test_version_detail_refuses_parts_it_cannot_give(name, parts, message, client, version):
    response = client.get(url(version.constitution.context), {"format": name, "parts": parts})
    assert response.status_code == 400
    assert message in response.json()["detail"]
