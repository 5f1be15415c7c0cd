"""Shared fixtures: the people who use Polity (participant, facilitator, researcher) and their world."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from tests.factories import make_context, make_conversation, make_participant, make_statement


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def context(db):
    return make_context()


@pytest.fixture
def conversation(context):
    return make_conversation(context)


@pytest.fixture
def statements(conversation):
    return [make_statement(conversation, f"The assistant should do thing number {i}.") for i in range(5)]


@pytest.fixture
def participant(conversation):
    return make_participant(conversation)


@pytest.fixture
def facilitator(context):
    user = get_user_model().objects.create_user("facilitator", password="a-long-facilitator-password")
    context.facilitators.add(user)
    return user


@pytest.fixture
def other_facilitator(db):
    """A facilitator of another context, who must see nothing of `context`."""
    other = make_context(slug="other-context", title="Another context")
    user = get_user_model().objects.create_user("outsider", password="a-long-outsider-password")
    other.facilitators.add(user)
    return user


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client
