"""Screening and self-description questions, target shares and answers (issue 13, item 2)."""

import json

import pytest

from deliberation.errors import (
    InvalidQuestion,
    InvalidTargets,
    NotYourAnswer,
    ScreeningRequired,
)
from deliberation.models import Answer, Choice, Question, ScreeningTally, SelfDescriptionAsked
from deliberation.services.privacy import delete_participant_data, participant_data
from deliberation.services.process import set_process_record
from deliberation.services.questions import (
    ChoiceSpec,
    define_question,
    describe_self,
    record_screening,
    require_screened,
    screen,
    self_description_due,
    set_targets,
)
from tests.factories import make_participant

AGES = [
    ChoiceSpec("18-34", "18 to 34"),
    ChoiceSpec("35-64", "35 to 64"),
    ChoiceSpec("65", "65 or over"),
    ChoiceSpec("prefer-not-to-say", "Prefer not to say"),
]


@pytest.fixture
def age(context):
    return define_question(context=context, kind="self", key="age", text="Your age?", choices=AGES)


@pytest.fixture
def adult(context):
    return define_question(
        context=context,
        kind="screening",
        key="adult",
        text="Are you 18 or over?",
        choices=[ChoiceSpec("yes", "Yes"), ChoiceSpec("no", "No", eligible=False)],
    )


def test_define_question_refuses_self_description_without_prefer_not_to_say(context):
    with pytest.raises(InvalidQuestion, match="prefer not to say"):
        define_question(context=context, kind="self", key="age", text="Age?", choices=AGES[:3])
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_set_targets_records_shares_and_their_source(age):
    set_targets(question=age, shares={"18-34": 0.3, "35-64": 0.5, "65": 0.2}, source="Census 2021")
    shares = dict(age.choices.values_list("key", "target_share"))
    assert shares == {"18-34": 0.3, "35-64": 0.5, "65": 0.2, "prefer-not-to-say": None}
    assert Question.objects.get(pk=age.pk).target_source == "Census 2021"


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({"18-34": 0.3, "35-64": 0.5, "65": 0.3}, "add up to 1.1000"),
        ({"18-34": 0.5, "35-64": 0.5, "75": 0.0}, "not answers to this question: 75"),
        ({"18-34": 1.2, "35-64": -0.2}, "cannot be negative"),
        ({"18-34": 0.5, "prefer-not-to-say": 0.5}, "not answers"),
    ],
)
def test_set_targets_refuses_bad_margins_and_writes_nothing(age, shares, message):
    with pytest.raises(InvalidTargets, match=message):
        set_targets(question=age, shares=shares, source="Census")
    assert not age.choices.filter(target_share__isnull=False).exists()
    assert Question.objects.get(pk=age.pk).target_source == ""


def test_set_targets_accepts_shares_within_a_thousandth(age):
    set_targets(question=age, shares={"18-34": 0.3333, "35-64": 0.3333, "65": 0.3333}, source="s")
    assert age.choices.get(key="65").target_share == pytest.approx(0.3333)


def test_screen_counts_the_ineligible_and_keeps_nothing_else(conversation, adult):
    assert screen(conversation=conversation, answers={"adult": "no"}) is False
    assert screen(conversation=conversation, answers={"adult": "yes"}) is True
    tally = ScreeningTally.objects.get(conversation=conversation)
    assert (tally.eligible, tally.screened_out) == (1, 1)
    assert not Answer.objects.exists()


def test_require_screened_refuses_a_vote_until_screening_is_answered(conversation, adult):
    with pytest.raises(ScreeningRequired):
        require_screened(conversation=conversation, participant=None)
    participant = make_participant(conversation)
    with pytest.raises(ScreeningRequired):
        require_screened(conversation=conversation, participant=participant)
    record_screening(participant=participant, answers={"adult": "yes"})
    require_screened(conversation=conversation, participant=participant)


def test_require_screened_lets_everyone_vote_where_nobody_is_screened(conversation):
    require_screened(conversation=conversation, participant=None)


def test_self_description_is_due_once_after_the_configured_votes(context, conversation, age):
    set_process_record(context=context, self_description_after=3)
    participant = make_participant(conversation)
    assert not self_description_due(conversation=conversation, participant=participant, voted=2)
    assert self_description_due(conversation=conversation, participant=participant, voted=3)
    describe_self(participant=participant, answers={})  # skipped: not asked again
    assert not self_description_due(conversation=conversation, participant=participant, voted=9)


def test_describe_self_refuses_an_answer_for_another_participant(conversation, age):
    me, other = make_participant(conversation), make_participant(conversation)
    with pytest.raises(NotYourAnswer):
        describe_self(participant=other, answers={"age": "65"}, acting=me)
    assert not Answer.objects.exists() and not SelfDescriptionAsked.objects.exists()


def test_self_description_answers_are_downloaded_and_deleted_with_the_participant(
    conversation, age
):
    participant = make_participant(conversation)
    describe_self(participant=participant, answers={"age": "prefer-not-to-say"})
    data = participant_data(participant=participant)
    assert data["answers"][0]["question"] == "Your age?"
    assert data["answers"][0]["answer"] == "Prefer not to say"
    json.dumps(data)
    delete_participant_data(participant=participant)
    assert not Answer.objects.exists()
