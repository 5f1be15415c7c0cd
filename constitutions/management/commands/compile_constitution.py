"""Compile (and optionally publish) a context's constitution from the latest analyses, for
research pipelines: the same services as the facilitator pages."""

import json

from django.core.management.base import BaseCommand, CommandError

from constitutions.renderers.canonical import build_document
from constitutions.rules import DEFAULT_MIN_VOTES_PER_GROUP, SelectionRule
from constitutions.services.compile import compile_draft
from constitutions.services.publishing import publish_version
from core.errors import DomainError
from deliberation.models import Context, Conversation

PARTS = ("consensus_principles", "group_principles", "contested_statements", "failed_statements")


class Command(BaseCommand):
    help = "Compile a draft constitution for CONTEXT and print its three parts as JSON."

    def add_arguments(self, parser):
        parser.add_argument("context", help="the context's slug")
        parser.add_argument("--rule", choices=["gic", "min-group", "bridging"], default="gic")
        parser.add_argument("--threshold", type=float, default=None)
        parser.add_argument("--min-votes-per-group", type=int, default=DEFAULT_MIN_VOTES_PER_GROUP)
        parser.add_argument(
            "--conversation",
            action="append",
            default=None,
            help="public id of a conversation to use (repeatable); default: all analysed ones",
        )
        parser.add_argument("--publish", metavar="VERSION", help="publish as this version")
        parser.add_argument("--changelog", default="")

    def handle(self, *args, **options):
        context = Context.objects.filter(slug=options["context"]).first()
        if context is None:
            raise CommandError(f"No context with slug {options['context']!r}.")
        conversations = Conversation.objects.filter(context=context)
        if options["conversation"]:
            conversations = conversations.filter(public_id__in=options["conversation"])
        else:
            conversations = conversations.filter(snapshots__isnull=False).distinct()
        try:
            rule = SelectionRule(
                rule=options["rule"],
                threshold=options["threshold"],
                min_votes_per_group=options["min_votes_per_group"],
            )
            version = compile_draft(
                context=context,
                actor=None,
                conversation_ids=list(conversations.values_list("pk", flat=True)),
                rule=rule,
            )
            if options["publish"]:
                version = publish_version(
                    version=version,
                    actor=None,
                    number=options["publish"],
                    changelog=options["changelog"],
                )
        except (DomainError, ValueError) as error:
            raise CommandError(str(getattr(error, "message", error))) from error
        document = build_document(version)
        output = {"version_id": version.pk, "selection_rule": document["selection_rule"]}
        output.update({part: document[part] for part in PARTS})
        if version.is_published:
            output["version"] = version.number
            output["content_sha256"] = version.content_sha256
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
