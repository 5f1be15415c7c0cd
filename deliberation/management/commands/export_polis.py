"""`manage.py export_polis CONVERSATION DIR`: write a conversation as a Polis export folder."""

import sys

from django.core.management.base import BaseCommand, CommandError

from deliberation.models import Conversation
from deliberation.polis.exporting import export_polis_export


class Command(BaseCommand):
    help = (
        "Write summary.csv, comments.csv, votes.csv, participants-votes.csv and "
        "comment-groups.csv for a conversation, in Polis' layout, with pseudonymous participants."
    )

    def add_arguments(self, parser):
        parser.add_argument("conversation", help="The conversation's public id (as in its URL).")
        parser.add_argument("directory", help="Folder to write; created if missing.")
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args, conversation, directory, no_progress, **options):
        found = Conversation.objects.filter(public_id=conversation).first()
        if found is None:
            raise CommandError(f"There is no conversation “{conversation}”.")
        try:
            written = export_polis_export(
                conversation=found,
                directory=directory,
                progress=not no_progress and sys.stderr.isatty(),
            )
        except OSError as error:
            raise CommandError(f"Cannot write to {directory}: {error.strerror}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {', '.join(path.name for path in written)} to {directory}.")
        )
