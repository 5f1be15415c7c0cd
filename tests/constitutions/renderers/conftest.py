"""The two published versions every format is proven on: the demo's (consensus, group-specific
and contested parts) and one whose conversation reached no consensus (group principles only).

Renderers read only the stored document, so the documents are published once per test session
(in a transaction rolled back at once) and each test renders them afresh."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from config.demo import load_demo
from tests.constitutions.helpers import A, D, P, analysed_conversation, published_version
from tests.factories import make_context, make_conversation

# Two camps that agree on nothing: each statement is backed by one camp alone, or split. One
# text carries braces, which a str.format template must give back unchanged.
NO_CONSENSUS = [
    ("The assistant should recommend only local events.", A, P),
    ("The assistant should speak informally, {like a friend}.", P, A),
    ("The assistant should refuse to discuss politics.", A, D),
    ("The assistant should use emoji.", D, A),
]


def group_only_version(context, conversation, facilitator):
    analysed_conversation(conversation, statements=NO_CONSENSUS)
    return published_version(context, conversation, facilitator, reword=False)


class _Rollback(Exception):
    pass


@pytest.fixture(scope="session")
def published_documents(django_db_setup, django_db_blocker):
    documents = {}
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                documents["demo"] = load_demo().constitution_version.canonical_json
                context = make_context(slug="no-consensus", title="A divided library")
                facilitator = get_user_model().objects.create_user("divided-facilitator")
                version = group_only_version(context, make_conversation(context), facilitator)
                documents["group-only"] = version.canonical_json
                raise _Rollback
        except _Rollback:
            pass
    return documents


@pytest.fixture(params=["demo", "group-only"])
def document(request, published_documents, db):
    # `db` only so that pytest-django sets up the test database (it does so only for tests
    # that use it); rendering itself never touches the database.
    return json.loads(published_documents[request.param])


@pytest.fixture
def parts(document):
    """What a job would ask for: consensus only where there is some, else the group part too."""
    return ("consensus",) if document["consensus_principles"] else ("consensus", "group")
