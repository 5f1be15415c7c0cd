"""The representativeness report: shares against targets, weights, suppression (issue 13)."""

import pytest

from deliberation.services.participation import cast_vote
from deliberation.services.process import set_process_record
from deliberation.services.questions import ChoiceSpec, define_question, describe_self, set_targets
from deliberation.services.representativeness import report, sample
from tests.factories import make_participant

REGIONS = [
    ChoiceSpec("north", "North"),
    ChoiceSpec("south", "South"),
    ChoiceSpec("islands", "Islands"),
    ChoiceSpec("prefer-not-to-say", "Prefer not to say"),
]


@pytest.fixture
def answered(context, conversation, statements):
    """12 in the north, 3 in the south, 1 declined; the population is half and half."""
    region = define_question(
        context=context, kind="self", key="region", text="Where do you live?", choices=REGIONS
    )
    set_targets(
        question=region, shares={"north": 0.45, "south": 0.45, "islands": 0.1}, source="Census"
    )
    for answer in ["north"] * 12 + ["south"] * 3 + ["prefer-not-to-say"]:
        person = make_participant(conversation)
        cast_vote(participant=person, statement_id=statements[0].pk, value=1)
        describe_self(participant=person, answers={"region": answer})
    return region


def test_report_compares_sample_weighted_and_target_shares(context, answered):
    full = report(context=context, public=False)
    north, south, islands = full["questions"][0]["categories"]
    assert (north["participants"], south["participants"]) == (12, 3)
    assert north["sample_share"] == pytest.approx(0.8)
    assert north["weighted_share"] == pytest.approx(0.5, abs=1e-4)
    assert south["target_share"] == 0.45
    assert islands["participants"] == 0
    assert full["questions"][0]["prefer_not_to_say"] == 1
    assert "Islands" in full["weighting"]["unmet"][0]
    # 12 at 0.625 and 3 at 2.5 plus 1 at 1: (16)^2 / (12*0.390625 + 3*6.25 + 1) = 256/24.4375
    assert full["weighting"]["effective_sample_size"] == pytest.approx(256 / 24.4375, abs=0.01)


def test_report_in_public_suppresses_cells_under_k_and_says_so(context, answered):
    public = report(context=context, public=True)
    north, south, _islands = public["questions"][0]["categories"]
    assert north["participants"] == 12
    assert south["participants"] is None and south["sample_share"] is None
    assert south["target_share"] == 0.45  # targets are public facts, not participants
    assert public["questions"][0]["prefer_not_to_say"] is None
    assert "fewer than 10" in public["suppression"]["note"]


def test_report_follows_the_context_k(context, answered):
    set_process_record(context=context, suppression_k=3)
    south = report(context=context, public=True)["questions"][0]["categories"][1]
    assert south["participants"] == 3


def test_sample_counts_only_participants_who_voted(context, conversation, answered):
    make_participant(conversation)
    assert len(sample(context).participant_ids) == 16
