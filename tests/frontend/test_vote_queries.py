"""The htmx vote request stays cheap: a regression in its query count fails here.

Each query the vote path gains costs CPU on every vote (most of it in Django building the SQL),
and under load that CPU is what decides latency (README, Reliability).
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from deliberation.models import AnalysisSnapshot
from deliberation.services.analysis import analyse_conversation
from deliberation.services.participation import cast_vote
from deliberation.services.routing import latest_priorities
from tests.factories import make_participant

HTMX = {"HTTP_HX_REQUEST": "true"}

# Conversation, participant, the vote (visibility check and upsert in one statement), its
# event, the statements with the participant's votes, the latest snapshot's id, the next
# statement; and cast_vote's transaction, opened and closed (a savepoint inside a test).
VOTE_QUERIES = 9
CHANGE_QUERIES = 7


def vote(client, conversation, statement):
    url = reverse("frontend:vote", args=[conversation.public_id])
    response = client.post(url, {"statement": statement.pk, "value": "1"}, **HTMX)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


@pytest.fixture
def analysed(conversation, statements):
    """A conversation with votes and an analysis, so the next statement is drawn by priority."""
    for index in range(4):
        voter = make_participant(conversation)
        for statement in statements[: 2 + index % 3]:
            cast_vote(participant=voter, statement_id=statement.pk, value=1 - index % 3)
    analyse_conversation(conversation_id=conversation.pk)
    assert AnalysisSnapshot.objects.filter(conversation=conversation).exists()
    return conversation


def test_vote_with_htmx_after_an_analysis_stays_within_its_queries(
    client, analysed, statements, django_assert_max_num_queries
):
    vote(client, analysed, statements[0])  # joins: the participant now exists
    with django_assert_max_num_queries(VOTE_QUERIES):
        body = vote(client, analysed, statements[1])
    assert "2 of 5 statements" in body
    assert 'name="statement"' in body


def test_vote_with_htmx_before_any_analysis_adds_only_the_seen_counts(
    client, conversation, statements, django_assert_max_num_queries
):
    vote(client, conversation, statements[0])
    # Without priorities the fewest-seen rule reads how often each statement was voted on.
    with django_assert_max_num_queries(VOTE_QUERIES + 1):
        body = vote(client, conversation, statements[1])
    assert statements[2].text in body


def test_first_vote_with_htmx_adds_only_joining(
    client, analysed, statements, django_assert_max_num_queries
):
    # As in a browser, the page comes first: it reads the snapshot's priorities, which each
    # process then keeps. The vote then has no participant to look up but one to create, in a
    # transaction around both (so a refused vote leaves no participant).
    assert client.get(analysed.get_absolute_url()).status_code == HTTPStatus.OK
    with django_assert_max_num_queries(VOTE_QUERIES + 2):
        body = vote(client, analysed, statements[0])
    assert "1 of 5 statements" in body


def test_vote_after_a_newer_analysis_follows_its_priorities(client, analysed, statements):
    """The priorities cached per process are keyed by snapshot, so a newer one takes over."""
    vote(client, analysed, statements[0])  # the cache now holds the first snapshot's priorities
    latest = AnalysisSnapshot.objects.latest()
    result = latest.result
    for entry in result["statements"]:
        entry.update(in_maths=True, is_meta=False, priority=7.0)
    AnalysisSnapshot.objects.create(
        conversation=analysed,
        vote_watermark=latest.vote_watermark + 1,
        moderation_watermark=latest.moderation_watermark,
        algorithm=latest.algorithm,
        parameters=latest.parameters,
        result=result,
        state=latest.state,
        participant_count=latest.participant_count,
        vote_count=latest.vote_count,
        seconds=0.0,
    )
    assert latest_priorities(analysed) == {statement.pk: 7.0 for statement in statements}


def test_change_vote_with_htmx_stays_within_its_queries(
    client, conversation, statements, django_assert_max_num_queries
):
    vote(client, conversation, statements[0])
    url = reverse("frontend:change-vote", args=[conversation.public_id, statements[0].pk])
    # Conversation, participant, the vote and its event (in a transaction), and the statement
    # the changed row shows.
    with django_assert_max_num_queries(CHANGE_QUERIES):
        response = client.post(url, {"value": "-1"}, **HTMX)
    assert response.status_code == HTTPStatus.OK
    assert statements[0].text in response.content.decode()
