"""Raw conversation data is for the facilitators of its context (issue 16, finding 10).

Any signed-in account could mint a raw-data token and export every vote of every public
context; a token now reads raw data only of contexts its owner facilitates, and only an account
that facilitates a context can create one.
"""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from constitutions.errors import ConstitutionError
from constitutions.models import ApiToken
from constitutions.services.tokens import create_token


def _raw_urls(side) -> list[str]:
    base = f"/api/v1/contexts/{side.context.slug}/conversations/{side.conversation.public_id}/"
    return [base + "votes/", base + "snapshots/", f"{base}snapshots/{side.snapshot.pk}/"]


def test_raw_token_of_another_contexts_facilitator_cannot_read_a_public_context(world, db):
    assert world.a.context.is_public
    _token, raw = create_token(user=world.b.facilitator, name="elsewhere", scope="raw", days=30)
    for url in _raw_urls(world.a):
        response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == HTTPStatus.FORBIDDEN, url
        assert "facilitate" in response.json()["detail"]
    # The contexts it does facilitate stay readable.
    for url in _raw_urls(world.b):
        assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == HTTPStatus.OK


def test_raw_token_cannot_be_created_by_an_account_that_facilitates_nothing(db):
    nobody = get_user_model().objects.create_user("nobody", password="a-long-nobody-password")
    with pytest.raises(ConstitutionError, match="facilitate"):
        create_token(user=nobody, name="everything", scope="raw", days=366)
    assert not ApiToken.objects.filter(user=nobody).exists()
    # A constitutions token (published versions only) is still theirs to have.
    create_token(user=nobody, name="constitutions", scope="constitutions", days=30)


def test_raw_token_page_says_which_contexts_and_refuses_an_outsider(world, db):
    nobody = get_user_model().objects.create_user("nobody", password="a-long-nobody-password")
    browser = Client()
    browser.force_login(nobody)
    url = reverse("frontend:constitution-tokens")
    assert "only of the contexts you facilitate" in browser.get(url).content.decode()
    response = browser.post(url, {"name": "all votes", "scope": "raw", "days": "366"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "facilitate" in response.content.decode()
    assert not ApiToken.objects.filter(user=nobody).exists()
