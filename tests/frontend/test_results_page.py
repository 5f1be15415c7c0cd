"""The results page: map, groups, table alternative, escaping, and cheap polling."""

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse

from deliberation.identity.cookie import PARTICIPANT_COOKIE, PARTICIPANT_COOKIE_SALT
from deliberation.models import AnalysisSnapshot, Conversation
from deliberation.services.analysis import analyse_conversation
from deliberation.services.participation import cast_vote
from frontend.presenters.opinion_map import MAP_STATEMENTS
from tests.deliberation.test_analysis_service import vote_in_two_camps
from tests.factories import make_conversation, make_participant, make_statement


@pytest.fixture
def voted(conversation, statements):
    return vote_in_two_camps(conversation, statements)


@pytest.fixture
def analysed(conversation, voted):
    """Analysed directly: with REDIS_URL set tasks are not eager and the page never analyses."""
    return analyse_conversation(conversation_id=conversation.pk)


def results_url(conversation):
    return reverse("frontend:results", args=[conversation.public_id])


def poll_url(conversation, after):
    return reverse("frontend:results-poll", args=[conversation.public_id]) + f"?after={after}"


def as_participant(client, participant):
    from django.core import signing

    client.cookies[PARTICIPANT_COOKIE] = signing.dumps(
        {participant.conversation.public_id: participant.pk},
        salt=PARTICIPANT_COOKIE_SALT,
        compress=True,
    )


def test_results_page_shows_groups_map_and_table(client, conversation, voted, analysed):
    response = client.get(results_url(conversation))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'role="img"' in html and "<svg" in html
    assert html.count('class="mark group-0"') + html.count('class="mark group-1"') >= len(voted)
    assert 'id="map-table"' in html
    assert "Group A" in html and "Group B" in html
    assert 'id="definitions"' in html
    assert 'style="' not in html  # CSP forbids style attributes


def test_results_page_jump_links_lead_to_every_section_and_group(client, conversation, analysed):
    html = client.get(results_url(conversation)).content.decode()
    contents = html.split('class="page-contents"', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([\w-]+)"', contents)
    assert {"summary", "map-heading", "statements", "definitions"} <= set(targets)
    for target in targets:
        assert f'id="{target}"' in html
    # Each group has its sentence in the summary, which links can point to.
    for group in analysed.result["groups"]:
        assert f'id="group-{group["id"]}"' in html


def test_results_page_says_how_the_number_of_groups_was_chosen(client, conversation, analysed):
    html = client.get(results_url(conversation)).content.decode()
    assert "within 1 standard error of the best" in html
    scores = ", ".join(f"{s['k']}: {s['silhouette']:.2f}" for s in analysed.result["silhouettes"])
    assert f"Silhouette by number of groups: {scores}." in html


def test_results_page_runs_a_stale_analysis_in_the_embedded_default(
    client, conversation, voted, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert not AnalysisSnapshot.objects.exists()
    client.get(results_url(conversation))
    assert AnalysisSnapshot.objects.filter(conversation=conversation).count() == 1


def test_results_page_marks_where_the_viewer_is(client, conversation, voted, analysed):
    as_participant(client, voted[1])
    html = client.get(results_url(conversation)).content.decode()
    assert 'class="you-ring"' in html
    assert "You are here" in html


def test_results_page_without_votes_says_so(client, conversation, statements):
    response = client.get(results_url(conversation))
    assert response.status_code == HTTPStatus.OK
    assert "There are no results yet" in response.content.decode()


@pytest.mark.parametrize("query", ["", "?statements=on"])
def test_results_page_escapes_statement_text(client, conversation, statements, query):
    hostile = make_statement(conversation, '<script>alert("x")</script> be kind')
    vote_in_two_camps(conversation, [*statements, hostile])
    analyse_conversation(conversation_id=conversation.pk)
    html = client.get(results_url(conversation) + query).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_results_map_draws_statements_only_when_asked(client, conversation, statements, analysed):
    plain = client.get(results_url(conversation)).content.decode()
    assert 'class="statement-mark"' not in plain
    assert "?statements=on#map-heading" in plain

    html = client.get(results_url(conversation) + "?statements=on").content.decode()
    drawn = min(MAP_STATEMENTS, len(statements))
    assert html.count('class="statement-mark"') == drawn
    listed = html.split('class="map-statements">', 1)[1].split("</ol>", 1)[0]
    assert listed.count("<li>") == drawn
    assert all(s.text in listed for s in statements[:drawn])
    # The refresh keeps what the reader asked for.
    assert f"?after={analysed.pk}&amp;statements=on" in html


def test_results_map_keeps_every_statement_inside_the_box(client, conversation, analysed):
    html = client.get(results_url(conversation) + "?statements=on").content.decode()
    width, height = map(float, re.search(r'viewBox="0 0 (\d+) (\d+)"', html).groups())
    centres = re.findall(r'class="statement-mark"><circle cx="([\d.-]+)" cy="([\d.-]+)"', html)
    assert centres
    for x, y in centres:
        assert 0 <= float(x) <= width and 0 <= float(y) <= height


def test_results_page_is_hidden_for_drafts(client, context):
    draft = make_conversation(context, state=Conversation.State.DRAFT)
    assert client.get(results_url(draft)).status_code == HTTPStatus.NOT_FOUND


def test_results_page_of_an_invite_conversation_needs_a_participant(client, context):
    invited = make_conversation(context, identity_mode=Conversation.Identity.INVITE)
    assert client.get(results_url(invited)).status_code == HTTPStatus.NOT_FOUND
    as_participant(client, make_participant(invited, kind="invited"))
    assert client.get(results_url(invited)).status_code == HTTPStatus.OK


def test_results_page_of_a_draft_is_open_to_its_facilitator(facilitator_client, context):
    draft = make_conversation(context, state=Conversation.State.DRAFT)
    assert facilitator_client.get(results_url(draft)).status_code == HTTPStatus.OK


def test_results_poll_answers_no_content_when_nothing_changed(client, conversation, analysed):
    snapshot = analysed
    response = client.get(poll_url(conversation, snapshot.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.content == b""


def test_results_poll_answers_not_modified_to_a_matching_etag(client, conversation, analysed):
    etag = client.get(results_url(conversation))["ETag"]
    url = reverse("frontend:results-poll", args=[conversation.public_id])
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == HTTPStatus.NOT_MODIFIED


def test_results_poll_sends_content_when_a_newer_snapshot_exists(
    client, conversation, statements, analysed
):
    shown = analysed.pk
    cast_vote(participant=make_participant(conversation), statement_id=statements[0].pk, value=1)
    analyse_conversation(conversation_id=conversation.pk)
    response = client.get(poll_url(conversation, shown), HTTP_HX_REQUEST="true")
    assert response.status_code == HTTPStatus.OK
    newer = AnalysisSnapshot.objects.filter(conversation=conversation).order_by("-id").first()
    assert newer.pk != shown
    html = response.content.decode()
    assert f"?after={newer.pk}" in html
    assert "<html" not in html  # only the fragment


def test_results_poll_stops_once_the_conversation_is_closed(client, conversation, voted):
    conversation.state = Conversation.State.CLOSED
    conversation.save()
    snapshot = analyse_conversation(conversation_id=conversation.pk)
    response = client.get(poll_url(conversation, snapshot.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert "hx-trigger" not in response.content.decode()


def test_results_status_is_for_facilitators_only(client, conversation, voted):
    url = reverse("frontend:results-status", args=[conversation.public_id])
    assert client.get(url).status_code in (HTTPStatus.FOUND, HTTPStatus.NOT_FOUND)


def test_results_status_tells_the_facilitator_what_the_analysis_is_doing(
    facilitator_client, conversation, statements, voted
):
    from django.core.cache import cache

    from deliberation.services.analysis import queued_key

    url = reverse("frontend:results-status", args=[conversation.public_id])
    stale = facilitator_client.get(url).content.decode()
    assert "New votes or moderation" in stale
    # Without workers (the embedded default) nothing is scheduled: the results page runs it.
    when = "when someone next opens the results" if settings.CELERY_TASK_ALWAYS_EAGER else "within"
    assert when in stale
    cache.set(queued_key(conversation.pk), 1)
    assert "Analysis queued" in facilitator_client.get(url).content.decode()
    cache.delete(queued_key(conversation.pk))
    analyse_conversation(conversation_id=conversation.pk)
    html = facilitator_client.get(url).content.decode()
    assert "Analysis up to date" in html
    assert "hx-trigger" not in html


def test_results_map_draws_group_labels_over_statement_marks(client, conversation, analysed):
    html = client.get(results_url(conversation) + "?statements=on").content.decode()
    assert 'class="statement-mark"' in html
    # SVG paints in document order: a label after the marks is never covered by one.
    assert html.rindex('class="statement-mark"') < html.index('class="map-label"')
