from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from deliberation.models import Vote, VoteEvent
from deliberation.services.participation import cast_vote


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("root", password="a-long-root-pw"))
    return client


@pytest.mark.parametrize("model", [Vote, VoteEvent])
def test_admin_votes_can_be_viewed_never_written(admin_client, participant, statements, model):
    cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    row = model.objects.get()
    name = model._meta.model_name
    assert (
        admin_client.get(reverse(f"admin:deliberation_{name}_changelist")).status_code
        == HTTPStatus.OK
    )
    change = admin_client.get(reverse(f"admin:deliberation_{name}_change", args=[row.pk]))
    assert change.status_code == HTTPStatus.OK
    assert b'name="value"' not in change.content  # shown read-only, not as an input
    assert (
        admin_client.get(reverse(f"admin:deliberation_{name}_add")).status_code
        == HTTPStatus.FORBIDDEN
    )
    response = admin_client.post(
        reverse(f"admin:deliberation_{name}_delete", args=[row.pk]), {"post": "yes"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert (
        admin_client.post(
            reverse(f"admin:deliberation_{name}_change", args=[row.pk]), {"value": -1}
        ).status_code
        == HTTPStatus.FORBIDDEN
    )
    row.refresh_from_db()
    assert row.value == 1


def test_admin_audit_log_cannot_be_edited(admin_client, conversation):
    assert (
        admin_client.get(reverse("admin:deliberation_moderationaction_add")).status_code
        == HTTPStatus.FORBIDDEN
    )


def test_admin_refuses_hidden_characters_in_a_conversation_topic(admin_client, conversation):
    url = reverse("admin:deliberation_conversation_change", args=[conversation.pk])
    response = admin_client.post(url, {"topic": "Be \u202ekind", "description": ""})
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert "RIGHT-TO-LEFT OVERRIDE (U+202E)" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.topic == "How should the assistant behave?"
    admin_client.post(url, {"topic": "Cafe\u0301 norms", "description": ""})
    conversation.refresh_from_db()
    assert conversation.topic == "Caf\u00e9 norms"
