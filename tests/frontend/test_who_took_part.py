"""The facilitator's representativeness report and the public summary (issue 13)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from deliberation.services.participation import cast_vote
from deliberation.services.process import add_channel, set_process_record
from deliberation.services.questions import ChoiceSpec, define_question, describe_self, set_targets
from tests.factories import make_participant

REGIONS = [
    ChoiceSpec("north", "North"),
    ChoiceSpec("south", "Southlands"),
    ChoiceSpec("prefer-not-to-say", "Prefer not to say"),
]


@pytest.fixture
def answered(context, conversation, statements):
    set_process_record(context=context, eligibility="Library card holders over 16")
    add_channel(context=context, name="Library newsletter", kind="public", description="monthly")
    region = define_question(
        context=context, kind="self", key="region", text="Where do you live?", choices=REGIONS
    )
    set_targets(question=region, shares={"north": 0.5, "south": 0.5}, source="Census 2021")
    for answer in ["north"] * 12 + ["south"] * 4:
        person = make_participant(conversation)
        cast_vote(participant=person, statement_id=statements[0].pk, value=1)
        describe_self(participant=person, answers={"region": answer})


def test_who_took_part_facilitator_report_shows_every_count_and_a_chart(
    facilitator_client, context, answered
):
    url = reverse("frontend:facilitate-who-took-part", args=[context.slug])
    page = facilitator_client.get(url).content.decode()
    assert "Library card holders over 16" in page
    assert "Library newsletter" in page
    assert '<th scope="row">Southlands</th><td>4</td>' in page
    assert 'class="share-bar share-target"' in page
    assert "Effective sample size" in page


def test_who_took_part_public_summary_suppresses_small_cells_and_says_so(client, context, answered):
    response = client.get(reverse("frontend:who-took-part", args=[context.slug]))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert '<th scope="row">Southlands</th><td>\u2013</td>' in page
    assert '<th scope="row">North</th><td>12</td>' in page
    assert "fewer than 10 participants" in page


def test_who_took_part_public_summary_of_a_private_context_is_not_found(client, context, answered):
    context.is_public = False
    context.save()
    response = client.get(reverse("frontend:who-took-part", args=[context.slug]))
    assert response.status_code == HTTPStatus.NOT_FOUND
