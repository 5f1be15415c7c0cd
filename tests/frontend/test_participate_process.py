"""Screening before the first vote and the optional self-description questions (issue 13)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from deliberation.models import Answer, Participant, ScreeningTally, SelfDescriptionAsked, Vote
from deliberation.services.process import set_process_record
from deliberation.services.questions import ChoiceSpec, define_question

AGES = [
    ChoiceSpec("under-35", "Under 35"),
    ChoiceSpec("35-plus", "35 or over"),
    ChoiceSpec("prefer-not-to-say", "Prefer not to say"),
]


@pytest.fixture
def screened(context):
    return define_question(
        context=context,
        kind="screening",
        key="patron",
        text="Do you hold a library card?",
        choices=[ChoiceSpec("yes", "Yes"), ChoiceSpec("no", "No", eligible=False)],
    )


@pytest.fixture
def described(context):
    set_process_record(context=context, self_description_after=1)
    return define_question(context=context, kind="self", key="age", text="Age?", choices=AGES)


def _vote(client, conversation, statement):
    url = reverse("frontend:vote", args=[conversation.public_id])
    return client.post(url, {"statement": statement.pk, "value": "1"})


def test_screening_refuses_a_vote_before_the_questions_are_answered(
    client, conversation, statements, screened
):
    response = _vote(client, conversation, statements[0])
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "short questions" in response.content.decode()
    assert not Vote.objects.exists() and not Participant.objects.exists()


def test_screening_eligible_answers_let_the_person_vote(client, conversation, statements, screened):
    url = reverse("frontend:screening", args=[conversation.public_id])
    response = client.post(url, {"patron": "yes"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert _vote(client, conversation, statements[0]).status_code == HTTPStatus.SEE_OTHER
    assert Vote.objects.count() == 1
    assert Answer.objects.get().choice.key == "yes"


def test_screening_tells_the_ineligible_kindly_and_keeps_only_a_count(
    client, conversation, statements, screened
):
    url = reverse("frontend:screening", args=[conversation.public_id])
    response = client.post(url, {"patron": "no"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Thank you for your interest" in response.content.decode()
    assert not Participant.objects.exists() and not Answer.objects.exists()
    assert ScreeningTally.objects.get().screened_out == 1
    again = client.get(url)  # the browser is told again, and not counted twice
    assert again.status_code == HTTPStatus.FORBIDDEN
    assert ScreeningTally.objects.get().screened_out == 1
    assert _vote(client, conversation, statements[0]).status_code == HTTPStatus.FORBIDDEN


def test_about_you_is_offered_after_votes_and_never_blocks_voting(
    client, conversation, statements, described
):
    _vote(client, conversation, statements[0])
    page = client.get(reverse("frontend:participate", args=[conversation.public_id]))
    assert reverse("frontend:about-you", args=[conversation.public_id]) in page.content.decode()
    assert _vote(client, conversation, statements[1]).status_code == HTTPStatus.SEE_OTHER
    assert Vote.objects.count() == 2


def test_about_you_records_answers_and_is_not_offered_again(
    client, conversation, statements, described
):
    _vote(client, conversation, statements[0])
    url = reverse("frontend:about-you", args=[conversation.public_id])
    assert client.post(url, {"age": "prefer-not-to-say"}).status_code == HTTPStatus.SEE_OTHER
    assert Answer.objects.get().choice.key == "prefer-not-to-say"
    page = client.get(reverse("frontend:participate", args=[conversation.public_id]))
    assert url not in page.content.decode()


def test_about_you_refuses_an_answer_for_another_participant(
    client, conversation, statements, described
):
    _vote(client, conversation, statements[0])
    other = Participant.objects.create(conversation=conversation, kind="anonymous")
    url = reverse("frontend:about-you", args=[conversation.public_id])
    response = client.post(url, {"age": "under-35", "participant": str(other.pk)})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "only answer for yourself" in response.content.decode()
    assert not Answer.objects.exists() and not SelfDescriptionAsked.objects.exists()
