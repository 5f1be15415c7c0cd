import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.errors import ParticipantExcluded
from deliberation.models import ModerationAction, Statement
from deliberation.services.participation import cast_vote
from deliberation.services.privacy import delete_participant_data
from tests.factories import make_conversation, make_participant, make_statement


def _url(name, *args):
    return reverse(f"frontend:facilitate-{name}", args=args)


@pytest.fixture
def pending(conversation):
    return make_statement(conversation, "Pending norm.", state=Statement.State.PENDING)


def test_queue_lists_pending_oldest_first_25_per_page_with_counts(facilitator_client, conversation):
    start = timezone.now() - datetime.timedelta(days=1)
    for number in range(30):
        statement = make_statement(conversation, f"Pending number {number}", state="pending")
        # Created in reverse: the queue must follow created_at, not the id.
        Statement.objects.filter(pk=statement.pk).update(
            created_at=start + datetime.timedelta(minutes=30 - number)
        )
    make_statement(conversation, "Accepted one.")
    make_statement(conversation, "Rejected one.", state="rejected")
    first = facilitator_client.get(_url("queue", conversation.public_id))
    texts = [statement.text for statement in first.context["page"]]
    assert len(texts) == 25
    assert texts[:2] == ["Pending number 29", "Pending number 28"]
    assert first.context["counts"] == {"pending": 30, "accepted": 1, "rejected": 1}
    second = facilitator_client.get(_url("queue", conversation.public_id), {"page": 2})
    assert [s.text for s in second.context["page"]] == [
        f"Pending number {n}" for n in range(4, -1, -1)
    ]


def test_statement_list_filters_by_state(facilitator_client, conversation, pending):
    make_statement(conversation, "Accepted one.")
    response = facilitator_client.get(
        _url("statements", conversation.public_id), {"state": "pending"}
    )
    assert [s.text for s in response.context["page"]] == ["Pending norm."]


def test_accept_without_javascript_redirects_back_and_logs(
    facilitator_client, conversation, pending, facilitator
):
    back = _url("queue", conversation.public_id) + "?page=1"
    response = facilitator_client.post(
        _url("statement-accept", conversation.public_id, pending.pk), {"next": back}
    )
    assert (response.status_code, response["Location"]) == (HTTPStatus.FOUND, back)
    pending.refresh_from_db()
    assert (pending.state, pending.moderated_by) == ("accepted", facilitator)
    entry = ModerationAction.objects.get()
    assert (entry.actor, entry.action, entry.statement) == (facilitator, "accept", pending)


def test_row_action_never_redirects_off_site(facilitator_client, conversation, pending):
    response = facilitator_client.post(
        _url("statement-accept", conversation.public_id, pending.pk),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == _url("queue", conversation.public_id)


def test_reject_with_htmx_answers_the_row_only(
    facilitator_client, conversation, pending, facilitator
):
    response = facilitator_client.post(
        _url("statement-reject", conversation.public_id, pending.pk),
        {"reason": "Off topic."},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert body.lstrip().startswith(f'<tr id="statement-{pending.pk}"')
    assert "<html" not in body
    entry = ModerationAction.objects.get()
    assert (entry.actor, entry.action, entry.reason) == (facilitator, "reject", "Off topic.")


@pytest.mark.parametrize("htmx", [True, False])
def test_reject_without_a_reason_is_refused(facilitator_client, conversation, pending, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = facilitator_client.post(
        _url("statement-reject", conversation.public_id, pending.pk),
        {"reason": " "},
        headers=headers,
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "required" in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == "pending"
    assert not ModerationAction.objects.exists()


def test_meta_toggle_marks_and_unmarks(facilitator_client, conversation, pending):
    url = _url("statement-meta", conversation.public_id, pending.pk)
    facilitator_client.post(url, {"is_meta": "on"})
    pending.refresh_from_db()
    assert pending.is_meta
    facilitator_client.post(url, {}, headers={"HX-Request": "true"})
    pending.refresh_from_db()
    assert not pending.is_meta
    assert list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == [
        "meta",
        "unmeta",
    ]


def test_statement_of_another_conversation_is_not_found(facilitator_client, conversation, context):
    elsewhere = make_statement(
        make_conversation(context, topic="Other"), "Elsewhere.", state="pending"
    )
    response = facilitator_client.post(
        _url("statement-accept", conversation.public_id, elsewhere.pk)
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    elsewhere.refresh_from_db()
    assert elsewhere.state == "pending"


def test_row_text_is_escaped(facilitator_client, conversation):
    make_statement(conversation, '<img src=x onerror="alert(1)">', state="pending")
    response = facilitator_client.get(_url("queue", conversation.public_id))
    assert b"<img src=x" not in response.content


def test_participant_exclusion_stops_voting_and_is_logged(
    facilitator_client, conversation, participant, statements, facilitator
):
    response = facilitator_client.post(
        _url("participant-exclude", conversation.public_id, participant.pk),
        {"reason": "Vote spam.", "confirm": "yes"},  # htmx sends it after hx-confirm
        headers={"HX-Request": "true"},
    )
    assert response.status_code == HTTPStatus.OK
    assert f'id="participant-{participant.pk}"' in response.content.decode()
    participant.refresh_from_db()
    with pytest.raises(ParticipantExcluded):
        cast_vote(participant=participant, statement_id=statements[0].pk, value=1)
    entry = ModerationAction.objects.get()
    assert (entry.actor, entry.action, entry.reason, entry.participant) == (
        facilitator,
        "exclude",
        "Vote spam.",
        participant,
    )


def test_participant_exclusion_asks_for_confirmation_first(
    facilitator_client, conversation, participant
):
    url = _url("participant-exclude", conversation.public_id, participant.pk)
    response = facilitator_client.post(url, {"reason": "Vote spam."})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f"Exclude participant {participant.pk}?" in html and "Vote spam." in html
    assert 'name="reason" value="Vote spam."' in html and 'name="confirm" value="yes"' in html
    participant.refresh_from_db()
    assert not participant.is_excluded and not ModerationAction.objects.exists()
    # The list links each row to the exclusion page, which is the confirmation step itself.
    listing = facilitator_client.get(_url("participants", conversation.public_id))
    assert f'href="{url}?next=' in listing.content.decode()
    page = facilitator_client.get(url, {"next": "javascript:alert(1)"}).content.decode()
    assert 'name="confirm" value="yes"' in page and "javascript:" not in page


def test_participant_exclusion_needs_a_reason(facilitator_client, conversation, participant):
    response = facilitator_client.post(
        _url("participant-exclude", conversation.public_id, participant.pk), {"reason": ""}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    participant.refresh_from_db()
    assert not participant.is_excluded


def test_participant_readmit_lets_them_vote_again(
    facilitator_client, conversation, participant, statements
):
    participant.excluded_at = timezone.now()
    participant.save()
    response = facilitator_client.post(
        _url("participant-readmit", conversation.public_id, participant.pk)
    )
    assert response.status_code == HTTPStatus.FOUND
    participant.refresh_from_db()
    assert cast_vote(participant=participant, statement_id=statements[0].pk, value=-1).value == -1


def test_participant_list_counts_votes_and_statements(facilitator_client, conversation, statements):
    voter = make_participant(conversation)
    cast_vote(participant=voter, statement_id=statements[0].pk, value=1)
    cast_vote(participant=voter, statement_id=statements[1].pk, value=0)
    response = facilitator_client.get(_url("participants", conversation.public_id))
    (row,) = response.context["page"]
    assert (row.vote_count, row.statement_count) == (2, 0)


def test_participant_list_finds_one_participant_by_number(facilitator_client, conversation):
    people = [make_participant(conversation) for _ in range(30)]
    stranger = make_participant(make_conversation(conversation.context))
    url = _url("participants", conversation.public_id)

    response = facilitator_client.get(url, {"number": people[27].pk})
    assert response.status_code == HTTPStatus.OK
    assert [p.pk for p in response.context["page"]] == [people[27].pk]
    assert "Show everyone" in response.content.decode()

    # Another conversation's participant is not found here.
    response = facilitator_client.get(url, {"number": stranger.pk})
    assert list(response.context["page"]) == []
    assert f"No participant {stranger.pk} in this conversation." in response.content.decode()


@pytest.mark.parametrize("bad", ["twelve", "-3", "0", "1e3"])
def test_participant_search_refuses_what_is_not_a_number_and_shows_everyone(
    facilitator_client, conversation, participant, bad
):
    response = facilitator_client.get(_url("participants", conversation.public_id), {"number": bad})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'class="errorlist"' in html
    assert [p.pk for p in response.context["page"]] == [participant.pk]


def test_audit_log_links_a_participant_to_their_row(facilitator_client, conversation, participant):
    exclude = _url("participant-exclude", conversation.public_id, participant.pk)
    facilitator_client.post(exclude, {"reason": "Spam.", "confirm": "yes"})
    html = facilitator_client.get(_url("conversation", conversation.public_id)).content.decode()
    assert f'participants/?number={participant.pk}"' in html


def test_accept_with_htmx_updates_the_tab_counts_out_of_band(
    facilitator_client, conversation, pending
):
    make_statement(conversation, "Another pending norm.", state=Statement.State.PENDING)
    response = facilitator_client.post(
        _url("statement-accept", conversation.public_id, pending.pk),
        {"next": _url("queue", conversation.public_id)},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="statement-{pending.pk}"')
    tabs = body[body.index('<nav id="statement-tabs"') :]
    assert 'hx-swap-oob="true"' in tabs[: tabs.index(">")]
    assert "Waiting (1)" in tabs and "Accepted (1)" in tabs
    assert 'aria-current="page">Waiting (1)' in tabs  # drawn as the queue it came from


def test_queue_names_a_deleted_participant_as_such(facilitator_client, conversation):
    author = make_participant(conversation)
    statement = make_statement(
        conversation, "Written, then erased.", state="pending", author=author
    )
    delete_participant_data(participant=author)
    seed = make_statement(conversation, "A seed.", state="pending", is_seed=True)
    html = facilitator_client.get(_url("statements", conversation.public_id)).content.decode()
    row = html[html.index(f'id="statement-{statement.pk}"') :]
    assert "(deleted participant)" in row[: row.index("</tr>")]
    seed_row = html[html.index(f'id="statement-{seed.pk}"') :]
    assert "facilitator" in seed_row[: seed_row.index("</tr>")]


def test_participant_list_filters_by_status_and_counts(facilitator_client, conversation):
    taking_part = make_participant(conversation)
    excluded = make_participant(conversation)
    excluded.excluded_at = timezone.now()
    excluded.save()
    url = _url("participants", conversation.public_id)
    only_excluded = facilitator_client.get(url, {"status": "excluded"})
    assert [p.pk for p in only_excluded.context["page"]] == [excluded.pk]
    assert "Excluded (1)" in only_excluded.content.decode()
    assert "Everyone (2)" in only_excluded.content.decode()
    others = facilitator_client.get(url, {"status": "taking-part"})
    assert [p.pk for p in others.context["page"]] == [taking_part.pk]
