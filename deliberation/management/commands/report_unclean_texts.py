"""`manage.py report_unclean_texts`: the stored texts that `clean_text` would refuse today.

Texts written before the gate was tightened (core/text.py) stay as they are: a published
constitution must not change silently, and a statement's author may need to be asked. This lists
them for a facilitator to review: one tab-separated line per text, with its first refused
character and where it is, and every statement that folds like an earlier one in its conversation
(a homoglyph copy). It writes nothing.
"""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models

from core.text import character_name, unclean_characters
from deliberation.models import Statement, statement_key

# Copies kept for the machine, not written by anyone: their sources are reported instead.
DERIVED_FIELDS = {
    ("deliberation", "statement", "normalised_text"),
    ("constitutions", "constitutionversion", "canonical_json"),
}
BATCH_SIZE = 2000


def _text_fields(model) -> list[str]:
    meta = model._meta
    return [
        field.name
        for field in meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and (meta.app_label, meta.model_name, field.name) not in DERIVED_FIELDS
    ]


def _project_models():
    """This project's models: its apps live in the checkout, Django's and libraries' do not."""
    for config in apps.get_app_configs():
        if config.path.startswith(str(settings.BASE_DIR)) and "site-packages" not in config.path:
            yield from config.get_models()


def unclean_rows():
    """(model label, id, field, character, position) for each stored text refused today."""
    for model in _project_models():
        fields = _text_fields(model)
        if not fields:
            continue
        rows = model._default_manager.order_by("pk").values_list("pk", *fields)
        for pk, *values in rows.iterator(chunk_size=BATCH_SIZE):
            for name, value in zip(fields, values, strict=True):
                found = unclean_characters(value or "")
                if found:
                    index, char = found[0]
                    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
                    character = character_name(char) + more
                    yield model._meta.label_lower, pk, name, character, str(index + 1)


def duplicate_rows():
    """Statements that fold like an earlier statement of their conversation."""
    first: dict[tuple[int, str], int] = {}
    rows = Statement.objects.order_by("conversation_id", "pk").values_list(
        "pk", "conversation_id", "text"
    )
    for pk, conversation_id, text in rows.iterator(chunk_size=BATCH_SIZE):
        key = (conversation_id, statement_key(text))
        if key in first:
            yield Statement._meta.label_lower, pk, "text", f"same as statement {first[key]}", ""
        else:
            first[key] = pk


class Command(BaseCommand):
    help = (
        "List stored texts that would be refused if written today (invisible, direction-control, "
        "private-use characters; look-alike copies of a statement). Changes nothing."
    )

    def handle(self, *args, **options):
        self.stdout.write("model\tid\tfield\tcharacter\tposition")
        count = 0
        for row in (*unclean_rows(), *duplicate_rows()):
            self.stdout.write("\t".join(str(value) for value in row))
            count += 1
        self.stderr.write(
            f"{count} stored text(s) would be refused today; nothing was changed."
            if count
            else "No stored text would be refused today."
        )
