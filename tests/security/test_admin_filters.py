"""Admin list filters check their values before any query (issue 16, finding 12).

A NUL byte in a filter or search value reached PostgreSQL, which refuses NUL in text: 500. A
value outside a field's choices now gets Django admin's own "incorrect lookup" answer too (a
redirect to `?e=1`), on SQLite as on PostgreSQL, instead of a query.
"""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("root", password="a-long-root-pw"))
    return client


@pytest.mark.parametrize(
    ("changelist", "query"),
    [
        ("admin:deliberation_conversation_changelist", "state=%00"),
        ("admin:deliberation_conversation_changelist", "state__exact=%00"),
        ("admin:deliberation_conversation_changelist", "state__exact=nonsense"),
        ("admin:deliberation_statement_changelist", "q=%00"),
        ("admin:deliberation_context_changelist", "is_public__exact=%00"),
        ("admin:deliberation_moderationaction_changelist", "action__exact=x%00y"),
        ("admin:constitutions_apitoken_changelist", "scope=%00"),
        ("admin:auth_user_changelist", "q=%00"),
    ],
)
def test_admin_filter_refuses_a_value_it_cannot_hold(admin_client, changelist, query):
    url = reverse(changelist)
    response = admin_client.get(f"{url}?{query}")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{url}?e=1"


@pytest.mark.parametrize(
    "query", ["state__exact=open", "state__exact=draft&moderation__exact=strict", "q=climate"]
)
def test_admin_filter_accepts_a_value_it_can_hold(admin_client, conversation, query):
    response = admin_client.get(reverse("admin:deliberation_conversation_changelist") + "?" + query)
    assert response.status_code == HTTPStatus.OK
