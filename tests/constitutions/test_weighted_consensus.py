"""Weighted consensus: each candidate's verdict counted as is and weighted to the population."""

import pytest

from constitutions.errors import InvalidCuration, VersionPublished
from constitutions.models import WeightingDecision
from constitutions.rules import SelectionRule
from constitutions.services.compile import compile_draft
from constitutions.services.publishing import publish_version
from constitutions.services.weighted_consensus import decide_weighting, weighted_candidates
from tests.constitutions.legitimacy_world import SPLIT, age_split_conversation


@pytest.fixture
def draft(context, conversation, facilitator):
    age_split_conversation(context, conversation)
    return compile_draft(
        context=context,
        actor=facilitator,
        conversation_ids=[conversation.pk],
        rule=SelectionRule(rule="min-group", threshold=0.6),
    )


def _split(version):
    return next(c for c in weighted_candidates(version=version) if c.text == SPLIT)


def test_weighted_candidates_flip_a_principle_the_young_carried(draft):
    split = _split(draft)
    assert split.unweighted.agree_share == pytest.approx(0.75)
    # 9 young at 0.3/0.75 = 0.4 and 3 old at 0.7/0.25 = 2.8 in each group: 3.6 / 12 = 0.3
    assert split.weighted.agree_share == pytest.approx(0.3, abs=1e-4)
    assert [share for _group, share in split.weighted.groups] == pytest.approx([0.3, 0.3], abs=1e-4)
    assert split.unweighted.passes and not split.weighted.passes
    assert split.flips


def test_weighted_candidates_keep_verdicts_weighting_cannot_change(draft):
    unsure = next(c for c in weighted_candidates(version=draft) if "unsure" in c.text)
    assert unsure.unweighted.passes and unsure.weighted.passes and not unsure.flips


def test_decide_weighting_records_the_facilitator_call(draft, facilitator):
    split = _split(draft)
    decide_weighting(
        version=draft,
        actor=facilitator,
        conversation=split.conversation,
        statement_id=split.statement_id,
        decision="weighted",
        reason="Older patrons are most of the library's users.",
    )
    assert _split(draft).decision.decision == "weighted"


def test_decide_weighting_refuses_a_candidate_that_does_not_flip(draft, facilitator):
    unsure = next(c for c in weighted_candidates(version=draft) if "unsure" in c.text)
    with pytest.raises(InvalidCuration, match="flips"):
        decide_weighting(
            version=draft,
            actor=facilitator,
            conversation=unsure.conversation,
            statement_id=unsure.statement_id,
            decision="keep",
            reason="x",
        )
    assert not WeightingDecision.objects.exists()


def test_decide_weighting_refuses_a_published_version(draft, facilitator):
    split = _split(draft)
    publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="First.")
    with pytest.raises(VersionPublished):
        decide_weighting(
            version=draft,
            actor=facilitator,
            conversation=split.conversation,
            statement_id=split.statement_id,
            decision="keep",
            reason="Too late.",
        )
    assert not WeightingDecision.objects.exists()
