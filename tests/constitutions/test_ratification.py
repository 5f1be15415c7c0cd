"""Ratification rounds on a draft: who may vote, results per group and weighted, the gate."""

import pytest

from constitutions.errors import VersionPublished
from constitutions.models import RatificationRound, RatificationVote
from constitutions.services.publishing import publish_version
from constitutions.services.ratification import (
    RatificationRefused,
    close_ratification,
    open_ratification,
    open_round_for,
    ratifiable_principles,
    ratify,
)
from deliberation.models import Participant
from deliberation.services.process import set_process_record
from tests.constitutions.helpers import compiled_draft, published_version
from tests.factories import make_conversation, make_participant


@pytest.fixture
def draft(context, conversation, facilitator):
    return compiled_draft(context, conversation, facilitator)


def _everyone_ratifies(ratification, conversation, *, approve_whole=lambda index: True):
    principles = list(ratifiable_principles(ratification.version).values_list("id", flat=True))
    people = Participant.objects.filter(conversation=conversation).order_by("id")
    for index, person in enumerate(people):
        ratify(
            ratification=ratification,
            participant=person,
            approvals={pk: True for pk in principles},
            whole=approve_whole(index),
        )


def test_ratification_results_overall_per_group_and_weighted(draft, conversation, facilitator):
    ratification = open_ratification(version=draft, actor=facilitator)
    assert open_round_for(conversation) == ratification
    # The first camp (12 people) approves the whole text, the second rejects it.
    _everyone_ratifies(ratification, conversation, approve_whole=lambda index: index < 12)
    closed = close_ratification(ratification=ratification)
    whole = closed.results["whole_text"]
    assert (whole["votes"], whole["approve"], whole["approval"]) == (24, 12, 0.5)
    assert whole["weighted_approval"] == 0.5  # no targets: everyone weighs 1
    assert sorted(g["approval"] for g in whole["groups"]) == [0.0, 1.0]
    assert not closed.is_open


def test_ratify_refuses_someone_from_another_conversation(context, draft, facilitator):
    ratification = open_ratification(version=draft, actor=facilitator)
    outsider = make_participant(make_conversation(context, topic="Elsewhere"))
    with pytest.raises(RatificationRefused, match="Only participants"):
        ratify(ratification=ratification, participant=outsider, approvals={}, whole=True)
    assert not RatificationVote.objects.exists()


def test_open_ratification_refuses_a_published_version(context, conversation, facilitator):
    version = published_version(context, conversation, facilitator)
    with pytest.raises(VersionPublished, match="cannot be put to ratification"):
        open_ratification(version=version, actor=facilitator)
    assert not RatificationRound.objects.exists()


def test_publish_requires_approval_in_every_group_where_the_context_says_so(
    context, draft, conversation, facilitator
):
    set_process_record(context=context, ratification_min_approval=0.6)
    with pytest.raises(RatificationRefused, match="requires a ratification"):
        publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="First.")
    ratification = open_ratification(version=draft, actor=facilitator)
    _everyone_ratifies(ratification, conversation, approve_whole=lambda index: index < 12)
    close_ratification(ratification=ratification)
    with pytest.raises(RatificationRefused, match="60% approval in every opinion group"):
        publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="First.")
    second = open_ratification(version=draft, actor=facilitator)
    _everyone_ratifies(second, conversation)
    close_ratification(ratification=second)
    assert publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="First.")
