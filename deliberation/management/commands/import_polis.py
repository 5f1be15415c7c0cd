"""`manage.py import_polis DIR --context SLUG`: a Polis export folder becomes a new conversation."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug
from django.db import transaction

from deliberation.models import Context
from deliberation.polis.files import PolisFileError
from deliberation.polis.importing import import_polis_export


class Command(BaseCommand):
    help = (
        "Import a Polis export folder (comments.csv, votes.csv or participants-votes.csv, "
        "summary.csv) as a new, closed conversation in a context. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The export folder.")
        parser.add_argument("--context", required=True, help="Slug of the context to import into.")
        parser.add_argument(
            "--create-context",
            action="store_true",
            help="Create the context (titled with its slug) if it does not exist yet.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args, directory, context, create_context, no_progress, **options):
        try:
            validate_slug(context)
        except ValidationError as error:
            raise CommandError(f"--context: {' '.join(error.messages)}") from None
        existing = Context.objects.filter(slug=context).first()
        if existing is None and not create_context:
            raise CommandError(
                f"There is no context “{context}”; create it first or pass --create-context."
            )
        notices: list[str] = []
        try:
            # The context is created in the same transaction, so a refused import leaves none.
            with transaction.atomic():
                target = existing or Context.objects.create(slug=context, title=context)
                conversation = import_polis_export(
                    directory=directory,
                    context=target,
                    notice=notices.append,
                    progress=not no_progress and sys.stderr.isatty(),
                )
        except PolisFileError as error:
            raise CommandError(f"{error} — nothing was imported.") from None
        for line in notices:
            self.stderr.write(f"note: {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported “{conversation.topic}” as conversation {conversation.public_id}: "
                f"{conversation.statements.count()} statements, "
                f"{conversation.participants.count()} participants."
            )
        )
