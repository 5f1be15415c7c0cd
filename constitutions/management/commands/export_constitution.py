"""Write a published constitution version as a Hugging Face dataset folder."""

from django.core.management.base import BaseCommand, CommandError

from constitutions.models import ConstitutionVersion
from constitutions.services.dataset import export_dataset
from constitutions.services.publishing import latest_published
from core.errors import DomainError
from deliberation.models import Context


class Command(BaseCommand):
    help = (
        "Write version VERSION (or 'latest') of CONTEXT's constitution to DIR as a dataset "
        "folder: README.md (dataset card) and data/principles.parquet."
    )

    def add_arguments(self, parser):
        parser.add_argument("context", help="the context's slug")
        parser.add_argument("version", help="a published version number, or latest")
        parser.add_argument("directory", help="a new or empty folder")

    def handle(self, *args, **options):
        context = Context.objects.filter(slug=options["context"]).first()
        if context is None:
            raise CommandError(f"No context with slug {options['context']!r}.")
        number = options["version"]
        published = ConstitutionVersion.objects.published().filter(constitution__context=context)
        if number == "latest":
            version = latest_published(getattr(getattr(context, "constitution", None), "pk", None))
        else:
            version = published.filter(number=number).first()
        if version is None:
            raise CommandError(f"{context.slug} has no published version {number!r}.")
        try:
            files = export_dataset(version=version, directory=options["directory"])
        except DomainError as error:
            raise CommandError(error.message) from error
        for path in files:
            self.stdout.write(str(path))
