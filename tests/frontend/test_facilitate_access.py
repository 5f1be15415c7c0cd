"""Every facilitation URL, for people who must not use it: nothing is shown, nothing changes."""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from deliberation.models import Context, Conversation, Invite, ModerationAction, Statement
from tests.factories import make_participant, make_statement

POST_DATA = {
    "title": "Taken over",
    "topic": "Taken over",
    "state": "closed",
    "moderation": "permissive",
    "identity_mode": "anonymous",
    "text": "Injected seed.",
    "reason": "Because.",
    "label": "x",
    "is_meta": "on",
    "required": "on",
}

# (url name, which objects address it, methods to try)
URLS = [
    ("facilitate-context", "context", ["get"]),
    ("facilitate-context-edit", "context", ["get", "post"]),
    ("facilitate-conversation-create", "context", ["get", "post"]),
    ("facilitate-conversation", "conversation", ["get"]),
    ("facilitate-conversation-edit", "conversation", ["get", "post"]),
    ("facilitate-conversation-state", "conversation", ["post"]),
    ("facilitate-invite-create", "conversation", ["post"]),
    ("facilitate-xid-signing", "conversation", ["post"]),
    ("facilitate-xid-key", "conversation", ["post"]),
    ("facilitate-seed", "conversation", ["get", "post"]),
    ("facilitate-seed-csv", "conversation", ["post"]),
    ("facilitate-queue", "conversation", ["get"]),
    ("facilitate-statements", "conversation", ["get"]),
    ("facilitate-statement-accept", "statement", ["post"]),
    ("facilitate-statement-reject", "statement", ["post"]),
    ("facilitate-statement-meta", "statement", ["post"]),
    ("facilitate-participants", "conversation", ["get"]),
    ("facilitate-participant-exclude", "participant", ["get", "post"]),
    ("facilitate-participant-readmit", "participant", ["post"]),
]
CASES = [(name, kind, method) for name, kind, methods in URLS for method in methods]
ACTIONS = [(name, kind) for name, kind, methods in URLS if methods == ["post"]]


@pytest.fixture
def world(conversation):
    statement = make_statement(conversation, "Waiting.", state=Statement.State.PENDING)
    participant = make_participant(conversation)
    return {
        "context": [conversation.context.slug],
        "conversation": [conversation.public_id],
        "statement": [conversation.public_id, statement.pk],
        "participant": [conversation.public_id, participant.pk],
    }


def _everything():
    """What any of these URLs could change."""
    return (
        list(Context.objects.values_list("slug", "title", "updated_at")),
        list(
            Conversation.objects.values_list(
                "topic", "state", "moderation", "xid_signed", "xid_key", "updated_at"
            )
        ),
        list(Statement.objects.values_list("text", "state", "is_meta")),
        list(ModerationAction.objects.values_list("id")),
        list(Invite.objects.values_list("id")),
        [p.excluded_at for p in Conversation.objects.get().participants.all()],
    )


@pytest.mark.parametrize(("name", "kind", "method"), CASES)
def test_outsider_gets_404_and_changes_nothing(
    client, world, other_facilitator, name, kind, method
):
    client.force_login(other_facilitator)
    before = _everything()
    response = getattr(client, method)(reverse(f"frontend:{name}", args=world[kind]), POST_DATA)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert _everything() == before


@pytest.mark.parametrize(("name", "kind", "method"), CASES)
def test_anonymous_is_sent_to_login_and_changes_nothing(client, world, name, kind, method):
    url = reverse(f"frontend:{name}", args=world[kind])
    before = _everything()
    response = getattr(client, method)(url, POST_DATA)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")
    assert _everything() == before


@pytest.mark.parametrize(("name", "kind"), ACTIONS)
def test_actions_refuse_get(facilitator_client, world, name, kind):
    before = _everything()
    response = facilitator_client.get(reverse(f"frontend:{name}", args=world[kind]))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert _everything() == before


@pytest.mark.parametrize(("name", "kind"), ACTIONS)
def test_actions_refuse_a_post_without_csrf_token(facilitator, world, name, kind):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    before = _everything()
    response = client.post(reverse(f"frontend:{name}", args=world[kind]), POST_DATA)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _everything() == before


def test_home_and_context_create_need_sign_in(client, db):
    for name in ("facilitate-home", "facilitate-context-create"):
        response = client.get(reverse(f"frontend:{name}"))
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_superuser_facilitates_every_context(client, world):
    admin = get_user_model().objects.create_superuser("root", password="a-long-root-password")
    client.force_login(admin)
    response = client.get(reverse("frontend:facilitate-conversation", args=world["conversation"]))
    assert response.status_code == HTTPStatus.OK


def test_login_page_signs_a_facilitator_in(client, facilitator):
    response = client.post(
        reverse("frontend:login"),
        {"username": "facilitator", "password": "a-long-facilitator-password"},
    )
    assert (response.status_code, response["Location"]) == (
        HTTPStatus.FOUND,
        reverse("frontend:facilitate-home"),
    )


@pytest.mark.django_db
def test_facilitator_pages_are_never_stored_by_a_browser_or_proxy(client, django_user_model):
    facilitator = django_user_model.objects.create_user("keeper", password="x" * 12)
    client.force_login(facilitator)
    response = client.get("/facilitate/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
