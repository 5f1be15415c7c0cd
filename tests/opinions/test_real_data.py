"""Adjusted Rand index of our groups against Polis' own `group-id` on real conversations.

Every conversation is checked in the one default mode (no per-conversation choice), like for
like: red-dwarf 0.4.0 runs live on the same participants as ours (Polis' own in-conversation
set, plus anyone with min(7, n) votes) and its ARI, at two decimals, is the floor; brexit and
ssis must reach 0.85. A conversation still below its floor is a strict xfail carrying the
measured values, so a fix shows up. The bench/fidelity.py tables come from the same functions.
"""

import pytest

from bench.fidelity import like_for_like, load
from deliberation.opinions import analyse
from deliberation.polis_files import polis_state, read_polis_export, to_conversation

from .polis_fixtures import OPENDATA, require

CONVERSATIONS = (
    "15-per-hour-seattle",
    "american-assembly.bowling-green",
    "austria-climate.2vkxcncppn.2022-07-07",
    "bg2050-volunteers",
    "brexit-consensus",
    "canadian-electoral-reform",
    "football-concussions",
    "london.youth.policing",
    "scoop-hivemind.affordable-housing",
    "scoop-hivemind.biodiversity",
    "scoop-hivemind.freshwater",
    "scoop-hivemind.ubi",
    "ssis.land-bank-farmland.2rumnecbeh.2021-08-01",
    "vtaiwan.uberx",
)
KNOWN_MISSES = {
    "london.youth.policing": (
        "0.105 against red-dwarf's 0.122 on the same 24 participants, both at Polis' own k = 3: "
        "red-dwarf's partition has 7% more within-group scatter in the map than ours (54.3 "
        "against 50.7), and moving one participant of ours would clear the floor; Polis' own "
        "groups (110.9) are not what k-means gives on the final votes"
    ),
}


def _cases():
    for name in CONVERSATIONS:
        marks = [pytest.mark.slow] if name.startswith(("american", "austria")) else []
        if name in KNOWN_MISSES:
            reason = f"below red-dwarf: {KNOWN_MISSES[name]}"
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", list(_cases()))
def test_groups_match_polis_at_least_as_well_as_red_dwarf(name):
    conversation, state = load(require(OPENDATA / name))
    analysis = analyse(conversation, previous_state=state)
    row = like_for_like(name, conversation, state, analysis)
    print(f"{name}: ARI {row.polity_ari:.3f}, red-dwarf {row.red_dwarf_ari:.3f}, floor {row.floor}")
    assert round(row.polity_ari, 2) >= row.floor


def test_groups_keep_polis_numbers_from_its_state():
    export = read_polis_export(require(OPENDATA / "canadian-electoral-reform"))
    analysis = analyse(to_conversation(export), previous_state=polis_state(export))
    ours = {p.participant_id: p.group for p in analysis.participants}
    assert {p: ours[p] for p in export.groups} == export.groups
