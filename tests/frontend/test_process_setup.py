"""The facilitator's process-record page: record, channels, questions and targets (issue 13)."""

from http import HTTPStatus

from django.urls import reverse

from deliberation.models import Channel, Choice, ProcessRecord, Question


def _post(client, context, **data):
    return client.post(reverse("frontend:facilitate-process", args=[context.slug]), data)


def test_process_setup_saves_the_record_a_channel_a_question_and_its_targets(
    facilitator_client, context
):
    response = _post(
        facilitator_client,
        context,
        form="record",
        eligibility="Adult library patrons",
        suppression_k="12",
        self_description_after="4",
    )
    assert response.status_code == HTTPStatus.FOUND
    assert ProcessRecord.objects.get().suppression_k == 12
    _post(facilitator_client, context, form="channel", name="Panel", kind="invite")
    assert Channel.objects.get().name == "Panel"
    _post(
        facilitator_client,
        context,
        form="question",
        kind="self",
        text="How old are you?",
        answers="Under 35\n35 or over\nPrefer not to say",
    )
    question = Question.objects.get()
    response = _post(
        facilitator_client,
        context,
        form="targets",
        question=str(question.pk),
        shares="Under 35 = 0.3\n35 or over = 0.7",
        source="Census 2021",
    )
    assert response.status_code == HTTPStatus.FOUND
    assert dict(question.choices.values_list("key", "target_share")) == {
        "under-35": 0.3,
        "35-or-over": 0.7,
        "prefer-not-to-say": None,
    }


def test_process_setup_refuses_a_question_without_prefer_not_to_say(facilitator_client, context):
    response = _post(
        facilitator_client, context, form="question", kind="self", text="Age?", answers="Young\nOld"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "prefer not to say" in response.content.decode()
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_process_setup_refuses_shares_that_do_not_add_up(facilitator_client, context):
    _post(
        facilitator_client,
        context,
        form="question",
        kind="self",
        text="Age?",
        answers="Young\nOld\nPrefer not to say",
    )
    question = Question.objects.get()
    response = _post(
        facilitator_client,
        context,
        form="targets",
        question=str(question.pk),
        shares="Young = 0.5\nOld = 0.6",
        source="Census",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "add up to 1.1000" in response.content.decode()
    assert not question.choices.filter(target_share__isnull=False).exists()
