"""Can two raw vote exports of one conversation be joined, participant to participant?

Each real Polis conversation given (default: three of shared/data/polis-opendata) is imported
into a temporary SQLite database, exported twice as the API's raw vote export does
(`export_votes`), and participants are matched across the two exports by the set of what each
export shows of their votes. A participant counts as re-linked when their set is unique in both
exports and joins their own two pseudonyms. Printed per conversation: participants; unique by
(statement, time to the millisecond), what exports carried before times were coarsened; and
re-linked by (statement, day), by the statements alone and by (statement, value).

Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under
CC BY 4.0 with Attribution to The Computational Democracy Project (see shared/data/README.md).
Run: .venv/bin/python bench/export_linking.py [POLIS_FOLDER ...]
"""

import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "polis-opendata"
DEFAULT = ("london.youth.policing", "brexit-consensus", "canadian-electoral-reform")


def relinked(first: dict, second: dict, shown, who: dict) -> int:
    def sets(export):
        found: dict[str, set] = {}
        for vote in export["votes"]:
            found.setdefault(vote["participant"], set()).add(shown(vote))
        return {p: frozenset(s) for p, s in found.items()}

    one, two = sets(first), sets(second)
    count_one, count_two = Counter(one.values()), Counter(two.values())
    owner = {fingerprint: p for p, fingerprint in two.items()}
    return sum(
        1
        for p, fingerprint in one.items()
        if count_one[fingerprint] == count_two[fingerprint] == 1
        and who[owner[fingerprint]] == who[p]
    )


def main(folders: list[Path]) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    from api.exports import _scope, export_votes
    from core.pseudonyms import pseudonym
    from deliberation.models import Context, Vote
    from deliberation.polis_io import import_polis_export

    call_command("migrate", verbosity=0)
    context = Context.objects.create(slug="linking", title="linking")
    print(
        "conversation | participants | unique by (statement, ms time) | re-linked by "
        "(statement, day) | by statements alone | by (statement, value)"
    )
    for folder in folders:
        conversation = import_polis_export(directory=folder, context=context)
        people = list(conversation.participants.values_list("pk", flat=True))
        first, second = (
            export_votes(conversation=conversation),
            export_votes(conversation=conversation),
        )
        who = {
            pseudonym(scope=_scope(e["export"]), value=p): p
            for e in (first, second)
            for p in people
        }
        exact: dict[int, set] = {}
        for p, statement, at in Vote.objects.filter(
            conversation=conversation, participant__excluded_at__isnull=True
        ).values_list("participant_id", "statement_id", "updated_at"):
            exact.setdefault(p, set()).add((statement, at))
        counts = Counter(frozenset(s) for s in exact.values())
        unique_ms = sum(1 for s in exact.values() if counts[frozenset(s)] == 1)
        figures = [
            relinked(first, second, shown, who)
            for shown in (
                lambda v: (v["statement"], v["day"]),
                lambda v: v["statement"],
                lambda v: (v["statement"], v["value"]),
            )
        ]
        print(f"{folder.name} | {len(exact)} | {unique_ms} | " + " | ".join(map(str, figures)))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ["DEBUG"] = "true"
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["SQLITE_PATH"] = str(Path(scratch) / "linking.sqlite3")
        main([Path(arg) for arg in sys.argv[1:]] or [DATA / name for name in DEFAULT])
