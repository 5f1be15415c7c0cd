"""Error pages are pages of the site (its header, a way home), even while DEBUG is on."""

from http import HTTPStatus

import pytest
from django.test import override_settings
from django.urls import reverse

from frontend.views.errors import server_error
from tests.factories import make_conversation


def _in_layout(response) -> bool:
    body = response.content.decode()
    return 'class="site-header"' in body and 'href="/"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_not_found_unknown_conversation_is_our_page(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get(reverse("frontend:participate", args=["no-such-conversation"]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert _in_layout(response)
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_not_found_draft_conversation_for_participants_is_our_page_with_debug(client, context):
    draft = make_conversation(context, state="draft")
    with override_settings(DEBUG=True):
        response = client.get(reverse("frontend:participate", args=[draft.public_id]))
    assert response.status_code == HTTPStatus.NOT_FOUND and _in_layout(response)


@pytest.mark.django_db
def test_not_found_under_api_stays_json(client):
    with override_settings(DEBUG=True):
        response = client.get("/api/v1/contexts/no-such-context/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"].startswith("application/json")


def test_forbidden_context_creation_is_our_page_and_says_who_may(facilitator_client):
    response = facilitator_client.get(reverse("frontend:facilitate-context-create"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _in_layout(response)
    assert "may create contexts" in response.content.decode()


def test_server_error_is_our_page(rf):
    response = server_error(rf.get("/c/x/"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert 'class="site-header"' in response.content.decode()
    assert "Something went wrong" in response.content.decode()
