"""Two raw vote exports cannot be joined through their times (issue 16, finding 5).

Pseudonyms are new in every export, but each vote carried its time to the millisecond, which is
unique to a person: matching participants across two exports by their sets of (statement, time)
re-linked 322 of 322. Exports now give the day of each vote only.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

from django.test import Client

from api.exports import _scope
from core.pseudonyms import pseudonym
from deliberation.models import Vote

# Noon, so that the spread of milliseconds below stays within one day.
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _export(world) -> dict:
    side = world.a
    url = f"/api/v1/contexts/{side.context.slug}/conversations/{side.conversation.public_id}/votes/"
    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {world.tokens['raw']}")
    assert response.status_code == 200, response.content
    return response.json()


def _fingerprints(export: dict) -> dict[str, frozenset]:
    """Each pseudonym's set of (statement, every field of the vote that is not the value)."""
    sets: dict[str, set] = {}
    for vote in export["votes"]:
        time = {key: value for key, value in vote.items() if key not in {"participant", "value"}}
        sets.setdefault(vote["participant"], set()).add(tuple(sorted(time.items())))
    return {pseudonym: frozenset(items) for pseudonym, items in sets.items()}


def _linked(world, first: dict, second: dict) -> int:
    """Participants matched to themselves: their fingerprint is unique in both exports, and the
    pseudonyms it joins are truly one person's (the test knows whose they are)."""
    people = world.a.conversation.participants.values_list("pk", flat=True)
    who = {
        pseudonym(scope=_scope(export["export"]), value=person): person
        for export in (first, second)
        for person in people
    }
    one, two = _fingerprints(first), _fingerprints(second)
    by_print = {print_: p for p, print_ in two.items()}
    counts_one, counts_two = Counter(one.values()), Counter(two.values())
    return sum(
        1
        for p, print_ in one.items()
        if counts_one[print_] == counts_two[print_] == 1 and who[by_print[print_]] == who[p]
    )


def test_export_linking_by_statement_and_time_finds_almost_nobody(world, db):
    # Every vote at its own millisecond of one day, as real votes are.
    for offset, pk in enumerate(
        Vote.objects.filter(conversation=world.a.conversation).values_list("pk", flat=True)
    ):
        Vote.objects.filter(pk=pk).update(updated_at=NOON + timedelta(milliseconds=7 * offset))
    first, second = _export(world), _export(world)
    participants = len(_fingerprints(first))
    assert participants == world.a.conversation.participants.count() >= 20
    assert {vote["participant"] for vote in first["votes"]}.isdisjoint(
        vote["participant"] for vote in second["votes"]
    )
    assert _linked(world, first, second) <= participants // 20
    # Nor by place in the list: by statement, day, then pseudonym (new in every export), so a
    # vote's place follows from what the export shows anyway, never from when it was cast.
    for export in (first, second):
        keys = [(vote["statement"], vote["day"], vote["participant"]) for vote in export["votes"]]
        assert keys == sorted(keys)
    # What is left of time: the day, the same for everyone who voted that day.
    assert {vote["day"] for vote in first["votes"]} == {"2026-03-10"}
