"""Requests follow the principle's text. Drafts compiled before stored the default requests of
the text they were compiled from; those become blank (defaults are now derived from the current
text). Requests a facilitator wrote are kept and marked as written for the text as it was at
their last edit, so publishing refuses them once the text has changed since. Published versions
are frozen and keep what they published."""

import hashlib

from django.conf import settings
from django.db import migrations, models
from django.utils import translation

REWORDS = ("reword", "merge")


def _written_for(principle, steps):
    """The text at the facilitator's last requests step: the `after` of the latest reword or merge
    before it, else the compiled text."""
    last_requests = max((s.id for s in steps if s.action == "requests"), default=None)
    texts = [s.after for s in steps if s.action in REWORDS and (last_requests is None or s.id < last_requests)]
    compiled = next((s.after for s in steps if s.action == "compile"), principle.text)
    return texts[-1] if texts else compiled


def forwards(apps, schema_editor):
    from constitutions.wording import default_critique, default_revision

    Principle = apps.get_model("constitutions", "Principle")
    EditorialStep = apps.get_model("constitutions", "EditorialStep")
    drafts = Principle.objects.filter(version__published_at__isnull=True).exclude(
        critique_request="", revision_request=""
    )
    with translation.override(settings.LANGUAGE_CODE):
        for principle in drafts:
            steps = list(EditorialStep.objects.filter(principle=principle).order_by("id"))
            texts = {principle.text, *(s.after for s in steps if s.after)}
            defaults = {(default_critique(t), default_revision(t)) for t in texts}
            if (principle.critique_request, principle.revision_request) in defaults:
                principle.critique_request = principle.revision_request = ""
                principle.requests_text_sha256 = None
            else:
                written_for = _written_for(principle, steps)
                principle.requests_text_sha256 = hashlib.sha256(written_for.encode()).hexdigest()
            principle.save(
                update_fields=["critique_request", "revision_request", "requests_text_sha256"]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("constitutions", "0003_webhook_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="principle",
            name="requests_text_sha256",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
