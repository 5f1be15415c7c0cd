"""Recompute every statement's duplicate key with the fold that maps look-alike letters to their
UTS #39 skeleton (core/text.py), so an old statement meets a homoglyph copy of itself.

Two stored statements that now fold alike (a homoglyph copy that got in before) both stay, as
written: the later one's key gets " #<id>", which no fold yields (it drops every "#"), and
`manage.py report_unclean_texts` lists it for a facilitator to review.
"""

from django.db import migrations

# Today's fold, not a frozen copy: the stored keys must be what the running code compares.
from deliberation.models import STATEMENT_MAX_LENGTH, statement_key

BATCH_SIZE = 1000


def refold(apps, schema_editor):
    Statement = apps.get_model("deliberation", "Statement")
    rows = Statement.objects.order_by("conversation_id", "id").values_list(
        "id", "conversation_id", "text", "normalised_text"
    )
    taken, changes = set(), {}
    for pk, conversation_id, text, old in rows.iterator(chunk_size=BATCH_SIZE):
        if " #" in old:
            new = old  # a Polis import's own mark for a repeated comment: kept as imported
        else:
            new = statement_key(text)
            if (conversation_id, new) in taken:
                suffix = f" #{pk}"
                new = new[: STATEMENT_MAX_LENGTH - len(suffix)] + suffix
        taken.add((conversation_id, new))
        if new != old:
            changes[pk] = new
    # Through a key no fold yields first: one statement's new key may be another's old one.
    for final in (False, True):
        batch = []
        for pk, new in changes.items():
            batch.append(Statement(pk=pk, normalised_text=new if final else f"#{pk}"))
            if len(batch) == BATCH_SIZE:
                Statement.objects.bulk_update(batch, ["normalised_text"])
                batch = []
        Statement.objects.bulk_update(batch, ["normalised_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("deliberation", "0010_context_constitution_licence"),
    ]

    # Backwards: the keys stay folded to skeletons; earlier code compares them as it did any key.
    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
