"""Failed sign-ins are throttled per account and per address (issue 16, finding 7).

200 wrong passwords on /facilitate/login/ and 50 on /admin/login/ were all answered, and the right
one then worked. Both pages now count failures per account and per client address and, past
either limit, refuse every attempt (the right password too) with a message saying to wait.
"""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

PASSWORD = "a-long-and-right-password"
PAGES = {"facilitate": "frontend:login", "admin": "admin:login"}


@pytest.fixture
def account(db):
    return get_user_model().objects.create_user("facilitator-x", password=PASSWORD, is_staff=True)


def _sign_in(page: str, username: str, password: str, address: str = "203.0.113.7"):
    browser = Client(REMOTE_ADDR=address)
    response = browser.post(reverse(PAGES[page]), {"username": username, "password": password})
    return response, "_auth_user_id" in browser.session


@pytest.mark.parametrize("page", sorted(PAGES))
def test_login_throttle_refuses_even_the_right_password_after_failures_for_one_account(
    account, page
):
    limit = settings.POLITY_RATE_LIMITS["login_account"][0]
    for attempt in range(limit):
        # Each from another address: the account's own count is what stops them.
        response, signed_in = _sign_in(page, account.username, "wrong", f"198.51.100.{attempt}")
        assert not signed_in and "Too many failed sign-ins" not in response.content.decode()
    response, signed_in = _sign_in(page, account.username, PASSWORD, "192.0.2.99")
    assert not signed_in
    assert "Too many failed sign-ins" in response.content.decode()
    assert "minutes" in response.content.decode()
    if page == "facilitate":
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.parametrize("page", sorted(PAGES))
def test_login_throttle_refuses_an_address_that_tried_many_accounts(account, page):
    limit = settings.POLITY_RATE_LIMITS["login_address"][0]
    for attempt in range(limit):
        _response, signed_in = _sign_in(page, f"guess-{attempt}", "wrong")
        assert not signed_in
    response, signed_in = _sign_in(page, account.username, PASSWORD)
    assert not signed_in
    assert "Too many failed sign-ins" in response.content.decode()
    # The same account from another address is not held back by that address's failures.
    _response, signed_in = _sign_in(page, account.username, PASSWORD, "192.0.2.10")
    assert signed_in


def test_login_throttle_lets_a_few_mistakes_through(account):
    for _attempt in range(3):
        _sign_in("facilitate", account.username, "wrong")
    response, signed_in = _sign_in("facilitate", account.username.upper(), PASSWORD)
    assert not signed_in  # usernames are case-sensitive; this counts as a failure too
    response, signed_in = _sign_in("facilitate", account.username, PASSWORD)
    assert signed_in
    assert response.status_code == HTTPStatus.FOUND
