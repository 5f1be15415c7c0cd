"""Adjusted Rand index of our groups against Polis' own `group-id` on real conversations.

Every conversation is checked in the one default mode (no per-conversation choice). Floors are
red-dwarf 0.4.0's figures (shared/data/README.md), which are given to two decimals, so our ARI
is compared at that precision; brexit and ssis must reach 0.85. Conversations where the default
mode is still below its floor are strict xfails carrying the measured value, so a fix shows up.
"""

import pytest
from sklearn.metrics import adjusted_rand_score

from deliberation.opinions import analyse
from deliberation.polis.files import polis_state, read_polis_export, to_conversation

from .polis_fixtures import OPENDATA, require

# conversation folder: (floor, known miss in the default mode)
FLOORS = {
    "canadian-electoral-reform": (1.00, None),
    "austria-climate.2vkxcncppn.2022-07-07": (0.97, None),
    "scoop-hivemind.biodiversity": (0.95, None),
    "vtaiwan.uberx": (0.83, None),
    "ssis.land-bank-farmland.2rumnecbeh.2021-08-01": (0.85, None),
    "brexit-consensus": (0.85, None),
    "15-per-hour-seattle": (0.46, None),
    "american-assembly.bowling-green": (0.42, None),
    "football-concussions": (0.20, None),
    "bg2050-volunteers": (0.19, None),
    "scoop-hivemind.freshwater": (0.13, None),
    "london.youth.policing": (
        0.12,
        "0.105 at Polis' own k = 3; red-dwarf's 0.122 is a k-means fit with 7% more inertia",
    ),
    "scoop-hivemind.affordable-housing": (0.12, None),
    "scoop-hivemind.ubi": (
        0.09,
        "0.059; red-dwarf on the same (Polis') population also scores 0.059 (bench/fidelity.py)",
    ),
}


def polis_ari(folder):
    export = read_polis_export(folder)
    analysis = analyse(to_conversation(export), previous_state=polis_state(export))
    ours = {p.participant_id: p.group for p in analysis.participants}
    common = [p for p in export.groups if ours.get(p) is not None]
    return adjusted_rand_score([export.groups[p] for p in common], [ours[p] for p in common])


def _cases():
    for name, (floor, miss) in FLOORS.items():
        marks = [pytest.mark.slow] if name.startswith(("american", "austria")) else []
        if miss:
            marks.append(pytest.mark.xfail(strict=True, reason=f"below red-dwarf: {miss}"))
        yield pytest.param(name, floor, marks=marks, id=name)


@pytest.mark.parametrize(("name", "floor"), list(_cases()))
def test_groups_match_polis_at_least_as_well_as_red_dwarf(name, floor):
    folder = require(OPENDATA / name)
    ari = polis_ari(folder)
    print(f"{name}: ARI {ari:.3f}, floor {floor:.2f}")
    assert round(ari, 2) >= floor


def test_groups_keep_polis_numbers_from_its_state():
    export = read_polis_export(require(OPENDATA / "canadian-electoral-reform"))
    analysis = analyse(to_conversation(export), previous_state=polis_state(export))
    ours = {p.participant_id: p.group for p in analysis.participants}
    assert {p: ours[p] for p in export.groups} == export.groups
