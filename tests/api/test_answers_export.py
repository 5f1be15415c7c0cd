"""Self-description answers in the raw vote export: only for the separate scope, only where the
context allows it, and never a combination shared by fewer than k participants (issue 13)."""

import pytest
from django.urls import reverse

from constitutions.services.tokens import create_token
from deliberation.services.participation import cast_vote
from deliberation.services.process import set_process_record
from deliberation.services.questions import ChoiceSpec, define_question, describe_self

REGIONS = [
    ChoiceSpec("north", "North"),
    ChoiceSpec("south", "South"),
    ChoiceSpec("prefer-not-to-say", "Prefer not to say"),
]


@pytest.fixture
def answered(context, conversation, statements):
    set_process_record(context=context, suppression_k=3, raw_answers_allowed=True)
    define_question(context=context, kind="self", key="region", text="Where?", choices=REGIONS)
    for region in ["north"] * 3 + ["south"]:
        person = conversation.participants.create(kind="anonymous")
        cast_vote(participant=person, statement_id=statements[0].pk, value=1)
        describe_self(participant=person, answers={"region": region})


def _export(client, context, conversation, facilitator, scope):
    _token, raw = create_token(user=facilitator, name=scope, scope=scope, days=1)
    url = reverse("api:vote-export", args=[context.slug, conversation.public_id])
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    return response.json()


def test_vote_export_with_the_raw_scope_has_no_answers(
    client, context, conversation, facilitator, answered
):
    assert "answers" not in _export(client, context, conversation, facilitator, "raw")


def test_vote_export_with_the_answers_scope_suppresses_combinations_under_k(
    client, context, conversation, facilitator, answered
):
    export = _export(client, context, conversation, facilitator, "raw-answers")
    answers = sorted(
        (row["answers"] or {}).get("region", "suppressed") for row in export["answers"]
    )
    assert answers == ["north", "north", "north", "suppressed"]
    voters = {vote["participant"] for vote in export["votes"]}
    assert {row["participant"] for row in export["answers"]} == voters


def test_vote_export_leaves_answers_out_where_the_context_does_not_allow_them(
    client, context, conversation, facilitator, answered
):
    set_process_record(context=context, suppression_k=3, raw_answers_allowed=False)
    assert "answers" not in _export(client, context, conversation, facilitator, "raw-answers")
