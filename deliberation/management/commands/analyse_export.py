"""`manage.py analyse_export DIR --out RESULT.json`: analyse a Polis export without the database.

The JSON keys statements and participants by their ids in the export (as strings, JSON's only
key type): `groups` (participant -> group, every clustered participant), `k`, `representative`
(group -> statement ids, most representative first), `majority` (agree / disagree statement ids),
`group_informed_consensus` and `bridging` (statement -> score, statements in the maths only),
`contested`, `algorithm`, `parameters`, `seconds`. Everything but `seconds` is identical for
identical input. Participants Polis had in conversation (a `group-id`) stay in, as they would
after an earlier run of ours (once in, always in), and groups keep Polis' numbers where they
match; `--fresh` applies today's rule alone and numbers groups by size.
"""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from deliberation.opinions import Analysis, Parameters, analyse
from deliberation.opinions.inputs import MODES
from deliberation.polis.files import (
    PolisFileError,
    polis_state,
    read_polis_export,
    to_conversation,
)


def export_result(analysis: Analysis, *, source: str, seconds: float) -> dict:
    in_maths = [s for s in analysis.statements if s.in_maths]
    return {
        "algorithm": analysis.algorithm,
        "parameters": analysis.parameters.to_dict(),
        "source": source,
        "n_participants": analysis.n_participants,
        "n_in_conversation": analysis.n_in_conversation,
        "n_votes": analysis.n_votes,
        "k": len(analysis.groups),
        "groups": {
            str(p.participant_id): p.group for p in analysis.participants if p.group is not None
        },
        "representative": {
            str(g.id): [r.statement_id for r in g.representative] for g in analysis.groups
        },
        "majority": {
            "agree": [m.statement_id for m in analysis.majority_agree],
            "disagree": [m.statement_id for m in analysis.majority_disagree],
        },
        "group_informed_consensus": {str(s.statement_id): s.gic_agree for s in in_maths},
        "bridging": {str(s.statement_id): s.bridging_intercept for s in in_maths},
        "contested": [
            {
                "statement": c.statement_id,
                "agreeing_groups": list(c.agreeing_groups),
                "disagreeing_groups": list(c.disagreeing_groups),
            }
            for c in analysis.contested
        ],
        "seconds": round(seconds, 3),
    }


class Command(BaseCommand):
    help = "Run Polity's opinion analysis on a Polis export folder and write the result as JSON."
    # The command touches no database and serves no URL; the system checks would import every
    # view (and DRF) only to check them, a third of its start-up on a small export.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The export folder.")
        parser.add_argument("--out", required=True, help="Where to write the JSON result.")
        parser.add_argument(
            "--mode",
            choices=MODES,
            default="polity",
            help="polis: cluster in the 2-D map as Polis does; polity (default): in every "
            "component the data supports.",
        )
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Ignore Polis' own run: cluster only participants with min(7, statements) "
            "votes and number groups by size.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args, directory, out, mode, fresh, no_progress, **options):
        started = time.perf_counter()
        steps = tqdm(
            total=3,
            desc="analyse",
            unit="step",
            file=sys.stderr,
            disable=no_progress or not sys.stderr.isatty(),
        )
        with steps:
            steps.set_postfix_str("reading")
            try:
                export = read_polis_export(directory)
            except PolisFileError as error:
                raise CommandError(f"{error} — nothing was written.") from None
            steps.update()
            steps.set_postfix_str("analysing")
            analysis = analyse(
                to_conversation(export),
                parameters=Parameters(mode=mode),
                previous_state=None if fresh else polis_state(export),
            )
            steps.update()
            steps.set_postfix_str("writing")
            result = export_result(
                analysis, source=export.votes_source, seconds=time.perf_counter() - started
            )
            try:
                Path(out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {out}: {error.strerror}") from None
            steps.update()
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result['groups'])} participants in {result['k']} groups; wrote {out}."
            )
        )
